import pytest

from portal.core.demo import DEMO_PASSWORD, load_demo


@pytest.fixture
def demo(app, db):
    """The demo data of the core and every first-party plugin."""
    with app.app_context():
        load_demo(app)
    return DEMO_PASSWORD


@pytest.fixture
def signed_in(app, db, demo):
    """``signed_in("ayse")``: a fresh client signed in as a demo user."""
    from portal.testing import PortalClient

    def factory(username):
        app.test_client_class = PortalClient
        client = app.test_client()
        assert client.login(username, demo).status_code == 303
        return client

    return factory
