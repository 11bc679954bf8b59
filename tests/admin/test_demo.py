"""The core's demo data: several users per company, an invited and a deactivated user."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.core.demo import DEMO_ACTIVATION_TOKEN, DEMO_PASSWORD, RESTRICTED_GROUP, load_demo
from portal.core.models import AccessGroup, AccessGroupMember, CustomerCompany, User


@pytest.fixture
def app(make_app):
    return make_app(DISCOVER_PLUGINS=False)


def _load(app):
    with app.app_context():
        load_demo(app)


def test_demo_people_and_their_states(app, db, new_client):
    _load(app)
    _load(app)  # idempotent
    per_company = dict(db.execute(select(User.company_id, func.count()).where(
        User.kind == "customer", User.is_active.is_(True)).group_by(User.company_id)).all())
    assert len(per_company) == 3 and min(per_company.values()) >= 2
    assert db.query(CustomerCompany).count() == 3
    group = db.query(AccessGroup).filter_by(name=RESTRICTED_GROUP).one()
    members = db.query(AccessGroupMember).filter_by(group_id=group.id).count()
    assert members == 1

    browser = new_client()
    assert browser.login("burak", DEMO_PASSWORD).status_code == 401  # deactivated
    assert browser.login("can", DEMO_PASSWORD).status_code == 401  # invited: no password yet
    page = browser.get(f"/activate/{DEMO_ACTIVATION_TOKEN}")
    assert page.status_code == 200 and "can" in page.text
    assert browser.login("ayse", DEMO_PASSWORD).status_code == 303
    rep = new_client()
    assert rep.login("temsilci", DEMO_PASSWORD).status_code == 303
    can = db.query(User).filter_by(username="can").one()
    burak = db.query(User).filter_by(username="burak").one()
    assert 'data-status="invited"' in rep.get(f"/admin/users/{can.id}").text
    assert 'data-status="deactivated"' in rep.get(f"/admin/users/{burak.id}").text
