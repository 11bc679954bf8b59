"""Customer lists of the orders plugin paged by keyset (quotations to order from): next and
previous see every row once in order, old ``?page=N`` links still work, and a deep page sends
the statements the first page sends."""

from __future__ import annotations

import datetime as dt

from .test_ordering import quotation_lines


def walk(client, url: str, rows_of):
    """Follow "next" from ``url`` to the end, then "previous" back to the start.

    Returns ``(pages forward, pages backward in list order, last soup)``; every link must be a
    keyset one."""
    soup = client.soup(url)
    forward = [rows_of(soup)]
    while (link := soup.find("a", rel="next")) is not None:
        assert "after=" in link["href"] and "page=" not in link["href"]
        soup = client.soup(link["href"])
        forward.append(rows_of(soup))
    last = soup
    backward = [forward[-1]]
    while (link := soup.find("a", rel="prev")) is not None:
        assert "before=" in link["href"] or "page=" not in link["href"]
        soup = client.soup(link["href"])
        backward.insert(0, rows_of(soup))
    return forward, backward, last


def pager_text(soup) -> str:
    return soup.find("nav", class_="pager").get_text(" ", strip=True)


# -- quotations to order from -----------------------------------------------------------------


def _quotation_numbers(soup) -> list[str]:
    table = soup.find(id="quotation-table")
    return [th.get_text(strip=True) for th in table.select("tbody th")] if table else []


def _quotations(make_document, customer, count: int) -> list[str]:
    """``count`` valid quotations, two a day (ties broken by id); their numbers newest first."""
    today = dt.date.today()
    made = []
    for i in range(count):
        number = f"QT-{i:03d}"
        make_document(customer.company_id, "quotation", quotation_lines()[:1], number=number,
                      issued_on=today - dt.timedelta(days=i // 2),
                      valid_until=today + dt.timedelta(days=30))
        made.append((today - dt.timedelta(days=i // 2), i, number))
    return [number for *_key, number in sorted(made, reverse=True)]


def test_quotations_walk_next_and_previous_seeing_each_once(buyer, shop, customer,
                                                            make_document):
    expected = _quotations(make_document, customer, 45)
    forward, backward, last = walk(buyer, "/orders/quotations", _quotation_numbers)
    assert [len(p) for p in forward] == [20, 20, 5]
    assert sum(forward, []) == expected and backward == forward
    assert pager_text(last) == "Previous page Page 3 of 3"


def test_quotations_old_page_links_and_deep_pages_cost_the_first(buyer, shop, customer,
                                                                 make_document, count_queries):
    expected = _quotations(make_document, customer, 45)
    buyer.get("/orders/quotations")  # warm up (plugin states, sessions)
    with count_queries() as first:
        page1 = buyer.soup("/orders/quotations")
    with count_queries() as old:
        page3 = buyer.soup("/orders/quotations?page=3")
    with count_queries() as keyset:
        page2 = buyer.soup(page1.find("a", rel="next")["href"])
    assert _quotation_numbers(page1) == expected[:20]
    assert _quotation_numbers(page2) == expected[20:40]
    assert _quotation_numbers(page3) == expected[40:]
    # count, page, the orders made from the page's quotations: the same on every page
    assert first.count == old.count == keyset.count
    documents = [s for s in first.statements if "document.doc_type" in s]
    assert len(documents) == 2  # the capped count and the page (same SQL on page 3)
    assert [s for s in old.statements if "document.doc_type" in s] == documents
    # an old page link's own links are keyset ones
    back = page3.find("a", rel="prev")["href"]
    assert "before=" in back and _quotation_numbers(buyer.soup(back)) == expected[20:40]
    assert _quotation_numbers(buyer.soup("/orders/quotations?page=77")) == expected[40:]
