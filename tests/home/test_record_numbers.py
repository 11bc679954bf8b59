"""Issue 13: a record number (order, document, return request, support request) or a
customer's ERP code never breaks across lines. Every one shown in a page's ``main`` sits in
``.code`` (``white-space: nowrap``), which the ``code`` filter (portal.core.formatting) writes:
on the lists, the record pages and the dashboard panels, for customers and staff."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString
from sqlalchemy import select

from plugins.documents.models import Document
from plugins.orders.models import Order
from plugins.returns.models import ReturnRequest
from plugins.support.models import SupportRequest
from portal.core.db import get_session
from portal.core.models import CustomerCompany
from tests.home.conftest import menu_paths

SKIPPED = {"title", "option", "script", "style", "textarea"}


def _known_numbers(app) -> re.Pattern:
    with app.app_context():
        session = get_session()
        numbers = set()
        for column in (Order.number, Document.number, ReturnRequest.number,
                       SupportRequest.number, CustomerCompany.external_id):
            numbers.update(n for n in session.scalars(select(column)) if n and len(n) > 3)
    alternatives = "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _in_code(node) -> bool:
    for parent in node.parents:
        if parent.name in SKIPPED or "code" in (parent.get("class") or ()):
            return True
        if "visually-hidden" in (parent.get("class") or ()):
            return True
    return False


def loose_numbers(html: str, numbers: re.Pattern) -> list[str]:
    """The record numbers of ``main`` that are not inside a ``.code`` element."""
    main = BeautifulSoup(html, "html.parser").find("main")
    loose = []
    for text in main.find_all(string=True):
        if isinstance(text, NavigableString) and numbers.search(text) and not _in_code(text):
            loose.extend(numbers.findall(text))
    return loose


def _links(html: str, pattern: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.select("main a[href]") if re.fullmatch(pattern, a["href"])]


def _pages(client, first: str, details: list[tuple[str, str]]) -> list[str]:
    paths = menu_paths(client, first)
    for list_path, pattern in details:
        found = _links(client.get(list_path).text, pattern)
        assert found, f"no record link on {list_path}"
        paths.append(found[0])
    return paths


CUSTOMER_DETAILS = [
    ("/orders/", r"/orders/\d+"),
    ("/documents/invoice/", r"/documents/\d+"),
    ("/documents/quotation/", r"/documents/\d+"),
    ("/returns/", r"/returns/\d+"),
    ("/support/", r"/support/\d+"),
    ("/balances/orders", r"/balances/orders/[^/?]+"),
]
STAFF_DETAILS = [
    ("/admin/companies", r"/admin/companies/\d+"),
    ("/admin/orders/", r"/admin/orders/\d+"),
    ("/admin/returns/", r"/admin/returns/\d+"),
    ("/admin/support/", r"/admin/support/\d+"),
]


def test_record_numbers_never_break_on_any_page(app, signed_in):
    numbers = _known_numbers(app)
    customer, staff = signed_in("ayse"), signed_in("admin")
    loose, shown = {}, 0
    for client, first, details in ((customer, "/", CUSTOMER_DETAILS),
                                   (staff, "/admin/", STAFF_DETAILS)):
        for path in _pages(client, first, details):
            html = client.get(path).text
            shown += len(numbers.findall(html))
            found = loose_numbers(html, numbers)
            if found:
                loose[path] = found[:5]
        home = BeautifulSoup(client.get(first).text, "html.parser")
        for panel in (el["hx-get"] for el in home.select("main [hx-get]")):
            found = loose_numbers(f"<main>{client.get(panel).text}</main>", numbers)
            if found:
                loose[panel] = found[:5]
    assert shown > 50, "the walk saw hardly any record numbers: the pages changed"
    assert loose == {}


def test_the_code_filter_escapes_and_wraps(app):
    with app.test_request_context():
        template = app.jinja_env.from_string("{{ n|code }}|{{ none|code }}")
        assert template.render(n="<SO-1>", none=None) == '<span class="code">&lt;SO-1&gt;</span>|'
