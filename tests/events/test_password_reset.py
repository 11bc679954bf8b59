"""Forgot password: a one-time link by e-mail; the answer never tells whether the account exists."""

import re

from portal.testing import deliver, mail_text


def _link(message) -> str:
    return re.search(r"https://portal\.example\.test/reset/\S+", mail_text(message)).group(0)


def test_a_user_gets_a_link_in_their_language_and_sets_a_new_password(
        client, make_user, smtp_server, app):
    make_user("mehmet", email="mehmet@musteri.test", locale="tr")
    response = client.post("/forgot-password", data={"identity": "MEHMET"})
    assert response.status_code == 200
    assert client.get("/login").status_code == 200
    deliver(app)
    [message] = smtp_server.to("mehmet@musteri.test")
    assert message["Subject"] == "Demir Hırdavat portalında şifrenizi sıfırlayın"
    assert "Demir Hırdavat" in message["From"]
    link = _link(message)
    path = link.removeprefix("https://portal.example.test")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": "a-brand-new-secret",
                                       "confirm_password": "a-brand-new-secret"})
    assert response.status_code == 303
    assert client.get(path).status_code == 410  # single use
    assert client.login("mehmet", "a-brand-new-secret").status_code == 303


def test_the_answer_is_the_same_for_an_unknown_account(client, make_user, smtp_server, app):
    make_user("ayse", email="ayse@musteri.test")
    known = client.post("/forgot-password", data={"identity": "ayse@musteri.test"})
    unknown = client.post("/forgot-password", data={"identity": "nobody@nowhere.test"})
    assert known.status_code == unknown.status_code == 200
    # The CSRF token (in the form and in hx-headers) is signed with the second it was made in.
    strip = lambda html: re.sub(r'name="csrf_token"[^>]*|hx-headers=\'[^\']*\'', "", html)  # noqa: E731
    assert strip(known.text) == strip(unknown.text)
    deliver(app)
    assert [m["To"] for m in smtp_server.messages] == ["ayse@musteri.test"]


def test_asking_for_a_link_does_not_lock_the_user_out(client, make_user, app):
    make_user("ayse", email="ayse@musteri.test")
    client.post("/forgot-password", data={"identity": "ayse"})
    assert client.login("ayse").status_code == 303


def test_the_link_expires(client, make_user, smtp_server, app, db):
    import datetime as dt

    from portal.core.models import User

    user = make_user("ayse", email="ayse@musteri.test")
    client.post("/forgot-password", data={"identity": "ayse"})
    deliver(app)
    db.expire_all()
    row = db.get(User, user.id)
    row.reset_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    path = _link(smtp_server.messages[0]).removeprefix("https://portal.example.test")
    assert client.get(path).status_code == 410


def test_requests_are_throttled_like_sign_ins(client, make_user, smtp_server, app):
    make_user("ayse", email="ayse@musteri.test")
    codes = [client.post("/forgot-password", data={"identity": "ayse"}).status_code
             for _ in range(7)]
    assert codes[:5] == [200] * 5
    assert 429 in codes[5:]
    deliver(app)
    assert len(smtp_server.messages) == 5


def test_the_sign_in_page_offers_it(client):
    soup = client.soup("/login")
    assert soup.find("a", id="forgot-link")["href"] == "/forgot-password"
