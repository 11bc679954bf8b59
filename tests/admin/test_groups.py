"""Profiles and access groups through the admin pages (with the throwaway probe plugin)."""

from __future__ import annotations

import pytest

from portal.core.models import (
    AccessGroup,
    AccessGroupExclusion,
    AccessGroupMember,
    AccessGroupRestriction,
    AuditLog,
    Profile,
    ProfilePermission,
)
from portal.testing import walk_pages
from tests.admin.conftest import field_errors, menu_labels


@pytest.fixture
def app(probe_app):
    return probe_app


@pytest.fixture
def group(db, enable_probe):
    profile = db.query(Profile).filter_by(key="customer").one()
    group = AccessGroup(name="Buyers", profile_id=profile.id)
    db.add(group)
    db.commit()
    return group


def _checked(soup, form_id):
    form = soup.find("form", id=form_id)
    return sorted(i["value"] for i in form.find_all("input", type="checkbox")
                  if i.has_attr("checked"))


def _boxes(soup, form_id):
    form = soup.find("form", id=form_id)
    return sorted(i["value"] for i in form.find_all("input", type="checkbox"))


def test_group_page_narrows_the_profile(staff_client, new_client, db, group, make_user):
    make_user("ayse", groups=[group])
    page = staff_client.soup(f"/admin/groups/{group.id}")
    assert _boxes(page, "group-permissions-form") == ["probe.view"]  # the Customer profile
    assert _checked(page, "group-permissions-form") == ["probe.view"]
    shopper = new_client()
    shopper.login("ayse")
    assert "Probe records" in menu_labels(shopper.get("/").text)
    response = staff_client.post(f"/admin/groups/{group.id}/permissions", data={})
    assert response.status_code == 303
    assert [e.permission for e in db.query(AccessGroupExclusion)] == ["probe.view"]
    page = staff_client.soup(f"/admin/groups/{group.id}")
    assert _checked(page, "group-permissions-form") == []
    assert "Probe records" not in menu_labels(shopper.get("/").text)
    assert shopper.get("/probe/").status_code == 403
    # Granting it again removes the exclusion.
    staff_client.post(f"/admin/groups/{group.id}/permissions",
                      data={"perm-granted": "probe.view"})
    assert db.query(AccessGroupExclusion).count() == 0
    assert shopper.get("/probe/").status_code == 200


def test_group_permission_outside_the_profile_is_refused(staff_client, db, group):
    response = staff_client.post(f"/admin/groups/{group.id}/permissions",
                                 data={"perm-granted": "probe.edit"})
    assert response.status_code == 422
    assert "Choose from the list." in response.text


def test_restriction_is_set_and_removed_from_the_group_page(staff_client, new_client, db, group,
                                                            make_company, make_user):
    acme = make_company("Acme")
    make_user("ayse", company=acme, groups=[group])
    make_user("mehmet", company=acme)
    page = staff_client.soup(f"/admin/groups/{group.id}")
    assert "ayse" in _boxes(page, "restriction-probe-person")
    response = staff_client.post(f"/admin/groups/{group.id}/restrictions/probe.person",
                                 data={"r-probe.person-values": ["ayse"]})
    assert response.status_code == 303
    assert [(r.kind, r.value) for r in db.query(AccessGroupRestriction)] == [
        ("probe.person", "ayse")]
    shopper = new_client()
    shopper.login("ayse")
    assert "mehmet" not in shopper.get("/probe/").text
    # A value that is not an option is refused; an unknown kind is 404.
    response = staff_client.post(f"/admin/groups/{group.id}/restrictions/probe.person",
                                 data={"r-probe.person-values": ["nobody"]})
    assert response.status_code == 422
    assert staff_client.post(f"/admin/groups/{group.id}/restrictions/probe.nothing",
                             data={}).status_code == 404
    # Ticking nothing lifts the restriction.
    staff_client.post(f"/admin/groups/{group.id}/restrictions/probe.person", data={})
    assert db.query(AccessGroupRestriction).count() == 0
    assert "mehmet" in shopper.get("/probe/").text


