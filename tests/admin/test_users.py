"""External users and staff users: creation rules, the user card, admin rights."""

from __future__ import annotations

import datetime as dt

from portal.core.models import STAFF, AccessGroupMember, AuditLog, User
from tests.admin.conftest import field_errors, flashes


def _status(client, user) -> str:
    path = f"/admin/users/{user.id}" if user.kind == "customer" else f"/admin/staff/{user.id}"
    return client.soup(path).find(id="user-status").find("span")["data-status"]


def test_create_user_validates_each_field(staff_client, db, make_company, customer):
    company = make_company()
    response = staff_client.post("/admin/users/new", data={
        "company": "", "group_id": 0, "username": "Ayse", "full_name": "",
        "email": "nope", "password": "short"})
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["company"] == ["Type the customer company's code or name."]
    assert errors["full_name"] == ["Enter the person's name."]
    assert errors["email"] == ["Enter an e-mail address like name@example.com."]
    assert errors["password"] == ["Use at least 10 characters."]
    assert 'value="nope"' in response.text
    response = staff_client.post("/admin/users/new", data={
        "company": company.name, "group_id": 0, "username": "AYSE", "full_name": "A",
        "password": "password123"})
    errors = field_errors(response.text)
    assert errors["password"] == [
        "This password is too common; choose one that is harder to guess."]
    response = staff_client.post("/admin/users/new", data={
        "company": company.name, "group_id": 0, "username": "AYSE", "full_name": "A"})
    assert field_errors(response.text)["username"] == ["This user name is taken."]
    response = staff_client.post("/admin/users/new", data={
        "company": company.name, "group_id": 0, "username": "with space", "full_name": "A"})
    assert "username" in field_errors(response.text)
    assert db.query(User).count() == 2  # customer + staff only: nothing half-written


def test_user_list_filters_by_status_company_and_search(staff_client, db, make_company,
                                                        make_user):
    acme = make_company("Işık Ltd")
    make_user("active1", company=acme, full_name="Ömer Işık")
    make_user("gone", company=acme, is_active=False)
    now = dt.datetime.now(dt.UTC)
    for name, token, expires in [("invited", "a", now + dt.timedelta(days=3)),
                                 ("expired", "b", now - dt.timedelta(days=1))]:
        user = make_user(name, company=make_company())
        user.password_hash = None
        user.activation_token_hash = token * 64
        user.activation_expires_at = expires
    db.commit()

    def names(url):
        return [th.get_text(strip=True)
                for th in staff_client.soup(url).select("#user-table tbody th")]

    assert names("/admin/users") == ["active1", "expired", "gone", "invited"]
    assert names("/admin/users?status=invited") == ["invited"]
    assert names("/admin/users?status=link_expired") == ["expired"]
    assert names("/admin/users?status=deactivated") == ["gone"]
    assert names("/admin/users?status=active") == ["active1"]
    assert names(f"/admin/users?company={acme.id}") == ["active1", "gone"]
    assert names("/admin/users?q=ISIK") == ["active1", "gone"]  # company name, Turkish-folded
    assert names("/admin/users?q=ömer") == ["active1"]


def test_user_list_uses_a_fixed_number_of_queries(staff_client, make_user, count_queries,
                                                  customer_group):
    def load():
        with count_queries() as counter:
            assert staff_client.get("/admin/users").status_code == 200
        return counter.count

    for _ in range(3):
        make_user()
    load()  # warm up: first-request work (plugin states, session touch) is not per row
    few = load()
    for _ in range(27):
        make_user()
    assert load() == few


def test_user_card_shows_status_groups_and_last_sign_in(client, new_client, staff, customer):
    rep = new_client()
    rep.login(staff.username)
    card = rep.soup(f"/admin/users/{customer.id}")
    assert "never" in card.find(id="user-summary").text
    assert _status(rep, customer) == "active"
    assert [a.text for a in card.find(id="user-groups").find_all("a")] == ["Test customers"]
    client.login(customer.username)
    card = rep.soup(f"/admin/users/{customer.id}")
    assert "never" not in card.find(id="user-summary").text


def test_remove_from_group_and_add_back(staff_client, db, customer, customer_group):
    response = staff_client.post(
        f"/admin/users/{customer.id}/groups/{customer_group.id}/remove")
    assert response.status_code == 303
    assert db.query(AccessGroupMember).count() == 0
    # Removing again: the membership is gone, so 404.
    assert staff_client.post(
        f"/admin/users/{customer.id}/groups/{customer_group.id}/remove").status_code == 404
    response = staff_client.post(f"/admin/users/{customer.id}/groups",
                                 data={"group-group_id": customer_group.id})
    assert response.status_code == 303
    assert db.query(AccessGroupMember).count() == 1
    # Adding twice is refused with a message next to the field.
    response = staff_client.post(f"/admin/users/{customer.id}/groups",
                                 data={"group-group_id": customer_group.id})
    assert response.status_code == 422


