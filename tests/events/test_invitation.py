"""A new user gets the activation link by e-mail; staff can send it again from the user card."""

import re

from portal.core.models import User
from portal.testing import deliver, mail_text


def _activation_path(message) -> str:
    link = re.search(r"https://portal\.example\.test(/activate/\S+)", mail_text(message))
    return link.group(1)


def test_a_new_user_is_mailed_the_activation_link(staff_client, make_company, db, app,
                                                  smtp_server, client):
    company = make_company("Işık Elektrik")
    response = staff_client.post("/admin/users/new", data={
        "username": "zeynep", "full_name": "Zeynep Işık", "email": "zeynep@isik.test",
        "company": company.name, "group_id": 0})
    assert response.status_code == 200
    assert "zeynep@isik.test" in response.text  # the page says a mail is on its way
    deliver(app)
    [message] = smtp_server.to("zeynep@isik.test")
    assert "Demir Hırdavat" in message["Subject"]
    assert "zeynep" in mail_text(message)
    assert message.get_body(("html",)) is not None
    assert staff_client.get(_activation_path(message)).status_code == 200


def test_resend_from_the_user_card_replaces_the_link(staff_client, make_company, db, app,
                                                      smtp_server):
    company = make_company()
    staff_client.post("/admin/users/new", data={
        "username": "zeynep", "full_name": "Zeynep", "email": "zeynep@isik.test",
        "company": f"#{company.id}",
        "group_id": 0})
    user = db.query(User).filter_by(username="zeynep").one()
    card = staff_client.soup(f"/admin/users/{user.id}")
    assert card.find("form", id="resend-invitation-form") is not None
    response = staff_client.post(f"/admin/users/{user.id}/resend-invitation")
    assert response.status_code == 303
    deliver(app)
    first, second = smtp_server.to("zeynep@isik.test")
    assert staff_client.get(_activation_path(first)).status_code == 410
    assert staff_client.get(_activation_path(second)).status_code == 200


def test_resend_is_refused_for_a_user_with_a_password(staff_client, customer, app, smtp_server):
    response = staff_client.post(f"/admin/users/{customer.id}/resend-invitation",
                                 follow_redirects=True)
    assert "already chosen a password" in response.text
    deliver(app)
    assert smtp_server.messages == []


def test_another_kind_of_user_id_is_not_found(staff_client, staff):
    assert staff_client.post(f"/admin/users/{staff.id}/resend-invitation").status_code == 404
