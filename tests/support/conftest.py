"""Fixtures of the support tests: the default topics, requests opened through the service."""

from __future__ import annotations

import pytest

from plugins.support.services import open_request
from plugins.support.services.topics import ensure_default_topics


@pytest.fixture
def topics(app, db):
    """The default topics (tables are emptied between tests, the migration's rows with them)."""
    ensure_default_topics(db)
    db.commit()


@pytest.fixture
def open_one(app, db, topics):
    """``open_one(user, subject=…, body=…, **kwargs)`` opens a request as ``user`` (committed)."""

    def factory(user, subject="Teslimat ne zaman?", body="Merhaba,\nsiparişimiz nerede?",
                topic="delivery", **kwargs):
        with app.test_request_context():
            request = open_request(db, company_id=user.company_id, author=user, topic=topic,
                                   subject=subject, body=body, **kwargs)
            db.commit()
            return request

    return factory


@pytest.fixture
def customer_client_factory(app, customer):
    """A second, separate client signed in as the ``customer`` (when staff_client is in use)."""
    from portal.testing import PortalClient

    def factory():
        app.test_client_class = PortalClient
        client = app.test_client()
        assert client.login(customer.username).status_code == 303
        return client

    return factory


@pytest.fixture
def staff_client_factory(app, staff):
    """A separate client signed in as ``staff`` (next to a customer's client)."""
    from portal.testing import PortalClient

    def factory():
        app.test_client_class = PortalClient
        client = app.test_client()
        assert client.login(staff.username).status_code == 303
        return client

    return factory

