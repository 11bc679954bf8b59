"""Every staff page: customers get 403, POSTs need the CSRF token, ids of the wrong kind are 404."""

from __future__ import annotations

import re

import pytest

from portal.core.models import AccessGroup, Profile

ADMIN_ONLY = ("admin.staff", "admin.new_staff", "admin.staff_user",
              "admin.edit_staff", "admin.staff_admin", "admin.deactivate_staff",
              "admin.reactivate_staff", "admin.reset_staff_password", "admin.plugins",
              "admin.toggle_plugin", "admin.deliveries", "admin.delivery_detail",
              "admin.retry_delivery", "admin.webhooks", "admin.webhook", "admin.webhook_toggle",
              "admin.webhook_delete", "admin.resend_staff_invitation")


@pytest.fixture
def ids(db, customer, admin, customer_group):
    profile = db.query(Profile).filter_by(is_builtin=False).first()
    if profile is None:
        profile = Profile(name="Custom")
        db.add(profile)
        db.commit()
    return {"company_id": customer.company_id, "user_id": customer.id,
            "group_id": customer_group.id, "profile_id": profile.id, "kind": "x.y",
            "name": "nothing", "staff_id": admin.id, "delivery_id": 1, "webhook_id": 1}


def _admin_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            yield rule


def _url(rule, ids, endpoint_kind_ids=True) -> str:
    values = {}
    for arg in rule.arguments:
        key = arg
        if arg == "user_id" and "staff" in rule.endpoint:
            key = "staff_id"
        values[arg] = ids[key]
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_customers_get_403_on_every_staff_url(app, customer_client, ids):
    checked = 0
    for rule in _admin_rules(app):
        url = _url(rule, ids)
        for method in rule.methods & {"GET", "POST"}:
            response = (customer_client.get(url) if method == "GET"
                        else customer_client.post(url, data={}))
            assert response.status_code == 403, (method, url)
            checked += 1
    assert checked > 30


def test_signed_out_visitors_are_sent_to_sign_in(app, client, ids):
    for rule in _admin_rules(app):
        if "GET" in rule.methods:
            response = client.get(_url(rule, ids))
            assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_staff_post_needs_the_csrf_token(app, admin_client, db, ids):
    before = db.query(AccessGroup).count()
    for rule in _admin_rules(app):
        if "POST" in rule.methods:
            url = _url(rule, ids)
            response = admin_client.post(url, data={"name": "x"}, csrf=False)
            assert response.status_code == 400, url
            assert "Your form expired" in response.text
    assert db.query(AccessGroup).count() == before


def test_representatives_get_403_on_admin_only_pages(app, staff_client, ids):
    for rule in _admin_rules(app):
        if rule.endpoint in ADMIN_ONLY:
            url = _url(rule, ids)
            response = (staff_client.get(url) if "GET" in rule.methods
                        else staff_client.post(url, data={}))
            assert response.status_code == 403, url


def test_ids_of_the_wrong_kind_or_unknown_are_404(admin_client, customer, admin, make_user):
    # A staff user is not an external user, and the other way round.
    for url in (f"/admin/users/{admin.id}", f"/admin/staff/{customer.id}",
                "/admin/users/999999", "/admin/staff/999999", "/admin/groups/999999",
                "/admin/profiles/999999", "/admin/companies/999999"):
        assert admin_client.get(url).status_code == 404, url
    for url in (f"/admin/users/{admin.id}/deactivate", f"/admin/users/{admin.id}/reset-password",
                f"/admin/users/{admin.id}/edit", f"/admin/users/{admin.id}/groups",
                f"/admin/staff/{customer.id}/deactivate", f"/admin/staff/{customer.id}/admin",
                f"/admin/staff/{customer.id}/reset-password",
                "/admin/groups/999999/members", "/admin/groups/999999/permissions"):
        assert admin_client.post(url, data={}).status_code == 404, url
