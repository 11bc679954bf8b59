"""The ERP's change feed of RMA requests (``GET /api/v1/rma-requests?since=``)."""

from __future__ import annotations

from portal.testing import read_feed

from .conftest import line


def test_sent_requests_and_their_changes_reach_the_feed(api, customer, company, invoice,
                                                        make_request, staff):
    draft = make_request(customer, invoice, status="draft")
    sent = make_request(customer, invoice, {1: "1"})
    page = read_feed(api, "rma-requests")
    assert [i["id"] for i in page["items"]] == [str(sent)]  # a draft is nobody's business yet
    assert page["items"][0]["record"]["status"] == "submitted"
    assert page["items"][0]["record"]["lines"][0]["quantity"] == "1"
    approved = make_request(customer, invoice, {0: "1"}, status="approved", staff=staff)
    later = read_feed(api, "rma-requests", page["next"])
    assert [(i["id"], i["record"]["status"]) for i in later["items"]] == [
        (str(approved), "approved")]
    assert str(draft) not in {i["id"] for i in later["items"]}


def test_a_page_is_read_in_a_fixed_number_of_queries(api, customer, company, make_invoice,
                                                     make_request, staff, count_queries):
    counts = []
    for how_many in (3, 30):
        cursor = read_feed(api, "rma-requests")["next"]
        invoice = make_invoice(company, lines=[line(code=f"P-{i}", quantity="100")
                                               for i in range(3)])
        for _ in range(how_many):
            make_request(customer, invoice, {0: "1", 1: "1", 2: "1"}, status="approved",
                         staff=staff)
        read_feed(api, "rma-requests", cursor, limit=1)  # stamps the new events
        with count_queries() as counter:
            page = read_feed(api, "rma-requests", cursor)
        assert len(page["items"]) == how_many
        counts.append(counter.count)
    assert counts[0] == counts[1]
