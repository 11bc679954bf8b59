"""The account tests share the staff-page fixtures (another browser on the same app)."""

from tests.admin.conftest import new_client  # noqa: F401
