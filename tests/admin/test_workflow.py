"""The whole representative workflow, clicked through the admin pages as a staff member would."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from portal.core.models import AccessGroup, AuditLog, CustomerCompany, User
from tests.admin.conftest import flashes, menu_labels, set_external_access

NEW_PASSWORD = "tulip-harbour-lantern"


def _form_action(soup: BeautifulSoup, form_id: str) -> str:
    return soup.find("form", id=form_id)["action"]


def test_representative_onboards_a_customer_company(app, make_user, new_client, db, admin):
    set_external_access(app, False)
    rep = make_user("temsilci", kind="staff", full_name="Murat Kaya")
    boss = new_client()
    boss.login(admin.username)

    # 1. The administrator opens the portal to customers.
    soup = boss.soup("/admin/settings")
    assert not soup.find("input", id="external_access").has_attr("checked")
    response = boss.post(_form_action(soup, "settings-form"), data={"external_access": "y"})
    assert response.status_code == 303
    soup = boss.soup("/admin/settings")
    assert soup.find("input", id="external_access").has_attr("checked")

    # 2. The representative creates the company.
    browser = new_client()
    assert browser.login(rep.username).status_code == 303
    soup = browser.soup("/admin/companies")
    new_url = soup.find("a", id="new-company")["href"]
    response = browser.post(new_url, data={
        "name": "Işık Elektrik Ltd. Şti.", "tax_number": "4650098765",
        "billing_address": "Kızılay Mah. 45\n06420 Çankaya / Ankara",
        "contact_name": "Murat Kaya", "contact_email": "murat@supplier.example"})
    assert response.status_code == 303
    company = db.query(CustomerCompany).one()
    assert company.search_key == "isik elektrik ltd. sti."

    # 3. ... creates an access group from the built-in Customer profile ...
    soup = browser.soup("/admin/groups")
    soup = browser.soup(soup.find("a", id="new-group")["href"])
    profile_option = soup.find("select", id="profile_id").find("option", string="Customer")
    response = browser.post(_form_action(soup, "group-form"), data={
        "name": "Işık buyers", "profile_id": profile_option["value"]})
    assert response.status_code == 303
    group = db.query(AccessGroup).filter_by(name="Işık buyers").one()
    assert response.headers["Location"].endswith(f"/admin/groups/{group.id}")

    # 4. ... a user with a password, put straight into the group ...
    soup = browser.soup(f"/admin/users/new?company={company.id}")
    prefilled = soup.find("input", id="company")["value"]
    assert prefilled == f"#{company.id} — Işık Elektrik Ltd. Şti."
    response = browser.post(_form_action(soup, "user-form"), data={
        "company": prefilled, "group_id": group.id, "username": "ilker",
        "full_name": "İlker Şahin", "email": "ilker@isik.example", "phone": "+90 312 555 02 02",
        "password": NEW_PASSWORD})
    assert response.status_code == 303
    ilker = db.query(User).filter_by(username="ilker").one()

    # 5. ... and a user without a password: the page shows the one-time activation link.
    response = browser.post("/admin/users/new", data={
        "company": "IŞIK ELEKTRİK", "group_id": 0, "username": "zeynep",
        "full_name": "Zeynep Çelik"})
    assert response.status_code == 200
    link = BeautifulSoup(response.text, "html.parser").find("input", id="activation-link")["value"]
    assert re.match(r"^http://localhost/activate/[\w-]{40,}$", link)
    zeynep = db.query(User).filter_by(username="zeynep").one()
    assert zeynep.password_hash is None and zeynep.activation_token_hash
    assert link.rsplit("/", 1)[1] not in zeynep.activation_token_hash  # only the hash is stored

    card = browser.soup(f"/admin/users/{zeynep.id}")
    assert card.find(id="user-status").find("span")["data-status"] == "invited"
    assert "In no access group" in card.find(id="user-groups").text

    # 6. The representative adds her to the group from her card.
    response = browser.post(_form_action(card, "add-to-group-form"),
                            data={"group-group_id": group.id})
    assert response.status_code == 303
    card = browser.soup(f"/admin/users/{zeynep.id}")
    assert [a.text for a in card.find(id="user-groups").find_all("a")] == ["Işık buyers"]

    # 7. Zeynep opens the link and chooses her password, then signs in.
    customer = new_client()
    path = link.replace("http://localhost", "")
    soup = customer.soup(path)
    assert "zeynep" in soup.find("main").text
    response = customer.post(path, data={"new_password": NEW_PASSWORD,
                                         "confirm_password": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/login")
    assert customer.get(path).status_code == 410  # one time only
    response = customer.login("zeynep", NEW_PASSWORD)
    assert response.status_code == 303
    home = customer.get("/")
    assert "Zeynep Çelik" in home.text
    labels = menu_labels(home.text)
    assert "Home" in labels and "My account" in labels
    card = browser.soup(f"/admin/users/{zeynep.id}")
    assert card.find(id="user-status").find("span")["data-status"] == "active"
    assert "never" not in card.find(id="user-summary").text

    # 8. The user created with a password signs in too.
    other = new_client()
    assert other.login(ilker.username, NEW_PASSWORD).status_code == 303
    assert "İlker Şahin" in other.get("/").text

    # Every step is in the audit log, under the representative's name.
    db.expire_all()
    actions = [(e.actor_name, e.action) for e in db.query(AuditLog).order_by(AuditLog.id)]
    assert actions == [
        (admin.username, "settings.external_access"),
        ("temsilci", "company.create"),
        ("temsilci", "group.create"),
        ("temsilci", "user.create"),
        ("temsilci", "user.create"),
        ("temsilci", "group.member_add"),
        ("zeynep", "user.activate"),
    ]
    log = browser.soup("/admin/audit?actor=temsilci")
    assert len(log.find(id="audit-table").find("tbody").find_all("tr")) == 5
    assert flashes(browser.get("/admin/audit").text) == []
