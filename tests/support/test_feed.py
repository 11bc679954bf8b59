"""The ERP's change feed of support requests: customer-visible messages only."""

from __future__ import annotations

from plugins.support.services.requests import reply
from portal.testing import read_feed


def test_requests_and_replies_reach_the_feed_without_internal_notes(app, api, db, customer,
                                                                    staff, open_one):
    request = open_one(customer, subject="Fatura sorusu")
    page = read_feed(api, "support-requests")
    assert [(i["id"], i["record"]["subject"]) for i in page["items"]] == [
        (str(request.id), "Fatura sorusu")]
    with app.test_request_context():
        reply(db, db.merge(request), author=staff, body="İç not: müşteri aranacak",
              internal=True)
        reply(db, db.merge(request), author=staff, body="Faturanız yolda.")
        db.commit()
    later = read_feed(api, "support-requests", page["next"])
    (item,) = later["items"]
    bodies = [m["body"] for m in item["record"]["messages"]]
    assert bodies[-1] == "Faturanız yolda."
    assert not any("İç not" in body for body in bodies)
    assert "İç not" not in str(read_feed(api, "support-requests"))


def test_a_page_is_read_in_a_fixed_number_of_queries(api, customer, open_one, count_queries):
    counts = []
    for how_many in (3, 30):
        cursor = read_feed(api, "support-requests")["next"]
        for n in range(how_many):
            open_one(customer, subject=f"Soru {n}")
        read_feed(api, "support-requests", cursor, limit=1)  # stamps the new events
        with count_queries() as counter:
            page = read_feed(api, "support-requests", cursor)
        assert len(page["items"]) == how_many
        counts.append(counter.count)
    assert counts[0] == counts[1]