def test_members_are_added_by_user_name_and_removed(staff_client, db, group, make_user, staff):
    ayse = make_user("ayse", groups=[])
    response = staff_client.post(f"/admin/groups/{group.id}/members",
                                 data={"member-username": "AYSE"})
    assert response.status_code == 303
    assert db.query(AccessGroupMember).filter_by(group_id=group.id).count() == 1
    response = staff_client.post(f"/admin/groups/{group.id}/members",
                                 data={"member-username": "ayse"})
    assert field_errors(response.text)["member-username"] == ["ayse is already a member."]
    response = staff_client.post(f"/admin/groups/{group.id}/members",
                                 data={"member-username": staff.username})
    assert field_errors(response.text)["member-username"] == [
        "No external user has this user name."]
    page = staff_client.soup(f"/admin/groups/{group.id}")
    assert "ayse" in page.find(id="group-members-title").parent.text
    response = staff_client.post(f"/admin/groups/{group.id}/members/{ayse.id}/remove")
    assert response.status_code == 303
    assert db.query(AccessGroupMember).filter_by(group_id=group.id).count() == 0
    assert staff_client.post(
        f"/admin/groups/{group.id}/members/{ayse.id}/remove").status_code == 404
    actions = [e.action for e in db.query(AuditLog).order_by(AuditLog.id)]
    assert actions == ["group.member_add", "group.member_remove"]


def test_group_names_are_unique_and_editable(staff_client, db, group):
    profile = db.query(Profile).filter_by(key="customer").one()
    response = staff_client.post("/admin/groups/new",
                                 data={"name": "buyers", "profile_id": profile.id})
    assert field_errors(response.text)["name"] == ["Another group has this name."]
    response = staff_client.post(f"/admin/groups/{group.id}/edit",
                                 data={"group-name": "Big buyers", "group-description": "x"})
    assert response.status_code == 303
    db.expire_all()
    assert db.get(AccessGroup, group.id).name == "Big buyers"


def test_custom_profile_created_and_used_for_a_group(staff_client, db, enable_probe):
    page = staff_client.soup("/admin/profiles/new")
    assert _boxes(page, "profile-form") == ["probe.edit", "probe.view"]
    response = staff_client.post("/admin/profiles/new", data={
        "name": "Editors", "permissions": ["probe.edit"]})
    assert response.status_code == 303
    profile = db.query(Profile).filter_by(name="Editors").one()
    assert [p.permission for p in db.query(ProfilePermission)] == ["probe.edit"]
    listing = staff_client.soup("/admin/profiles")
    assert "Edit probe records" in listing.find("a", string="Editors").find_parent("tr").text
    response = staff_client.post(f"/admin/profiles/{profile.id}", data={
        "name": "Editors", "permissions": ["probe.edit", "probe.view"]})
    assert response.status_code == 303
    assert sorted(p.permission for p in db.query(ProfilePermission)) == [
        "probe.edit", "probe.view"]
    response = staff_client.post("/admin/profiles/new", data={"name": "Customer"})
    assert field_errors(response.text)["name"] == ["Another profile has this name."]


def test_builtin_profile_lists_customer_defaults_and_is_not_editable(staff_client, db,
                                                                     enable_probe):
    builtin = db.query(Profile).filter_by(key="customer").one()
    listing = staff_client.soup("/admin/profiles")
    row = next(tr for tr in listing.select("tbody tr") if "built in" in tr.th.text)
    assert row.th.find(string=True).strip() == "Customer"
    assert "View probe records" in row.text and "Edit probe records" not in row.text
    assert staff_client.get(f"/admin/profiles/{builtin.id}").status_code == 404


def test_plugin_toggles_are_in_the_audit_log(admin_client, db):
    assert admin_client.post("/admin/plugins/probe", data={"enabled": "1"}).status_code == 303
    admin_client.post("/admin/plugins/probe", data={"enabled": "0"})
    entries = [(e.action, e.target_id, e.actor_name) for e in db.query(AuditLog).order_by(
        AuditLog.id)]
    assert entries == [("plugin.enable", "probe", "boss"), ("plugin.disable", "probe", "boss")]
    log = admin_client.soup("/admin/audit?target_type=plugin")
    assert len(log.select("#audit-table tbody tr")) == 2


