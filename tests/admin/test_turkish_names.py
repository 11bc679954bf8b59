"""Group and profile names that differ only in Turkish case are one name, also under a race."""

from __future__ import annotations

import threading

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.core.models import AccessGroup, Profile
from portal.core.text import name_key
from portal.core.views import admin_access
from portal.testing import PortalClient
from tests.admin.conftest import field_errors


@pytest.fixture
def customer_profile(db):
    return db.query(Profile).filter_by(key="customer").one()


def test_name_key_treats_every_turkish_i_alike_and_keeps_other_letters():
    assert name_key("Işık") == name_key("IŞIK") == name_key("ışık") == name_key("  işık ")
    assert name_key("İSTANBUL") == name_key("istanbul") == name_key("Istanbul")
    assert name_key("IĞDIR") == name_key("Iğdır")
    assert name_key("Şeker") != name_key("Seker")  # ş is a letter of its own


@pytest.mark.parametrize("second", ["IŞIK", "ışık", "Işık ", "IŞık"])
def test_a_group_name_in_another_turkish_case_is_refused_beside_the_field(
        staff_client, db, customer_profile, second):
    first = staff_client.post("/admin/groups/new",
                              data={"name": "Işık", "profile_id": customer_profile.id})
    assert first.status_code == 303
    response = staff_client.post("/admin/groups/new",
                                 data={"name": second, "profile_id": customer_profile.id})
    assert response.status_code == 422
    assert field_errors(response.text)["name"] == ["Another group has this name."]
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("input", id="name")["value"] == second.strip()
    assert _groups_named(db, name_key("Işık")) == 1


def test_renaming_a_group_to_another_groups_name_in_other_case_is_refused(
        staff_client, db, customer_profile):
    db.add_all([AccessGroup(name="İzmir bayileri", profile_id=customer_profile.id),
                AccessGroup(name="Ankara", profile_id=customer_profile.id)])
    db.commit()
    ankara = db.query(AccessGroup).filter_by(name="Ankara").one()
    response = staff_client.post(f"/admin/groups/{ankara.id}/edit",
                                 data={"group-name": "IZMIR BAYILERI"})
    assert response.status_code == 422
    assert field_errors(response.text)["group-name"] == ["Another group has this name."]
    db.expire_all()
    assert db.get(AccessGroup, ankara.id).name == "Ankara"


def test_a_profile_name_in_another_turkish_case_is_refused_beside_the_field(staff_client, db):
    assert staff_client.post("/admin/profiles/new", data={"name": "Satış"}).status_code == 303
    response = staff_client.post("/admin/profiles/new", data={"name": "SATIŞ"})
    assert response.status_code == 422
    assert field_errors(response.text)["name"] == ["Another profile has this name."]
    assert db.scalar(select(func.count()).select_from(Profile)
                     .where(Profile.is_builtin.is_(False))) == 1


def test_the_database_refuses_what_the_check_refuses(db, customer_profile):
    from sqlalchemy.exc import IntegrityError

    db.add(AccessGroup(name="Işık", profile_id=customer_profile.id))
    db.commit()
    db.add(AccessGroup(name="IŞIK", profile_id=customer_profile.id))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def _groups_named(db, key: str) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(AccessGroup)
                     .where(AccessGroup.name_key == key))


def _race(app, staff, monkeypatch, url, names, data):
    """Two staff tabs post at once, both past the duplicate check before either saves."""
    barrier = threading.Barrier(len(names))
    checked = admin_access._name_taken

    def both_checked(*args):
        taken = checked(*args)
        barrier.wait(timeout=10)
        return taken

    monkeypatch.setattr(admin_access, "_name_taken", both_checked)
    clients = []
    for _name in names:
        client = PortalClient(app)
        client.login(staff.username)
        clients.append(client)
    responses = {}

    def tab(client, name):
        responses[name] = client.post(url, data={"name": name, **data})

    threads = [threading.Thread(target=tab, args=pair) for pair in zip(clients, names,
                                                                          strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_two_concurrent_creates_of_one_group_name_make_one_group_and_one_message(
        app, db, staff, customer_profile, monkeypatch):
    responses = _race(app, staff, monkeypatch, "/admin/groups/new", ["Işık", "IŞIK"],
                      {"profile_id": customer_profile.id})
    assert sorted(r.status_code for r in responses.values()) == [303, 422]
    loser = next(r for r in responses.values() if r.status_code == 422)
    assert field_errors(loser.text)["name"] == ["Another group has this name."]
    db.expire_all()
    assert _groups_named(db, name_key("Işık")) == 1


def test_two_concurrent_creates_of_one_profile_name_make_one_profile_and_one_message(
        app, db, staff, monkeypatch):
    responses = _race(app, staff, monkeypatch, "/admin/profiles/new", ["ışık", "Işık"], {})
    assert sorted(r.status_code for r in responses.values()) == [303, 422]
    loser = next(r for r in responses.values() if r.status_code == 422)
    assert field_errors(loser.text)["name"] == ["Another profile has this name."]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Profile)
                     .where(Profile.is_builtin.is_(False))) == 1
