"""The ERP and orders: ``GET/PUT /api/v1/orders/{number}``, the change feed ``/api/v1/orders``."""

from __future__ import annotations

import threading
from decimal import Decimal

from sqlalchemy import select

from plugins.documents.models import Document
from plugins.orders.models import Order, OrderStatusChange
from portal.core.models import AuditLog, Event
from portal.testing import read_feed

from .conftest import get_order, order_lines


def _number(db, order_id: int) -> str:
    return db.get(Order, order_id).number


def test_the_erp_reads_an_order_with_its_lines(api, db, shop, customer, make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["KB-200"], "2.5", "12.40")])
    number = _number(db, order_id)
    response = api("GET", f"/api/v1/orders/{number}")
    assert response.status_code == 200
    data = response.json
    assert data["number"] == number and data["status"] == "sent"
    assert [(ln["line_no"], ln["product_code"], ln["quantity"], ln["shipped_quantity"])
            for ln in data["lines"]] == [(1, "VD-100", "10.0000", "0"),
                                         (2, "KB-200", "2.5000", "0")]
    assert Decimal(data["gross_total"]) > 0
    assert api("GET", "/api/v1/orders/ORD-NOPE").status_code == 404
    assert api("GET", f"/api/v1/orders/{number}", token=None).status_code == 401


def test_the_erp_accepts_ships_and_completes_like_the_staff_do(api, db, shop, customer,
                                                              make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["KB-200"], "2.5", "12.40")])
    number = _number(db, order_id)
    response = api("PUT", f"/api/v1/orders/{number}", json={"status": "accepted"})
    assert response.status_code == 200 and response.json["changed"] is True
    assert get_order(db, order_id).status == "in_progress"
    again = api("PUT", f"/api/v1/orders/{number}", json={"status": "accepted"})
    assert again.status_code == 200 and again.json["changed"] is False

    shipment = {"status": "shipped", "goods_issue_number": "IRS-2026-77", "issued_on":
                "2026-11-30", "lines": [{"line_no": 1, "quantity": "4"}]}
    response = api("PUT", f"/api/v1/orders/{number}", json=shipment)
    assert response.status_code == 200 and response.json["changed"] is True
    issue = db.scalar(select(Document).where(Document.doc_type == "goods_issue"))
    assert (issue.number, issue.external_id, issue.origin_ref) == (
        "IRS-2026-77", "IRS-2026-77", str(order_id))
    # the same shipment sent twice is recorded once
    assert api("PUT", f"/api/v1/orders/{number}", json=shipment).json["changed"] is False
    assert len(db.scalars(select(Document)).all()) == 1
    read = api("GET", f"/api/v1/orders/{number}").json
    assert [ln["shipped_quantity"] for ln in read["lines"]] == ["4.0000", "0"]

    assert api("PUT", f"/api/v1/orders/{number}",
               json={"status": "completed"}).json["changed"] is True
    history = db.scalars(select(OrderStatusChange).where(OrderStatusChange.order_id == order_id)
                         .order_by(OrderStatusChange.id)).all()
    assert [(h.status, h.by_name) for h in history][-2:] == [
        ("in_progress", "ERP (ERP test)"), ("completed", "ERP (ERP test)")]
    kinds = [e.kind for e in db.scalars(select(Event).order_by(Event.id))]
    assert kinds.count("orders.shipped") == 1 and kinds.count("orders.status_changed") >= 2
    assert db.scalar(select(AuditLog).where(AuditLog.action == "orders.ship")) is not None


def test_a_sent_order_shipped_by_the_erp_is_accepted_first(api, db, shop, customer, make_order):
    order_id = make_order(customer, [(shop.products["VD-100"], 3, "2.50")])
    response = api("PUT", f"/api/v1/orders/{_number(db, order_id)}", json={
        "status": "shipped", "goods_issue_number": "IRS-1", "lines": [{"line_no": 1,
                                                                       "quantity": "3"}]})
    assert response.status_code == 200
    assert get_order(db, order_id).status == "in_progress"


