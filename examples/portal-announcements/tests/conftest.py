"""The portal's test kit registers this plugin in every test app, installed or not."""

import pytest
from portal_announcements import plugin

pytest_plugins = ["portal.testing"]


@pytest.fixture(scope="session")
def portal_plugins():
    return {"announcements": plugin}
