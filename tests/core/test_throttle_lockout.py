"""Throttling slows the guesser down without locking the owner out (issue 14, ASVS 5.0 V6.3).

Every test runs with the counters in the database and, when a Redis server answers on
127.0.0.1:6379, once more with them in Redis.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from portal.core.models import AuditLog
from portal.testing import PASSWORD, PortalClient, visible_text
from tests.admin.conftest import flashes


@pytest.fixture(params=["database", "redis"])
def app(request, make_app):
    if request.param == "database":
        return make_app()
    return make_app(REDIS_URL=request.getfixturevalue("redis_url"))


def browser(app, address: str) -> PortalClient:
    """A new browser (no cookies) at this address."""
    app.test_client_class = PortalClient
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in_errors(response) -> list[str]:
    soup = BeautifulSoup(response.text, "html.parser")
    return [p.get_text(" ", strip=True) for p in soup.select(".form-errors .error")]


def failed_before(app, username: str, address: str, times: int) -> None:
    """Arrange earlier failed sign-ins through the portal's own counters (no password hashing,
    and enough of them that the wait is long: assertions never race a one-second delay)."""
    throttle = app.extensions["portal.throttle"]
    for _ in range(times):
        throttle.attempt(username, address).failed()


def test_owner_from_a_known_device_signs_in_while_a_guesser_is_throttled(app, customer):
    laptop = browser(app, "192.0.2.10")
    assert laptop.login("ayse").status_code == 303
    laptop.post("/logout")
    for n in range(12):  # guessers from twelve addresses: the account is over its ceiling
        failed_before(app, "ayse", f"203.0.113.{n}", 5)
    assert browser(app, "203.0.113.0").login("ayse").status_code == 429  # a guesser waits
    assert browser(app, "198.51.100.7").login("ayse").status_code == 429  # any new browser too
    assert laptop.login("ayse").status_code == 303  # the owner's browser gets in
    laptop.post("/logout")
    laptop.environ_base["REMOTE_ADDR"] = "203.0.113.0"  # even from a guesser's own address
    assert laptop.login("ayse").status_code == 303


def test_a_known_device_still_has_to_wait_after_its_own_failures(app, customer):
    laptop = browser(app, "192.0.2.10")
    laptop.login("ayse")
    laptop.post("/logout")
    assert [laptop.login("ayse", "wrong-password").status_code for _ in range(6)] == (
        [401] * 5 + [429])
    assert browser(app, "192.0.2.11").login("ayse").status_code == 303  # nobody else waits


def test_a_guesser_is_slowed_down_and_the_owner_elsewhere_is_not(app, customer):
    guesser = browser(app, "203.0.113.5")
    assert [guesser.login("ayse", "wrong-password").status_code for _ in range(5)] == [401] * 5
    response = guesser.login("ayse")  # even the right password waits at the guesser's address
    assert response.status_code == 429
    assert sign_in_errors(response) == ["Too many failed sign-ins. Try again in 1 second."]
    owner = browser(app, "192.0.2.10")  # never signed in before, no device cookie
    assert owner.login("ayse").status_code == 303


def test_honest_users_behind_a_nat_sign_in_while_one_account_is_guessed(app, make_user):
    office = "198.51.100.1"
    make_user("boss")
    colleagues = [make_user(f"clerk{n}") for n in range(25)]
    failed_before(app, "boss", office, 30)
    for user in colleagues:  # a typo each, then the right password, each from a new browser
        client = browser(app, office)
        assert client.login(user.username, "wrong-password").status_code == 401
        assert client.login(user.username).status_code == 303, user.username
    assert browser(app, office).login("boss").status_code == 429  # the guessed pair still waits


def test_trying_many_accounts_from_one_address_slows_that_address_down(app, customer):
    for n in range(25):
        failed_before(app, f"nobody{n}", "203.0.113.9", 1)
    assert browser(app, "203.0.113.9").login("ayse").status_code == 429
    assert browser(app, "192.0.2.10").login("ayse").status_code == 303


def test_staff_see_the_lock_and_clearing_it_lets_the_next_attempt_through(
        app, db, customer, staff_client, staff):
    failed_before(app, "ayse", "203.0.113.5", 10)
    guesser = browser(app, "203.0.113.5")
    assert guesser.login("ayse").status_code == 429
    lock = staff_client.soup(f"/admin/users/{customer.id}").find(id="sign-in-lock")
    assert lock is not None
    assert visible_text(str(lock)).startswith(
        "Sign-in slowed down: 10 failed attempts, next try allowed at ")
    response = staff_client.post(f"/admin/users/{customer.id}/clear-sign-in-lock")
    assert response.status_code == 303
    page = staff_client.get(response.headers["Location"])
    assert flashes(page.text) == ["Sign-in of ayse is no longer slowed down."]
    assert BeautifulSoup(page.text, "html.parser").find(id="sign-in-lock") is None
    entry = db.query(AuditLog).filter_by(action="user.sign_in_lock_cleared").one()
    assert (entry.actor_id, entry.target_id) == (staff.id, str(customer.id))
    assert entry.detail == {"username": "ayse", "failures": 10}
    assert guesser.login("ayse").status_code == 303  # the next attempt goes through


def test_a_staff_card_shows_and_clears_the_lock_too(app, admin, admin_client, make_user):
    from portal.core.models import STAFF

    rep = make_user("rep2", kind=STAFF)
    failed_before(app, "rep2", "203.0.113.5", 10)
    assert admin_client.soup(f"/admin/staff/{rep.id}").find(id="sign-in-lock") is not None
    assert admin_client.post(f"/admin/staff/{rep.id}/clear-sign-in-lock").status_code == 303
    assert browser(app, "203.0.113.5").login("rep2").status_code == 303


def test_a_card_without_a_slow_down_shows_no_lock(app, customer, staff_client):
    browser(app, "203.0.113.5").login("ayse", "wrong-password")  # one typo slows nobody down
    assert staff_client.soup(f"/admin/users/{customer.id}").find(id="sign-in-lock") is None


def test_a_customer_cannot_clear_a_lock(app, make_user, customer_client):
    victim = make_user("mehmet")
    failed_before(app, "mehmet", "203.0.113.5", 10)
    response = customer_client.post(f"/admin/users/{victim.id}/clear-sign-in-lock")
    assert response.status_code in (403, 404)
    assert browser(app, "203.0.113.5").login("mehmet").status_code == 429  # still slowed down


def test_clearing_needs_csrf(app, customer, staff_client):
    response = staff_client.post(f"/admin/users/{customer.id}/clear-sign-in-lock", csrf=False)
    assert response.status_code == 400


def test_the_sign_in_messages_never_say_which_part_was_wrong(app, make_user):
    make_user("ayse")
    make_user("gone", is_active=False)
    tries = [("ayse", "wrong-password"), ("nobody", "wrong-password"), ("nobody", PASSWORD),
             ("gone", PASSWORD)]
    answers = {(r.status_code, tuple(sign_in_errors(r))) for r in (
        browser(app, f"203.0.113.{n}").login(name, password)
        for n, (name, password) in enumerate(tries))}
    assert answers == {(401, ("The user name or password is not correct.",))}
    slowed = set()
    for n, (name, password) in enumerate(tries):
        failed_before(app, name, f"198.51.100.{n}", 10)
        response = browser(app, f"198.51.100.{n}").login(name, password)
        slowed.add((response.status_code,
                    tuple(re.sub(r"\d+", "N", e) for e in sign_in_errors(response))))
    assert slowed == {(429, ("Too many failed sign-ins. Try again in N seconds.",))}


# -- the address limit on the user card --------------------------------------------------------

OFFICE = "198.51.100.1"


def spray(app, address: str, accounts: int = 25) -> None:
    """Someone tries many accounts from one address: the address limit holds there."""
    for n in range(accounts):
        failed_before(app, f"nobody{n}", address, 1)


def address_items(page_html: str) -> list[str]:
    box = BeautifulSoup(page_html, "html.parser").find(id="sign-in-addresses")
    return [] if box is None else [visible_text(str(li.span)) for li in box.find_all("li")]


def test_staff_see_the_addresses_that_slow_a_user_and_clear_one(
        app, db, customer, make_user, staff_client, staff):
    spray(app, OFFICE)
    failed_before(app, "ayse", OFFICE, 1)  # one typo at the office: that address is hers too
    failed_before(app, "ayse", "203.0.113.5", 10)  # a guesser elsewhere
    failed_before(app, "ayse", "192.0.2.50", 1)  # one typo that slows nothing: not listed
    colleague = make_user("mehmet")
    assert browser(app, OFFICE).login("ayse").status_code == 429
    assert browser(app, OFFICE).login(colleague.username).status_code == 429

    card = f"/admin/users/{customer.id}"
    items = address_items(staff_client.get(card).text)
    assert [item.split(", next try")[0] for item in items] == [
        "198.51.100.1: 26 accounts with failed sign-ins from there",
        "203.0.113.5: 1 account with failed sign-ins from there"]

    response = staff_client.post(f"{card}/clear-sign-in-address", data={"address": OFFICE})
    assert response.status_code == 303
    page = staff_client.get(response.headers["Location"])
    assert flashes(page.text) == ["Sign-in from 198.51.100.1 is no longer slowed down."]
    assert [item.split(":")[0] for item in address_items(page.text)] == ["203.0.113.5"]
    entry = db.query(AuditLog).filter_by(action="user.sign_in_address_cleared").one()
    assert (entry.actor_id, entry.target_id) == (staff.id, str(customer.id))
    assert entry.detail == {"username": "ayse", "address": OFFICE, "accounts": 26}
    assert browser(app, OFFICE).login("ayse").status_code == 303  # she gets in at the office
    assert browser(app, OFFICE).login(colleague.username).status_code == 303  # everyone does
    assert browser(app, "203.0.113.5").login("ayse").status_code == 429  # the other still waits


def test_an_address_not_listed_on_the_card_is_not_cleared(app, db, customer, staff_client):
    spray(app, OFFICE)  # ayse never failed there: not hers to clear from her card
    response = staff_client.post(f"/admin/users/{customer.id}/clear-sign-in-address",
                                 data={"address": OFFICE})
    page = staff_client.get(response.headers["Location"])
    assert flashes(page.text) == ["Sign-in from this address is not slowed down."]
    assert db.query(AuditLog).filter_by(action="user.sign_in_address_cleared").count() == 0
    assert browser(app, OFFICE).login("ayse").status_code == 429


def test_a_staff_card_lists_and_clears_an_address_too(app, admin_client, make_user):
    from portal.core.models import STAFF

    rep = make_user("rep2", kind=STAFF)
    spray(app, OFFICE)
    failed_before(app, "rep2", OFFICE, 1)
    assert len(address_items(admin_client.get(f"/admin/staff/{rep.id}").text)) == 1
    assert admin_client.post(f"/admin/staff/{rep.id}/clear-sign-in-address",
                             data={"address": OFFICE}).status_code == 303
    assert browser(app, OFFICE).login("rep2").status_code == 303


def test_a_customer_cannot_clear_an_address_and_clearing_needs_csrf(
        app, make_user, customer, staff_client):
    victim = make_user("mehmet")
    spray(app, OFFICE)
    failed_before(app, "mehmet", OFFICE, 1)
    url = f"/admin/users/{victim.id}/clear-sign-in-address"
    customer_browser = browser(app, "192.0.2.10")
    assert customer_browser.login("ayse").status_code == 303
    assert customer_browser.post(url, data={"address": OFFICE}).status_code in (403, 404)
    assert staff_client.post(url, data={"address": OFFICE}, csrf=False).status_code == 400
    assert browser(app, OFFICE).login("mehmet").status_code == 429  # still slowed down


# -- known devices end with the password ---------------------------------------------------------

NEW_PASSWORD = "violet-mountain-river"


def change_own_password(app, username: str) -> None:
    phone = browser(app, "192.0.2.20")
    assert phone.login(username).status_code == 303
    response = phone.post("/account/password", data={
        "pw-current_password": PASSWORD, "pw-new_password": NEW_PASSWORD,
        "pw-confirm_password": NEW_PASSWORD})
    assert response.status_code == 303


def staff_reset(app, db, user, staff_client) -> None:
    from portal.core.passwords import hash_password

    assert staff_client.post(f"/admin/users/{user.id}/reset-password").status_code == 200
    db.expire_all()
    user.password_hash = hash_password(NEW_PASSWORD)  # then the user sets a new one
    db.commit()


def deactivate_and_back(app, db, user, staff_client) -> None:
    for action in ("deactivate", "reactivate"):
        assert staff_client.post(f"/admin/users/{user.id}/{action}").status_code == 303


@pytest.mark.parametrize("event", ["password change", "staff reset", "deactivation"])
def test_known_devices_stop_counting_when_the_password_changes_or_access_ends(
        app, db, customer, staff_client, event):
    laptop = browser(app, "192.0.2.10")
    assert laptop.login("ayse").status_code == 303
    laptop.post("/logout")
    spray(app, "203.0.113.9")
    laptop.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert laptop.login("ayse").status_code == 303  # the known device is let through
    laptop.post("/logout")

    if event == "password change":
        change_own_password(app, "ayse")
    elif event == "staff reset":
        staff_reset(app, db, customer, staff_client)
    else:
        deactivate_and_back(app, db, customer, staff_client)
    password = PASSWORD if event == "deactivation" else NEW_PASSWORD
    assert laptop.login("ayse", password).status_code == 429  # just another browser now
    assert browser(app, "192.0.2.30").login("ayse", password).status_code == 303
