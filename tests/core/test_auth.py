"""Sign-in, sign-out, server-side sessions and throttling."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update

from portal.core.models import AuthFailure, User, UserSession
from portal.testing import PASSWORD, PortalClient, htmx_headers, visible_text

GENERIC = "The user name or password is not correct."


def test_customer_signs_in_and_lands_on_the_dashboard(client, customer):
    response = client.login("ayse")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "Welcome, Ayşe Demir" in visible_text(client.get("/").text)


def test_user_name_is_not_case_sensitive(client, customer):
    assert client.login("  AYSE ").status_code == 303


def test_staff_lands_on_the_admin_pages(client, staff):
    response = client.login("rep")
    assert response.headers["Location"] == "/admin/"
    assert client.get("/").headers["Location"] == "/admin/"


@pytest.mark.parametrize("username,password", [("ayse", "wrong-password"),
                                               ("nobody", PASSWORD)])
def test_failed_sign_in_does_not_say_which_part_was_wrong(client, customer, username, password):
    response = client.login(username, password)
    assert response.status_code == 401
    assert GENERIC in visible_text(response.text)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", {"name": "username"})["value"] == username  # kept
    assert not soup.find("input", {"name": "password"}).get("value")  # never sent back


def test_deactivated_user_cannot_sign_in(client, make_user):
    make_user("gone", is_active=False)
    assert client.login("gone").status_code == 401


def test_next_keeps_the_requested_page_but_never_leaves_the_site(client, customer):
    response = client.get("/account/")
    assert response.headers["Location"] == "/login?next=/account/"
    assert client.post("/login?next=/account/", data={
        "username": "ayse", "password": PASSWORD}).headers["Location"] == "/account/"
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(f"/login?next={evil}", data={"username": "ayse",
                                                            "password": PASSWORD})
        assert response.headers["Location"] == "/"
        client.post("/logout")


def test_sign_out_is_a_post_and_a_copied_cookie_is_useless_afterwards(app, customer_client):
    assert customer_client.get("/logout").status_code == 405
    cookie = customer_client.get_cookie("session")
    assert cookie is not None
    customer_client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    response = thief.get("/account/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_sign_out_ends_only_this_browser(app, customer, client):
    other = app.test_client_class and app.test_client()
    client.login("ayse")
    other.login("ayse")
    client.post("/logout")
    assert other.get("/account/").status_code == 200


def test_session_cookie_is_new_after_sign_in(client, customer):
    client.get("/login")
    client.csrf_token()
    before = client.get_cookie("session").value
    client.login("ayse")
    assert client.get_cookie("session").value != before


def test_idle_session_expires_on_the_server(app, db, customer_client):
    old = dt.datetime.now(dt.UTC) - app.permanent_session_lifetime - dt.timedelta(minutes=1)
    db.execute(update(UserSession).values(last_seen_at=old))
    db.commit()
    assert customer_client.get("/account/").status_code == 302
    assert db.query(UserSession).count() == 0


def test_expired_session_htmx_request_redirects_the_browser(htmx_client, customer):
    response = htmx_client.get("/account/", headers=htmx_headers(
        target="main", **{"HX-Current-URL": "http://localhost/account/?tab=1"}))
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/account/?tab%3D1"
    assert "<form" not in response.text  # never swaps the sign-in form into a fragment


def test_last_sign_in_is_recorded(client, db, customer):
    assert customer.last_login_at is None
    client.login("ayse")
    db.expire_all()
    assert db.get(User, customer.id).last_login_at is not None


# -- throttling ---------------------------------------------------------------------------------


def test_repeated_failures_slow_down_the_account(client, customer):
    for _ in range(5):
        assert client.login("ayse", "wrong-password").status_code == 401
    response = client.login("ayse")  # even the right password has to wait now
    assert response.status_code == 429
    assert "Too many failed sign-ins. Try again in 1 second." in visible_text(response.text)


def test_throttle_is_per_account_and_per_address(client, make_user):
    make_user("one")
    make_user("two")
    for _ in range(5):
        client.login("one", "wrong-password")
    assert client.login("two").status_code == 303  # another account is not slowed down
    client.post("/logout")
    for i in range(20):  # many accounts from one address
        client.login(f"guess{i}", "wrong-password")
    fresh_browser = client.application.test_client()  # same address, never signed in before
    assert PortalClient.login(fresh_browser, "two").status_code == 429
    assert client.login("two").status_code == 303  # the browser "two" signed in with before
    other_address = client.application.test_client()
    other_address.environ_base["REMOTE_ADDR"] = "10.9.8.7"
    assert PortalClient.login(other_address, "two").status_code == 303


def test_throttle_counts_are_shared_in_the_database(make_app, db, customer):
    """Two apps (two workers) see the same count."""
    worker_a, worker_b = make_app(), make_app()
    for worker in (worker_a, worker_b):
        worker.test_client_class = PortalClient
    for i in range(5):
        (worker_a if i % 2 else worker_b).test_client().login("ayse", "wrong-password")
    assert db.query(AuthFailure).filter_by(key="user:ayse").one().count == 5
    assert worker_b.test_client().login("ayse").status_code == 429


def test_successful_sign_in_clears_the_count_of_its_address(client, db, customer):
    for _ in range(4):
        client.login("ayse", "wrong-password")
    client.login("ayse")
    assert db.query(AuthFailure).filter_by(key="user:ayse|ip:127.0.0.1").first() is None
    fresh_browser = client.application.test_client()
    for _ in range(4):  # four more typos from here start from zero again
        PortalClient.login(fresh_browser, "ayse", "wrong-password")
    assert PortalClient.login(fresh_browser, "ayse").status_code == 303


def test_throttle_counts_in_redis_when_configured(make_app, db, customer, redis_url):
    import redis

    url = redis_url
    app = make_app(REDIS_URL=url)
    app.test_client_class = PortalClient
    for _ in range(5):
        app.test_client().login("ayse", "wrong-password")
    assert app.test_client().login("ayse").status_code == 429
    assert db.query(AuthFailure).count() == 0  # counted in Redis, not in the database
    assert int(redis.Redis.from_url(url).hget("portal:authfail:user:ayse", "count")) == 5
