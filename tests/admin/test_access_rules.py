"""The access-control rules, proven with a throwaway plugin (``tests/admin/probe.py``)."""

from __future__ import annotations

import pytest

from portal.core.models import (
    AccessGroup,
    AccessGroupExclusion,
    AccessGroupRestriction,
    Profile,
    ProfilePermission,
)
from tests.admin.conftest import menu_labels


@pytest.fixture
def app(probe_app):
    return probe_app


@pytest.fixture
def acme(make_company):
    return make_company("Acme")


@pytest.fixture
def people(make_user, acme, enable_probe):
    """Two people at Acme, one at another company."""
    return {"ayse": make_user("ayse", company=acme), "mehmet": make_user("mehmet", company=acme),
            "selin": make_user("selin")}


def _group(db, name, profile_key="customer", excluded=(), restricted=None, profile=None):
    profile = profile or db.query(Profile).filter_by(key=profile_key).one()
    group = AccessGroup(name=name, profile_id=profile.id)
    db.add(group)
    db.flush()
    db.add_all(AccessGroupExclusion(group_id=group.id, permission=p) for p in excluded)
    for kind, values in (restricted or {}).items():
        db.add_all(AccessGroupRestriction(group_id=group.id, kind=kind, value=v) for v in values)
    db.commit()
    return group


def test_customer_sees_only_own_company_records(client, people):
    client.login("ayse")
    listing = client.get("/probe/")
    assert listing.status_code == 200
    assert "ayse" in listing.text and "mehmet" in listing.text
    assert "selin" not in listing.text
    assert client.get(f"/probe/{people['mehmet'].id}").status_code == 200
    # Another customer's record: 404, exactly like an id that does not exist.
    assert client.get(f"/probe/{people['selin'].id}").status_code == 404
    assert client.get("/probe/999999").status_code == 404


def test_user_in_no_group_sees_only_the_account_page(client, make_user, acme, enable_probe):
    make_user("loner", company=acme, groups=[])
    client.login("loner")
    home = client.get("/")
    assert menu_labels(home.text) == ["My account"]
    assert client.get("/probe/").status_code == 403
    assert client.get("/probe/edit").status_code == 403
    account = client.get("/account/")
    assert account.status_code == 200 and menu_labels(account.text) == ["My account"]


def test_missing_permission_hides_menu_item_and_answers_403(client, people):
    client.login("ayse")
    home = client.get("/")
    labels = menu_labels(home.text)
    assert "Probe records" in labels  # customer_default permission: in the Customer profile
    assert "Probe editing" not in labels  # not customer_default: not granted
    assert client.get("/probe/edit").status_code == 403


def test_group_narrowing_removes_a_permission(client, db, people):
    group = _group(db, "Read nothing", excluded=["probe.view"])
    db.query(AccessGroup).filter(AccessGroup.id != group.id).delete()
    db.commit()
    from portal.core.models import AccessGroupMember

    db.add(AccessGroupMember(group_id=group.id, user_id=people["ayse"].id))
    db.commit()
    client.login("ayse")
    assert "Probe records" not in menu_labels(client.get("/").text)
    assert client.get("/probe/").status_code == 403
    assert client.get(f"/probe/{people['mehmet'].id}").status_code == 403


def test_custom_profile_grants_what_it_lists(client, db, make_user, acme, enable_probe):
    profile = Profile(name="Editors")
    db.add(profile)
    db.flush()
    db.add(ProfilePermission(profile_id=profile.id, permission="probe.edit"))
    db.commit()
    group = _group(db, "Editors", profile=profile)
    make_user("editor", company=acme, groups=[group])
    client.login("editor")
    labels = menu_labels(client.get("/").text)
    assert "Probe editing" in labels and "Probe records" not in labels
    assert client.get("/probe/edit").status_code == 200
    assert client.get("/probe/").status_code == 403


def test_restriction_narrows_listing_and_opening_by_url(client, db, make_user, acme,
                                                        enable_probe):
    group = _group(db, "Only mehmet", restricted={"probe.person": ["mehmet"]})
    make_user("ayse", company=acme, groups=[group])
    mehmet = make_user("mehmet", company=acme)
    zeki = make_user("zeki", company=acme)
    client.login("ayse")
    listing = client.get("/probe/").text
    assert "mehmet" in listing and "zeki" not in listing and "ayse" not in listing
    assert client.get(f"/probe/{mehmet.id}").status_code == 200
    assert client.get(f"/probe/{zeki.id}").status_code == 404


def test_an_unrestricted_group_lifts_the_restriction(client, db, make_user, acme, enable_probe,
                                                     customer_group):
    group = _group(db, "Only mehmet", restricted={"probe.person": ["mehmet"]})
    make_user("ayse", company=acme, groups=[group, customer_group])
    zeki = make_user("zeki", company=acme)
    client.login("ayse")
    assert "zeki" in client.get("/probe/").text
    assert client.get(f"/probe/{zeki.id}").status_code == 200


def test_disabled_plugin_grants_nothing_and_its_urls_are_gone(app, client, db, people):
    from portal.core.db import get_session
    from portal.core.plugins import get_registry

    client.login("ayse")
    assert client.get("/probe/").status_code == 200
    with app.app_context():
        session = get_session()
        get_registry().set_enabled(session, "probe", False)
        session.commit()
    assert client.get("/probe/").status_code == 404
    assert "Probe records" not in menu_labels(client.get("/").text)


def test_staff_do_not_get_customer_permissions(client, people, staff):
    client.login(staff.username)
    assert client.get("/probe/").status_code == 403


def test_customer_without_a_company_sees_no_company_rows(client, make_user, enable_probe):
    """``current_company_id`` refuses instead of matching rows whose company is NULL."""
    make_user("orphan", company_id=None)
    client.login("orphan")
    assert client.get("/probe/").status_code == 403
