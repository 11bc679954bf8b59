"""Issue 13: the home page answers "what needs my attention?" with one lazy panel per question."""

from __future__ import annotations

from bs4 import BeautifulSoup

from portal.testing import htmx_headers

PANELS = {
    # name: (fallback link text, a link the panel offers to its list)
    "open-orders": ("See your open orders", "/orders/?status="),
    "awaiting-shipment": ("See what awaits shipment", "/orders/statement"),
    "balance": ("See your account balance", "/balances/"),
    "invoices-due": ("See the invoices to pay", "/balances/open-items"),
    "open-returns": ("See your open return requests", "/returns/?status=open"),
    "recent-documents": ("See your recent documents", "/documents/"),
    "support": ("See your support requests", "/support/"),
}


def test_the_home_page_has_a_lazy_panel_per_question_each_with_a_natural_fallback_link(
        signed_in):
    client = signed_in("ayse")
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    found = {div["id"].removeprefix("panel-"): div for div in soup.select(".panel [hx-get]")}
    assert set(PANELS) <= set(found)
    for name, (link_text, _list_link) in PANELS.items():
        div = found[name]
        assert div["hx-trigger"] == "load"
        fallback = div.find("a")
        assert fallback.get_text(strip=True) == link_text  # not "Open Open orders"
        assert fallback["href"] == div["hx-get"]
    assert "Open Open" not in soup.get_text()


def test_each_panel_answers_htmx_with_its_fragment_and_a_plain_get_with_a_page(
        signed_in, count_queries):
    client = signed_in("ayse")
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    for name, (_text, list_link) in PANELS.items():
        url = soup.find(id=f"panel-{name}")["hx-get"]
        with count_queries() as counter:
            fragment = client.get(url, headers=htmx_headers(target=f"panel-{name}"))
        assert fragment.status_code == 200, name
        part = BeautifulSoup(fragment.text, "html.parser")
        assert part.find("html") is None, name
        assert any(a["href"].startswith(list_link) for a in part.find_all("a", href=True)), name
        assert counter.count <= 12, (name, counter.count)  # a fixed number, not per row
        page = BeautifulSoup(client.get(url).text, "html.parser")
        assert page.find("html") is not None and page.h1 is not None, name


def test_the_panels_show_what_needs_attention_and_only_the_own_company(signed_in, db):
    from sqlalchemy import select

    from plugins.documents.models import Document
    from portal.core.models import CustomerCompany

    client = signed_in("ayse")
    recent = client.get("/documents/recent", headers=htmx_headers(target="panel-recent-documents"))
    company = db.scalar(select(CustomerCompany).where(CustomerCompany.name.like("Anadolu%")))
    others = set(db.scalars(select(Document.number).where(Document.company_id != company.id)))
    mine = set(db.scalars(select(Document.number).where(Document.company_id == company.id)))
    text = BeautifulSoup(recent.text, "html.parser").get_text(" ")
    assert any(number in text for number in mine)
    assert not any(number in text for number in others)
    awaiting = client.get("/orders/panel/awaiting").text
    assert "await" in awaiting and "/orders/statement" in awaiting


def test_a_panel_without_link_text_falls_back_to_its_title(make_app, make_user, db):
    from portal.testing import PortalClient, enable_plugins, make_plugin

    app = make_app(PLUGINS={"fancy": make_plugin("fancy", panel=True)})
    enable_plugins(app, "fancy")
    make_user("cust")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login("cust")
    link = BeautifulSoup(client.get("/").text, "html.parser").find(id="panel-fancy").a
    assert link.get_text(strip=True) == "Fancy panel"


def test_returns_support_and_balances_pages_write_amounts_and_dates_in_the_one_style(signed_in):
    import re

    client = signed_in("ayse")
    client.post("/account/language", data={"lang": "en", "next": "/"})
    for path in ("/balances/", "/balances/open-items", "/returns/", "/support/",
                 "/balances/panel", "/balances/panel/invoices-due"):
        text = client.get(path).text
        assert not re.search(r"TRY\d", text), path  # "TRY 10,127.76", never "TRY10,127.76"
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", text), path  # no "12/1/26"
    returns = client.get("/returns/").text
    rma = re.search(r'href="(/returns/\d+)"', returns)
    if rma:
        page = client.get(rma.group(1)).text
        assert not re.search(r"TRY\d", page) and not re.search(r"\d{1,2}/\d{1,2}/\d{2},", page)