def test_impossible_updates_are_refused_with_the_reason(api, db, shop, customer, make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 3, "2.50")], status="in_progress")
    other_id = make_order(customer, [(p["VD-100"], 1, "2.50")], status="in_progress")
    number = _number(db, order_id)

    def refused(payload, field):
        response = api("PUT", f"/api/v1/orders/{number}", json=payload)
        assert response.status_code == 422, response.json
        assert [e["field"] for e in response.json["errors"]] == [field]
        return response.json["errors"][0]["message"]

    assert "remain" in refused({"status": "shipped", "goods_issue_number": "G1",
                                "lines": [{"line_no": 1, "quantity": "4"}]}, "status")
    refused({"status": "shipped", "goods_issue_number": "G1",
             "lines": [{"line_no": 9, "quantity": "1"}]}, "lines[0].line_no")
    refused({"status": "shipped", "lines": [{"line_no": 1, "quantity": "1"}]},
            "goods_issue_number")
    refused({"status": "shipped", "goods_issue_number": "G1", "lines": []}, "lines")
    refused({"status": "paid"}, "status")
    # a goods issue number the ERP already used for another order
    api("PUT", f"/api/v1/orders/{_number(db, other_id)}", json={
        "status": "shipped", "goods_issue_number": "G2", "lines": [{"line_no": 1,
                                                                    "quantity": "1"}]})
    refused({"status": "shipped", "goods_issue_number": "G2",
             "lines": [{"line_no": 1, "quantity": "1"}]}, "goods_issue_number")
    api("PUT", f"/api/v1/orders/{number}", json={"status": "cancelled", "note": "Stok yok"})
    assert get_order(db, order_id).cancel_reason == "Stok yok"
    assert "cannot be changed" in refused({"status": "completed"}, "status")
    response = api("PUT", "/api/v1/orders/ORD-NOPE", json={"status": "accepted"})
    assert response.status_code == 422
    assert get_order(db, order_id).status == "cancelled"
    assert len(db.scalars(select(Document).where(Document.number == "G1")).all()) == 0


def test_staff_shipments_and_the_erp_share_one_rule(staff_client, api, db, shop, customer,
                                                    make_order):
    """What the staff shipped is no longer left for the ERP to ship, and vice versa."""
    order_id = make_order(customer, [(shop.products["VD-100"], 5, "2.50")], status="in_progress")
    (line,) = order_lines(db, order_id)
    assert staff_client.post(f"/admin/orders/{order_id}/ship",
                    data={f"ship-{line.id}": "3"}).status_code == 303
    response = api("PUT", f"/api/v1/orders/{_number(db, order_id)}", json={
        "status": "shipped", "goods_issue_number": "G9", "lines": [{"line_no": 1,
                                                                    "quantity": "3"}]})
    assert response.status_code == 422 and "2 remain" in response.json["errors"][0]["message"]
    assert [e.kind for e in db.scalars(select(Event).where(Event.kind == "orders.shipped"))] \
        == ["orders.shipped"]


# -- the change feed ----------------------------------------------------------------------------


def _feed(api, since=0, limit=None):
    return read_feed(api, "orders", since, limit)


