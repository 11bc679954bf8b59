"""Each order line keeps its shipped quantity; every way goods-issue lines change updates it in
the same transaction, equal to a count from scratch over the goods issues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from plugins.documents.models import Document, DocumentLine
from plugins.orders import bridge
from plugins.orders.fulfilment import ship
from plugins.orders.models import Order, OrderLine
from portal.core.models import CustomerCompany

from .conftest import order_lines


def get_order(db, order_id: int) -> Order:
    db.expire_all()
    return db.scalar(select(Order).options(selectinload(Order.lines))
                     .where(Order.id == order_id))


def _kept_and_recounted(db):
    db.expire_all()
    ids = list(db.scalars(select(OrderLine.id)))
    return bridge.shipped_by_line(db, ids), bridge.recount_shipped(db, ids)


def _assert_consistent(db) -> dict[int, D]:
    kept, recounted = _kept_and_recounted(db)
    assert kept == recounted
    return kept


def _statement_total(buyer) -> list[str]:
    soup = buyer.soup("/orders/statement")
    return [td.get_text(strip=True) for td in soup.find(id="statement-total").find_all("td")]


@pytest.fixture
def shipped_order(app, db, shop, customer, staff, make_order):
    p = shop.products
    order_id = make_order(customer, [(p["VD-100"], 10, "2.50"), (p["KB-200"], "5", "12.40")],
                          status="in_progress")
    return order_id


def test_every_path_that_writes_goods_issue_lines_keeps_shipped_quantities(
        app, db, api, buyer, shop, customer, staff, shipped_order):
    order_id = shipped_order
    first, second = order_lines(db, order_id)
    number = get_order(db, order_id).number
    assert _statement_total(buyer)[:3] == ["15", "0", "15"]

    # The staff's (and the service's) shipment: a new goods issue with linked lines.
    with app.test_request_context():
        ship(db, get_order(db, order_id), {first: D("4")}, issued_on=dt.date(2026, 11, 2),
             actor=staff)
        db.commit()
    assert _assert_consistent(db)[first.id] == D("4")
    assert _statement_total(buyer)[:3] == ["15", "4", "11"]

    # The ERP's shipment through the orders API.
    response = api("PUT", f"/api/v1/orders/{number}", json={
        "status": "shipped", "goods_issue_number": "IRS-1", "issued_on": "2026-11-30",
        "lines": [{"line_no": 1, "quantity": "3"}, {"line_no": 2, "quantity": "2"}]})
    assert response.status_code == 200
    kept = _assert_consistent(db)
    assert (kept[first.id], kept[second.id]) == (D("7"), D("2"))
    assert _statement_total(buyer)[:3] == ["15", "9", "6"]

    # A line's quantity corrected, a line removed, a line added (ORM changes of the lines).
    issue = db.scalar(select(Document).where(Document.external_id == "IRS-1"))
    line_one, line_two = db.scalars(select(DocumentLine).where(
        DocumentLine.document_id == issue.id).order_by(DocumentLine.line_no)).all()
    line_one.quantity = D("1")
    db.commit()
    assert _assert_consistent(db)[first.id] == D("5")
    db.delete(line_two)
    db.commit()
    assert _assert_consistent(db)[second.id] == D("0")
    db.add(DocumentLine(document_id=issue.id, line_no=3, quantity=D("1.5"),
                        origin_kind=bridge.ORDER_LINE_KIND, origin_ref=str(second.id)))
    db.commit()
    assert _assert_consistent(db)[second.id] == D("1.5")
    # A line pointed at another order line.
    line_one.origin_ref = str(second.id)
    db.commit()
    kept = _assert_consistent(db)
    assert (kept[first.id], kept[second.id]) == (D("4"), D("2.5"))

    # The ERP cancels the goods issue through the documents API (its lines are replaced by
    # the payload's, which name no order line), then issues it again with linked lines.
    company = db.get(CustomerCompany, customer.company_id)
    company.external_id = "C-SHIP"
    db.commit()
    payload = {"company": company.external_id, "number": "IRS-1",
               "issued_on": "2026-11-30", "status": "cancelled",
               "lines": [{"product_code": "VD-100", "product_name": "Vida", "quantity": "1",
                          "unit_price": "2.50", "tax_rate": "20"}]}
    assert api("PUT", "/api/v1/goods-issues/IRS-1", json=payload).status_code == 200
    kept = _assert_consistent(db)
    assert (kept[first.id], kept[second.id]) == (D("4"), D("0"))
    assert _statement_total(buyer)[:3] == ["15", "4", "11"]

    # A cancelled goods issue does not count; issued again, it does.
    staff_issue = db.scalar(select(Document).where(Document.doc_type == "goods_issue",
                                                   Document.external_id.is_(None)))
    staff_issue.status = "cancelled"
    db.commit()
    assert _assert_consistent(db)[first.id] == D("0")
    staff_issue.status = "issued"
    db.commit()
    assert _assert_consistent(db)[first.id] == D("4")

    # A goods issue deleted with its lines.
    for row in db.scalars(select(DocumentLine).where(DocumentLine.document_id == staff_issue.id)):
        db.delete(row)
    db.delete(staff_issue)
    db.commit()
    assert _assert_consistent(db)[first.id] == D("0")
    assert _statement_total(buyer)[:3] == ["15", "0", "15"]


def test_a_rolled_back_shipment_leaves_the_shipped_quantity(app, db, shop, customer, staff,
                                                          shipped_order):
    first, _second = order_lines(db, shipped_order)
    with app.test_request_context():
        ship(db, get_order(db, shipped_order), {first: D("6")}, issued_on=dt.date(2026, 11, 2),
             actor=staff)
        db.flush()
        # inside the transaction the figure is already there …
        assert db.scalar(select(OrderLine.shipped_quantity)
                         .where(OrderLine.id == first.id)) == D("6")
        db.rollback()
    # … and it goes with the goods issue when the transaction does not commit.
    assert _assert_consistent(db)[first.id] == D("0")


def test_an_order_line_loaded_before_a_shipment_reads_the_new_figure(app, db, shop, customer,
                                                                    staff, shipped_order):
    first, _second = order_lines(db, shipped_order)
    assert first.shipped_quantity == D("0")
    with app.test_request_context():
        ship(db, get_order(db, shipped_order), {first: D("2")}, issued_on=dt.date(2026, 11, 2),
             actor=staff)
        db.flush()
    assert first.shipped_quantity == D("2")
    db.commit()


def _insert(conn, table, **values):
    """A row with ``values``; other required columns get a plain value of their type."""
    import sqlalchemy as sa

    row = dict(values)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None \
                or (column.primary_key and isinstance(column.type, sa.Integer)):
            continue
        kind = column.type
        row[column.name] = (
            False if isinstance(kind, sa.Boolean) else
            dt.datetime(2026, 1, 1) if isinstance(kind, sa.DateTime) else
            dt.date(2026, 1, 1) if isinstance(kind, sa.Date) else
            0 if isinstance(kind, sa.Integer | sa.Numeric) else
            "{}" if isinstance(kind, sa.JSON) else f"{table.name}-{column.name}")
    return conn.execute(table.insert().values(**row)).inserted_primary_key[0]


def test_the_upgrade_fills_shipped_quantities_from_existing_goods_issues(tmp_path):
    import sqlalchemy as sa

    from portal import create_app
    from portal.core.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    upgrade(app, "orders@orders_0004_idem")
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    assert "shipped_quantity" not in meta.tables["orders_order_line"].columns
    with engine.begin() as conn:
        t = meta.tables
        company = _insert(conn, t["customer_company"])
        order = _insert(conn, t["orders_order"], company_id=company, status="in_progress")
        shipped, untouched = (
            _insert(conn, t["orders_order_line"], order_id=order, line_no=n, quantity=10)
            for n in (1, 2))
        for status, quantity in (("issued", 3), ("issued", "1.5"), ("cancelled", 4)):
            doc = _insert(conn, t["document"], company_id=company, doc_type="goods_issue",
                          status=status, number=f"GI-{status}-{quantity}")
            _insert(conn, t["document_line"], document_id=doc, line_no=1, quantity=quantity,
                    origin_kind="orders.order_line", origin_ref=str(shipped))
        invoice = _insert(conn, t["document"], company_id=company, doc_type="invoice",
                          status="issued", number="INV-1")
        _insert(conn, t["document_line"], document_id=invoice, line_no=1, quantity=7,
                origin_kind="orders.order_line", origin_ref=str(untouched))
    upgrade(app)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text(
            "SELECT id, shipped_quantity FROM orders_order_line")).all())
    assert {k: D(str(v)) for k, v in rows.items()} == {shipped: D("4.5"), untouched: D("0")}
