"""Sessions end on the server side: deactivation, closing external access, password resets."""

from __future__ import annotations

from portal.core.models import User, UserSession
from portal.testing import PASSWORD
from tests.admin.conftest import set_external_access


def _signed_in(client) -> bool:
    response = client.get("/account/")
    return response.status_code == 200


def test_external_access_off_refuses_sign_in_with_a_clear_message(app, client, customer, staff):
    set_external_access(app, False)
    page = client.get("/login")
    assert "The portal is closed for customers" in page.text
    response = client.login(customer.username)
    assert response.status_code == 403
    assert "closed for customers" in response.text
    assert client.login(staff.username).status_code == 303  # staff still sign in


def test_switching_external_access_off_signs_customers_out(app, db, new_client, customer,
                                                           admin):
    shopper, boss = new_client(), new_client()
    shopper.login(customer.username)
    boss.login(admin.username)
    assert _signed_in(shopper)
    response = boss.post("/admin/settings", data={})  # the switch unticked
    assert response.status_code == 303
    answer = shopper.get("/account/")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
    assert _signed_in(boss)  # staff stay signed in
    # Switching access back on does not revive the old session.
    boss.post("/admin/settings", data={"external_access": "y"})
    assert not _signed_in(shopper)
    assert db.query(UserSession).filter_by(user_id=customer.id).count() == 0


def test_external_access_off_refuses_even_a_live_session(app, new_client, customer):
    """Switched off by any means (not the admin page): the user loader refuses customers."""
    shopper = new_client()
    shopper.login(customer.username)
    set_external_access(app, False)
    assert not _signed_in(shopper)


def test_deactivating_a_user_ends_their_sessions(db, new_client, customer, staff):
    phone, laptop, rep = new_client(), new_client(), new_client()
    phone.login(customer.username)
    laptop.login(customer.username)
    rep.login(staff.username)
    response = rep.post(f"/admin/users/{customer.id}/deactivate")
    assert response.status_code == 303
    assert not _signed_in(phone) and not _signed_in(laptop)
    assert db.query(UserSession).filter_by(user_id=customer.id).count() == 0
    assert phone.login(customer.username).status_code == 401  # and cannot sign in again
    card = rep.soup(f"/admin/users/{customer.id}")
    assert card.find(id="user-status").find("span")["data-status"] == "deactivated"
    rep.post(f"/admin/users/{customer.id}/reactivate")
    assert phone.login(customer.username).status_code == 303


def test_password_reset_ends_sessions_and_old_password(db, new_client, customer, staff):
    shopper, rep = new_client(), new_client()
    shopper.login(customer.username)
    rep.login(staff.username)
    response = rep.post(f"/admin/users/{customer.id}/reset-password")
    assert response.status_code == 200
    assert 'id="activation-link"' in response.text
    assert not _signed_in(shopper)
    assert shopper.login(customer.username, PASSWORD).status_code == 401
    db.expire_all()
    assert db.get(User, customer.id).password_hash is None
    card = rep.soup(f"/admin/users/{customer.id}")
    assert card.find(id="user-status").find("span")["data-status"] == "invited"


def test_changing_password_ends_other_sessions_only(new_client, customer):
    here, elsewhere = new_client(), new_client()
    here.login(customer.username)
    elsewhere.login(customer.username)
    response = here.post("/account/password", data={
        "pw-current_password": PASSWORD, "pw-new_password": "violet-mountain-river",
        "pw-confirm_password": "violet-mountain-river"})
    assert response.status_code == 303
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert elsewhere.login(customer.username, PASSWORD).status_code == 401
    assert elsewhere.login(customer.username, "violet-mountain-river").status_code == 303
