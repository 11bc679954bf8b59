import pytest
from bs4 import BeautifulSoup

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


def menu_paths(client, first: str) -> list[str]:
    """``first`` and every page of the main menu the client's user sees on it."""
    soup = BeautifulSoup(client.get(first).text, "html.parser")
    return [first, *(a["href"] for a in soup.select("nav.menu a[href]"))]