def test_a_kind_with_many_values_takes_them_typed_and_checks_each(staff_client, db, group):
    page = staff_client.soup(f"/admin/groups/{group.id}")
    form = page.find("form", id="restriction-probe-many")
    textarea = form.find("textarea")
    assert form.find("label", attrs={"for": textarea["id"]}) is not None
    assert not form.find_all("input", type="checkbox")  # nothing listed whole

    url = f"/admin/groups/{group.id}/restrictions/probe.many"
    response = staff_client.post(url, data={"r-probe.many-values": "12\nabc\n7, x9"})
    assert response.status_code == 422
    assert field_errors(response.text)["r-probe.many-values"] == ["Not found: abc, x9"]
    assert "abc" in response.text  # the typed input is kept
    assert db.query(AccessGroupRestriction).count() == 0  # nothing written

    response = staff_client.post(url, data={"r-probe.many-values": "12\n7\n12"})
    assert response.status_code == 303
    assert sorted(r.value for r in db.query(AccessGroupRestriction)
                  .filter_by(kind="probe.many")) == ["12", "7"]
    page = staff_client.soup(f"/admin/groups/{group.id}")
    badges = [b.text for b in page.find("form", id="restriction-probe-many")
              .select(".badge")]
    assert badges == ["Thing 12", "Thing 7"]

    staff_client.post(url, data={"r-probe.many-values": ""})
    assert db.query(AccessGroupRestriction).filter_by(kind="probe.many").count() == 0


def test_members_are_paged(staff_client, db, group, make_company):
    from portal.core.models import CUSTOMER, User

    company = make_company()
    users = [User(username=f"m{i:03d}", kind=CUSTOMER, company_id=company.id)
             for i in range(55)]
    db.add_all(users)
    db.flush()
    db.add_all(AccessGroupMember(group_id=group.id, user_id=u.id) for u in users)
    db.commit()
    page = staff_client.soup(f"/admin/groups/{group.id}")
    section = page.find("section", attrs={"aria-labelledby": "group-members-title"})
    assert "(55)" in section.find("h2").text
    assert len(section.select("tbody tr")) == 50
    next_link = section.find("a", rel="next")
    assert next_link["href"].startswith(f"/admin/groups/{group.id}?after=")
    second = staff_client.soup(next_link["href"])
    rows = second.find("section", attrs={"aria-labelledby": "group-members-title"}) \
        .select("tbody tr")
    assert [r.find("a").text for r in rows] == [f"m{i:03d}" for i in range(50, 55)]


def test_group_list_pages_by_keyset_with_member_counts(staff_client, db, make_user,
                                                       count_queries):
    from sqlalchemy import select

    profile = db.query(Profile).filter_by(key="customer").one()
    for i in range(57):
        db.add(AccessGroup(name=f"Grup {i:03d}", profile_id=profile.id))
    db.commit()
    third = db.scalar(select(AccessGroup).where(AccessGroup.name == "Grup 030"))
    for _ in range(3):
        db.add(AccessGroupMember(group_id=third.id, user_id=make_user().id))
    db.commit()
    expected = [g.name for g in db.scalars(select(AccessGroup)
                                           .order_by(AccessGroup.name, AccessGroup.id))]
    assert len(expected) >= 58

    def names(soup):
        return [th.a.get_text(strip=True) for th in soup.select("main table tbody th")]

    pages, back, _last = walk_pages(staff_client, "/admin/groups", names)
    assert sum(pages, []) == expected and all(len(p) == 25 for p in pages[:-1])
    assert back == pages
    # the member count of each group shown, read per group, not over every membership
    row = next(tr for tr in staff_client.soup("/admin/groups?page=2").select("tbody tr")
               if tr.th.a.get_text(strip=True) == "Grup 030")
    assert row.select_one("td.num").get_text(strip=True) == "3"
    staff_client.get("/admin/groups")
    with count_queries() as first:
        page1 = staff_client.soup("/admin/groups")
    with count_queries() as deep:
        page3 = staff_client.soup("/admin/groups?page=3")
    with count_queries() as keyset:
        staff_client.soup(page1.find("a", rel="next")["href"])
    assert names(page3) == expected[50:75]
    assert deep.statements == first.statements and keyset.count == first.count
    assert len([s for s in first.statements if "FROM access_group" in s]) == 2
