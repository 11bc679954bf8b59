"""Oversized requests, a TLS proxy in front, the database going away."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from portal.testing import PortalClient


def _set_cookie(response) -> str:
    return " ".join(v for k, v in response.headers.items() if k == "Set-Cookie")


def test_behind_a_proxy_the_cookie_is_secure_and_hsts_is_sent(make_app):
    client = PortalClient(make_app(PROXY_FIXES=1))
    page = client.get("/login", headers={"X-Forwarded-Proto": "https",
                                         "X-Forwarded-For": "203.0.113.9"})
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "session=" in _set_cookie(page) and "Secure" in _set_cookie(page)


def test_without_proxy_fixes_forwarded_headers_are_ignored(app):
    page = PortalClient(app).get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in page.headers
    assert "session=" in _set_cookie(page) and "Secure" not in _set_cookie(page)


def test_a_lost_database_answers_503_with_a_page(app, customer_client, monkeypatch):
    from plugins.documents import views

    def gone(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(views, "list_context", gone)
    response = customer_client.get("/documents/invoice/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "briefly unavailable" in response.text and "Traceback" not in response.text
