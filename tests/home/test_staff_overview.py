"""Issue 13: the admin overview shows staff what waits for them, each count linking to its list."""

from __future__ import annotations

from bs4 import BeautifulSoup


def _waiting(client):
    soup = BeautifulSoup(client.get("/admin/").text, "html.parser")
    return soup, {a.get_text(strip=True): (a["href"], a.find_next_sibling(class_="badge").text)
                  for a in soup.select("ul.waiting a")}


def test_the_overview_lists_what_waits_with_counts_and_links(signed_in, db, count_queries):
    from sqlalchemy import func, select

    from plugins.orders.models import Order

    admin = signed_in("admin")
    with count_queries() as counter:
        soup, waiting = _waiting(admin)
    sent = db.scalar(select(func.count()).select_from(Order).where(Order.status == "sent"))
    assert waiting["New orders"] == ("/admin/orders/?status=sent", str(sent))
    text = soup.main.get_text(" ")
    for label in ("Return requests to process", "support requests", "Failed deliveries"):
        assert label in text, label
    assert counter.count <= 20
    for href, _count in waiting.values():
        assert admin.get(href).status_code == 200, href


def test_the_representative_sees_work_but_not_the_administrators_deliveries(signed_in):
    soup, waiting = _waiting(signed_in("temsilci"))
    assert "New orders" in waiting
    assert "Failed deliveries" not in soup.get_text()
