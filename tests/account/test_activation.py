"""The activation link: one time, 7 days, password rules, nothing learned from a bad link."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from portal.core.models import User
from tests.admin.conftest import field_errors, flashes, set_external_access

GOOD = "tulip-harbour-lantern"


def _invite(staff_client, company_id, username="newbie"):
    response = staff_client.post("/admin/users/new", data={
        "company": f"#{company_id}", "group_id": 0, "username": username,
        "full_name": "New Person"})
    assert response.status_code == 200
    link = BeautifulSoup(response.text, "html.parser").find("input", id="activation-link")
    return link["value"].replace("http://localhost", "")


def test_password_rules_on_the_activation_page(staff_client, new_client, make_company):
    path = _invite(staff_client, make_company().id)
    visitor = new_client()
    for new, again, message in [("short", "short", "Use at least 10 characters."),
                                ("1234567890", "1234567890",
                                 "This password is too common; choose one that is harder to "
                                 "guess.")]:
        response = visitor.post(path, data={"new_password": new, "confirm_password": again})
        assert response.status_code == 422
        assert field_errors(response.text)["new_password"] == [message]
    response = visitor.post(path, data={"new_password": GOOD, "confirm_password": GOOD + "x"})
    assert field_errors(response.text)["confirm_password"] == [
        "The two passwords are not the same."]
    assert visitor.get(path).status_code == 200  # still usable after failed tries


def test_link_works_once_and_then_signs_in(staff_client, new_client, make_company, db):
    path = _invite(staff_client, make_company().id)
    visitor = new_client()
    response = visitor.post(path, data={"new_password": GOOD, "confirm_password": GOOD},
                            follow_redirects=True)
    assert "Your password is set. Sign in with your user name newbie." in flashes(response.text)
    assert visitor.get(path).status_code == 410
    assert visitor.post(path, data={"new_password": GOOD,
                                    "confirm_password": GOOD}).status_code == 410
    db.expire_all()
    user = db.query(User).filter_by(username="newbie").one()
    assert user.activation_token_hash is None and user.password_hash
    assert visitor.login("newbie", GOOD).status_code == 303


def test_expired_wrong_and_deactivated_links_say_the_same(staff_client, new_client, db,
                                                          make_company):
    path = _invite(staff_client, make_company().id)
    visitor = new_client()
    assert visitor.get("/activate/not-a-real-token").status_code == 410
    user = db.query(User).filter_by(username="newbie").one()
    user.activation_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.commit()
    expired = visitor.get(path)
    assert expired.status_code == 410
    assert "This link does not work any more" in expired.text
    assert "link_expired" in staff_client.get(f"/admin/users/{user.id}").text
    user.activation_expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    user.is_active = False
    db.commit()
    assert visitor.get(path).status_code == 410


def test_link_expires_in_seven_days(staff_client, db, make_company):
    _invite(staff_client, make_company().id)
    user = db.query(User).filter_by(username="newbie").one()
    expires = user.activation_expires_at
    expires = expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)
    left = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=6, hours=23) < left <= dt.timedelta(days=7)


def test_a_new_link_replaces_the_old_one(staff_client, new_client, db, make_company):
    path = _invite(staff_client, make_company().id)
    user = db.query(User).filter_by(username="newbie").one()
    response = staff_client.post(f"/admin/users/{user.id}/reset-password")
    new_path = BeautifulSoup(response.text, "html.parser").find(
        "input", id="activation-link")["value"].replace("http://localhost", "")
    visitor = new_client()
    assert visitor.get(path).status_code == 410
    assert visitor.get(new_path).status_code == 200


def test_activation_while_the_portal_is_closed(app, staff_client, new_client, make_company):
    path = _invite(staff_client, make_company().id)
    set_external_access(app, False)
    visitor = new_client()
    response = visitor.post(path, data={"new_password": GOOD, "confirm_password": GOOD},
                            follow_redirects=True)
    assert any("closed for customers" in m for m in flashes(response.text))
