"""Several API PUTs of one new external id at once: every one answers 2xx (one creates, the
others update or find nothing to change), one record exists, and it holds one of the bodies
sent, whole (a document has one set of lines, from that body)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from plugins.documents.models import Document, DocumentLine
from plugins.documents.registry import BUILTIN_TYPES
from plugins.documents.resources import api_resources
from plugins.documents.types import AMOUNTS
from plugins.orders.models import PriceList, Product
from portal.core.models import CustomerCompany
from portal.testing import PortalClient

N = 8
EXTERNAL_ID = "ERP-7"
COMPANY = "C-1"


def company_body(i):
    return {"name": f"Firma {i}", "phone": f"0212 000 00 0{i}"}


def product_body(i):
    return {"code": "VD-100", "name": f"Vida {i}", "category_code": "BAG",
            "category_name": f"Bağlantı {i}"}


def price_list_body(i):
    return {"code": "STD", "name": f"Liste {i}", "prices": [
        {"product_code": "VD-100", "unit_price": f"{10 + i}.50"}]}


def document_body(doc_type):
    def body(i):
        data = {"company": COMPANY, "issued_on": "2026-03-02", "notes": f"body {i}"}
        if doc_type.line_layout == AMOUNTS:
            data["amount"] = f"{100 + i}.00"
        else:
            data["lines"] = [{"product_name": f"Kablo {i}-{n}", "quantity": str(i + n),
                              "unit_price": "10.00", "tax_rate": "20"} for n in (1, 2, 3)]
        return data
    return body


CREATING = {"companies": company_body, "products": product_body,
            "price-lists": price_list_body,
            **{t.resource: document_body(t) for t in BUILTIN_TYPES}}
UPDATE_ONLY = {"orders", "rma-requests", "support-requests", "reconciliation-answers"}
"""Resources whose records the portal creates (or that are read-only): a PUT of a new external
id is refused with 422, so only the creating ones race to insert."""


def put_at_once(app, api_token, resource, bodies):
    clients = [PortalClient(app) for _ in bodies]
    barrier = threading.Barrier(len(bodies))
    responses = [None] * len(bodies)

    def send(index):
        barrier.wait()
        responses[index] = clients[index].put(
            f"/api/v1/{resource}/{EXTERNAL_ID}", json=bodies[index],
            headers={"Authorization": f"Bearer {api_token}"})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_every_resource_that_creates_records_is_raced_here(app):
    with app.test_request_context():
        names = set(api_resources())
    assert names - UPDATE_ONLY == set(CREATING)


def rows_with_the_id(db, resource):
    db.expire_all()
    if resource == "companies":
        return db.scalars(select(CustomerCompany)
                          .where(CustomerCompany.external_id == EXTERNAL_ID)).all()
    if resource == "products":
        return db.scalars(select(Product).where(Product.external_id == EXTERNAL_ID)).all()
    if resource == "price-lists":
        return db.scalars(select(PriceList).where(PriceList.external_id == EXTERNAL_ID)).all()
    doc_type = next(t for t in BUILTIN_TYPES if t.resource == resource)
    return db.scalars(select(Document).where(Document.doc_type == doc_type.key,
                                             Document.external_id == EXTERNAL_ID)).all()


@pytest.mark.parametrize("resource", sorted(CREATING))
def test_concurrent_puts_of_one_new_external_id_make_one_record(app, db, api, api_token,
                                                                 resource):
    assert api("PUT", f"/api/v1/companies/{COMPANY}", json={"name": "Müşteri"}).status_code \
        == 201
    if resource == "price-lists":
        assert api("PUT", "/api/v1/products/P-1",
                   json={"code": "VD-100", "name": "Vida"}).status_code == 201
    bodies = [CREATING[resource](i) for i in range(N)]
    responses = put_at_once(app, api_token, resource, bodies)

    assert sorted(r.status_code for r in responses) == [200] * (N - 1) + [201], \
        [(r.status_code, r.get_data(as_text=True)[:200]) for r in responses]
    assert [r.json["created"] for r in responses].count(True) == 1
    assert len({r.json["id"] for r in responses}) == 1
    assert len(rows_with_the_id(db, resource)) == 1

    record = api("GET", f"/api/v1/{resource}/{EXTERNAL_ID}").json
    if resource == "companies":
        assert {"name": record["name"], "phone": record["phone"]} in bodies
    elif resource == "products":
        assert record["name"] in {b["name"] for b in bodies}
        assert record["category_name"] in {b["category_name"] for b in bodies}
    elif resource == "price-lists":
        assert record["name"] in {b["name"] for b in bodies}
        assert len(record["prices"]) == 1
    else:
        sent = next(b for b in bodies if b["notes"] == record["notes"])
        if "lines" in sent:
            assert [(line["product_name"], line["quantity"]) for line in record["lines"]] == [
                (line["product_name"], f"{line['quantity']}.0000") for line in sent["lines"]]
            (doc,) = rows_with_the_id(db, resource)
            assert db.scalar(select(func.count()).select_from(DocumentLine)
                             .where(DocumentLine.document_id == doc.id)) == 3
        else:
            assert record["gross_total"].startswith(sent["amount"])