def test_the_feed_gives_each_change_once_and_pages_on(api, db, shop, customer, make_order, app):
    p = shop.products
    first = make_order(customer, [(p["VD-100"], 1, "2.50")])
    second = make_order(customer, [(p["KB-200"], 2, "12.40")])
    page = _feed(api)
    assert [item["record"]["number"] for item in page["items"]] == [
        _number(db, first), _number(db, second)]
    assert page["items"][0]["event"] == "orders.placed"
    assert page["items"][1]["record"]["lines"][0]["product_code"] == "KB-200"
    assert page["has_more"] is False
    cursor = page["next"]
    assert _feed(api, cursor)["items"] == []

    api("PUT", f"/api/v1/orders/{_number(db, first)}", json={"status": "accepted"})
    page = _feed(api, cursor)
    assert [(i["record"]["number"], i["record"]["status"], i["event"]) for i in page["items"]] \
        == [(_number(db, first), "in_progress", "orders.status_changed")]
    # paging one change at a time sees the same changes in the same order
    seen, cursor = [], 0
    while True:
        page = _feed(api, cursor, limit=1)
        seen += [i["cursor"] for i in page["items"]]
        cursor = page["next"]
        if not page["has_more"]:
            break
    assert seen == sorted(seen) and len(seen) == 3


def test_a_record_changed_twice_in_one_page_comes_once_as_it_is_now(api, db, shop, customer,
                                                                   make_order):
    order_id = make_order(customer, [(shop.products["VD-100"], 1, "2.50")], status="completed")
    items = _feed(api)["items"]
    assert len(items) == 1 and items[0]["record"]["status"] == "completed"
    assert items[0]["event"] == "orders.status_changed"
    assert items[0]["id"] == str(order_id)


def test_bad_cursors_and_limits_are_refused(api, db):
    # 2147483648: past the Integer cursor column (PostgreSQL's driver raised on it)
    for query in ("since=-1", "since=abc", "since=١", "since=99999999999999999999",
                  "since=2147483648", "limit=0", "limit=501", "limit=x"):
        response = api("GET", f"/api/v1/orders?{query}")
        assert response.status_code == 400, query
        assert response.json["errors"][0]["field"] in {"since", "limit"}
    assert api("GET", "/api/v1/companies").status_code == 404  # no feed there
    assert api("GET", "/api/v1/orders", token=None).status_code == 401


def test_the_feed_reads_a_page_in_a_fixed_number_of_queries(api, db, shop, customer, make_order,
                                                           count_queries):
    counts = []
    for how_many in (3, 30):
        cursor = _feed(api)["next"]  # stamps what is there; start after it
        for _ in range(how_many):
            make_order(customer, [(shop.products["VD-100"], 1, "2.50"),
                                  (shop.products["KB-200"], 1, "12.40")])
        _feed(api, cursor, limit=1)  # stamps the new events (the worker normally does)
        with count_queries() as counter:
            page = _feed(api, cursor, limit=100)
        assert len(page["items"]) == how_many
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_writers_committing_while_the_erp_pages_lose_and_repeat_nothing(app, api, db, shop,
                                                                       customer):
    """Real threads place orders while the feed is read page by page."""
    from plugins.orders.ordering import NewLine, OrderDetails, place_order
    from portal.core.db import get_session

    product = shop.products["VD-100"]
    company_id, user_id = customer.company_id, customer.id
    writers, per_writer = 3, 8
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(per_writer):
                with app.test_request_context():
                    session = get_session()
                    from portal.core.models import User

                    user = session.get(User, user_id)
                    place_order(session, company_id=company_id, user=user, details=OrderDetails(
                        f"feed-{worker}-{n:04d}-concurrent-test"), lines=[NewLine(
                            product.id, product.code, product.name, product.unit,
                            Decimal("1"), Decimal("2.50"), Decimal("20"))])
                    session.commit()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    seen: list[str] = []
    cursor = 0
    while any(t.is_alive() for t in threads):
        page = _feed(api, cursor, limit=5)
        seen += [i["id"] for i in page["items"]]
        cursor = page["next"]
    for thread in threads:
        thread.join()
    while True:
        page = _feed(api, cursor, limit=5)
        seen += [i["id"] for i in page["items"]]
        cursor = page["next"]
        if not page["has_more"]:
            break
    assert errors == []
    placed = {str(i) for i in db.scalars(select(Order.id))}
    assert len(placed) == writers * per_writer
    assert sorted(seen) == sorted(placed)  # every order once: nothing skipped, nothing repeated
