"""The ERP's change feed of reconciliation answers."""

from __future__ import annotations

from portal.testing import read_feed


def _answer(client, doc, answer="confirmed"):
    data = {"rs-answer": answer}
    if answer == "disputed":
        data.update({"rs-lines": ["2"], "rs-reason": "Ödeme 5 Mayıs'ta yapıldı."})
    response = client.post(f"/balances/reconciliations/{doc.id}/answer", data=data)
    assert response.status_code == 303


def test_answers_reach_the_feed(api, customer_client, company, book):
    disputed, confirmed = book.statement(company), book.statement(company)
    _answer(customer_client, disputed, "disputed")
    _answer(customer_client, confirmed)
    page = read_feed(api, "reconciliation-answers")
    assert [(i["record"]["statement"], i["record"]["answer"]) for i in page["items"]] == [
        (disputed.number, "disputed"), (confirmed.number, "confirmed")]
    assert page["items"][0]["record"]["disputed_lines"] == [2]
    _answer(customer_client, disputed)
    later = read_feed(api, "reconciliation-answers", page["next"])
    assert [(i["record"]["statement"], i["record"]["answer"]) for i in later["items"]] == [
        (disputed.number, "confirmed")]


def test_a_page_is_read_in_a_fixed_number_of_queries(api, customer_client, company, book,
                                                     count_queries):
    counts = []
    for how_many in (3, 30):
        cursor = read_feed(api, "reconciliation-answers")["next"]
        for _ in range(how_many):
            _answer(customer_client, book.statement(company))
        read_feed(api, "reconciliation-answers", cursor, limit=1)  # stamps the new events
        with count_queries() as counter:
            page = read_feed(api, "reconciliation-answers", cursor)
        assert len(page["items"]) == how_many
        counts.append(counter.count)
    assert counts[0] == counts[1]
