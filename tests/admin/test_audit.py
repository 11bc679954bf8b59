"""The audit log page: filters, paging, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from portal.core.models import AuditLog


def _add(db, n, action="company.update", actor="rep", at=None, target_type="company",
         target_id="1"):
    db.add_all(AuditLog(action=action, actor_name=actor, target_type=target_type,
                        target_id=target_id, detail={"fields": ["name"]},
                        at=at or dt.datetime.now(dt.UTC)) for _ in range(n))
    db.commit()


def _rows(soup):
    return soup.select("#audit-table tbody tr")


def test_filters_by_actor_action_target_and_period(staff_client, db):
    old = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
    _add(db, 2, actor="Rep")
    _add(db, 1, action="user.deactivate", actor="boss", target_type="user", target_id="7")
    _add(db, 3, action="group.create", actor="boss", at=old, target_type="group")
    assert len(_rows(staff_client.soup("/admin/audit"))) == 6
    assert len(_rows(staff_client.soup("/admin/audit?actor=rep"))) == 2
    assert len(_rows(staff_client.soup("/admin/audit?action=user.deactivate"))) == 1
    assert len(_rows(staff_client.soup("/admin/audit?target_type=user&target_id=7"))) == 1
    assert len(_rows(staff_client.soup("/admin/audit?from=2026-01-10&to=2026-01-10"))) == 3
    assert len(_rows(staff_client.soup("/admin/audit?from=2026-01-11"))) == 3
    page = staff_client.soup("/admin/audit?action=user.deactivate")
    assert "user.deactivate" in page.find("select", id="audit-action").find(
        "option", selected=True).text
    cells = [td.get_text(strip=True) for td in _rows(page)[0].find_all(["td", "th"])]
    assert cells[1:4] == ["boss", "user.deactivate", "user #7"]


def test_bad_dates_get_a_message_next_to_the_field(staff_client, db):
    response = staff_client.get("/admin/audit?from=yesterday&to=2026-01-01")
    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in response.text
    response = staff_client.get("/admin/audit?from=2026-02-01&to=2026-01-01")
    assert "The end of the period is before its start." in response.text


def test_audit_log_is_paged_newest_first(staff_client, db):
    base = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    db.add_all(AuditLog(action="x", actor_name="rep", target_id=str(i),
                        at=base + dt.timedelta(minutes=i)) for i in range(60))
    db.commit()
    first = staff_client.soup("/admin/audit")
    assert len(_rows(first)) == 50
    assert "#59" in _rows(first)[0].text
    second = staff_client.soup(first.find("a", rel="next")["href"])
    assert len(_rows(second)) == 10 and "#0" in _rows(second)[-1].text


def test_audit_log_uses_a_fixed_number_of_queries(staff_client, db, count_queries):
    def load():
        with count_queries() as counter:
            assert staff_client.get("/admin/audit").status_code == 200
        return counter.count

    _add(db, 3)
    load()
    few = load()
    _add(db, 27, action="other")
    assert load() == few
