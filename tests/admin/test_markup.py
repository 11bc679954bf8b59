"""Every staff page and the account pages: one h1, a label for every input, th with scope."""

from __future__ import annotations

import pytest

from portal.core.models import AuditLog, Profile


@pytest.fixture
def pages(db, customer, admin, customer_group):
    profile = Profile(name="Custom")
    db.add(profile)
    db.add(AuditLog(action="company.update", actor_name="boss", detail={"fields": ["name"]}))
    db.commit()
    return ["/admin/", "/admin/settings", "/admin/companies", "/admin/companies/new",
            f"/admin/companies/{customer.company_id}", "/admin/users", "/admin/users/new",
            f"/admin/users/{customer.id}", "/admin/staff", "/admin/staff/new",
            f"/admin/staff/{admin.id}", "/admin/groups", "/admin/groups/new",
            f"/admin/groups/{customer_group.id}", "/admin/profiles", "/admin/profiles/new",
            f"/admin/profiles/{profile.id}", "/admin/audit", "/account/"]


def _labelled(soup, field) -> bool:
    if field.find_parent("label"):
        return True
    return bool(field.get("id")) and soup.find("label", attrs={"for": field["id"]}) is not None


def test_pages_are_accessible_html(admin_client, pages):
    for url in pages:
        soup = admin_client.soup(url)
        main = soup.find("main")
        assert len(main.find_all("h1")) == 1, url
        for field in main.find_all(["input", "select", "textarea"]):
            if field.get("type") in ("hidden", "submit") or field.has_attr("hidden"):
                continue
            assert _labelled(soup, field), (url, str(field)[:120])
        for th in main.find_all("th"):
            assert th.get("scope") in ("col", "row"), (url, str(th)[:120])
        levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4"])]
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), url
