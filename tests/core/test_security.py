"""CSRF, security headers, cookie flags and the no-inline-script rule."""

from bs4 import BeautifulSoup

from portal.testing import htmx_headers


def test_post_without_csrf_token_is_rejected(customer_client):
    response = customer_client.post("/logout", csrf=False)
    assert response.status_code == 400
    assert "Your form expired or came from another site" in response.text
    assert customer_client.get("/account/").status_code == 200  # still signed in


def test_htmx_post_sends_the_token_in_a_header(customer_client):
    token = customer_client.csrf_token()
    response = customer_client.post("/account/language", csrf=False, data={"lang": "tr"},
                                    headers=htmx_headers(**{"X-CSRFToken": token}))
    assert response.status_code == 303


def test_layout_gives_htmx_the_csrf_header(customer_client):
    soup = customer_client.soup("/")
    wrapper = soup.find(attrs={"hx-headers": True})
    assert wrapper.name != "body"  # boost replaces the body's children, not the body
    assert '"X-CSRFToken"' in wrapper["hx-headers"]


def test_sign_in_form_is_csrf_protected_too(client, customer):
    response = client.post("/login", csrf=False, data={"username": "ayse",
                                                        "password": "correct-horse-battery"})
    assert response.status_code == 400


def test_security_headers(customer_client):
    response = customer_client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_flags(client, customer):
    response = client.login("ayse")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_session_cookie_is_secure_over_https(app, db, customer):
    from portal.testing import PortalClient

    app.test_client_class = PortalClient
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    response = client.post("/login", base_url="https://localhost",
                           headers={"Referer": "https://localhost/login"},
                           data={"username": "ayse", "password": "correct-horse-battery"})
    assert response.status_code == 303, response.text
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers


def test_pages_have_no_inline_script_or_style(app, customer_client, admin):
    admin_client = app.test_client()
    admin_client.login("boss")
    for client, url in ((customer_client, "/"), (customer_client, "/account/"),
                        (admin_client, "/admin/plugins"), (admin_client, "/admin/")):
        soup = BeautifulSoup(client.get(url).text, "html.parser")
        scripts = soup.find_all("script")
        assert [s["src"].split("?v=")[0] for s in scripts] == ["/static/htmx.min.js"]
        assert not soup.find_all("style")
        assert not soup.find_all(attrs={"style": True})
        assert not [t for t in soup.find_all(True)
                    if any(a.startswith(("on", "hx-on")) for a in t.attrs)]