def test_edit_contact_details(staff_client, db, customer):
    response = staff_client.post(f"/admin/users/{customer.id}/edit", data={
        "edit-full_name": "Ayşe Yılmaz", "edit-email": "bad", "edit-phone": ""})
    assert response.status_code == 422
    assert field_errors(response.text)["edit-email"]
    response = staff_client.post(f"/admin/users/{customer.id}/edit", data={
        "edit-full_name": "Ayşe Yılmaz", "edit-email": "ayse@example.com", "edit-phone": ""})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, customer.id).full_name == "Ayşe Yılmaz"


# -- staff users ------------------------------------------------------------------------------


def test_admin_adds_a_representative_and_grants_admin(admin_client, db):
    response = admin_client.post("/admin/staff/new", data={
        "username": "temsilci2", "full_name": "Can Er", "password": "quiet-orange-kettle"})
    assert response.status_code == 303
    rep = db.query(User).filter_by(username="temsilci2").one()
    assert rep.kind == STAFF and not rep.is_admin
    assert admin_client.post(f"/admin/staff/{rep.id}/admin",
                             data={"is_admin": "1"}).status_code == 303
    db.expire_all()
    assert db.get(User, rep.id).is_admin
    admin_client.post(f"/admin/staff/{rep.id}/admin", data={"is_admin": "0"})
    db.expire_all()
    assert not db.get(User, rep.id).is_admin
    actions = [e.action for e in db.query(AuditLog).order_by(AuditLog.id)]
    assert actions == ["user.create", "user.grant_admin", "user.revoke_admin"]


def test_staff_created_without_password_gets_an_activation_link(admin_client, db):
    response = admin_client.post("/admin/staff/new", data={
        "username": "newrep", "full_name": "Yeni Temsilci"})
    assert response.status_code == 200 and 'id="activation-link"' in response.text


def test_admin_cannot_demote_or_deactivate_themselves(admin_client, db, admin):
    response = admin_client.post(f"/admin/staff/{admin.id}/admin", data={"is_admin": "0"},
                                 follow_redirects=True)
    assert "You cannot take away your own administrator rights." in flashes(response.text)
    response = admin_client.post(f"/admin/staff/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate yourself." in flashes(response.text)
    db.expire_all()
    me = db.get(User, admin.id)
    assert me.is_admin and me.is_active


def test_an_admin_can_demote_another_admin(new_client, db, make_user):
    make_user("first", kind=STAFF, is_admin=True)
    second = make_user("second", kind=STAFF, is_admin=True)
    client = new_client()
    client.login("first")
    assert client.post(f"/admin/staff/{second.id}/admin",
                       data={"is_admin": "0"}).status_code == 303
    db.expire_all()
    assert not db.get(User, second.id).is_admin


def test_non_admin_staff_cannot_manage_staff_or_plugins(staff_client, admin):
    for url in ("/admin/staff", "/admin/staff/new", f"/admin/staff/{admin.id}",
                "/admin/plugins"):
        assert staff_client.get(url).status_code == 403, url
    assert staff_client.post(f"/admin/staff/{admin.id}/admin",
                             data={"is_admin": "0"}).status_code == 403
    menu = staff_client.get("/admin/").text
    assert "Staff users" not in menu and "Plugins" not in menu
    assert "External users" in menu and "Audit log" in menu


def test_the_representative_switches_external_access(staff_client, db):
    """The seed's representative workflow: a representative (not an administrator) opens the
    portal to customers under Users and rights."""
    from portal.core.models import Setting
    from portal.core.settings import EXTERNAL_ACCESS

    assert "Users and rights" in staff_client.get("/admin/").text
    assert staff_client.get("/admin/settings").status_code == 200
    assert staff_client.post("/admin/settings",
                             data={"external_access": "y"}).status_code == 303
    db.expire_all()
    assert db.get(Setting, EXTERNAL_ACCESS).value == "1"
    assert staff_client.post("/admin/settings", data={}).status_code == 303
    db.expire_all()
    assert db.get(Setting, EXTERNAL_ACCESS).value == "0"


def test_user_search_answers_with_the_table_fragment(staff_client, make_user):
    make_user("ilker", full_name="İlker Şahin")
    make_user("zeynep")
    response = staff_client.get("/admin/users?q=ILKER+SAHIN",
                                headers={"HX-Request": "true", "HX-Target": "user-table"})
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="user-table"' in response.text
    assert "ilker" in response.text and "zeynep" not in response.text
    assert "HX-Target" in response.headers["Vary"]
