"""Hypothesis against every POST form a signed-in customer reaches: each field gets random text
and edge values (NUL, huge numbers, far dates, long text, Turkish letters), the CSRF token is
kept; no answer may be a 5xx.

The forms are found, not listed: the menu pages and the pages they link to are crawled (one
page per route, on the demo data, with something in the cart), and every ``<form
method=post>`` is read with BeautifulSoup.
"""

from __future__ import annotations

import uuid
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from portal.core.demo import DEMO_PASSWORD, load_demo
from portal.testing import PortalClient

from .conftest import FUZZ, server_error

EDGES = ["", " ", "\x00", "0", "-1", "1.5", "2147483648", "9" * 40, "-9223372036854775809",
         "1e999", "NaN", "0001-01-01", "9999-12-31", "2026-02-30", "x" * 5000, "İıŞşĞğ",
         "١٢", "<script>alert(1)</script>", "' OR 1=1 --", "\r\n"]
SKIP = {"auth.logout"}  # signing out ends the fuzz, not the portal
MAX_PAGES = 200
PER_SOURCE = 2
EXAMPLES = 10


# A form body is bytes: a browser (and the test client) cannot send an unpaired surrogate.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


def _value(original: str):
    return st.one_of(st.sampled_from(EDGES), TEXT, st.just(original))


def _submissions(fields: dict):
    """Mostly a plausible form with one field odd (so the odd value gets past the others'
    validation and reaches the save), sometimes every field odd."""
    one_odd = st.sampled_from(sorted(fields) or [""]).flatmap(
        lambda name: st.sampled_from(EDGES).map(lambda odd: {**fields, name: odd}
                                                 if name else dict(fields)))
    all_odd = st.fixed_dictionaries({name: _value(value) for name, value in fields.items()})
    return st.one_of(one_odd, one_odd, all_odd)


def _endpoint(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(path, method="GET")[0]
    except HTTPException:
        return None


def _crawl(app, client) -> dict[str, tuple[str, dict]]:
    """``{endpoint: (action, {field: first value})}`` of the POST forms, one per endpoint."""
    forms, visited, seen, queue = {}, set(), {}, [("/", "")]
    while queue and len(visited) < MAX_PAGES:
        url, source = queue.pop(0)
        path = urlsplit(url).path
        endpoint = _endpoint(app, path)
        # a few pages of each route from each page that links to it: every document type's
        # detail from its own list, not only the first list's
        key = (endpoint, source)
        if endpoint is None or path in visited or seen.get(key, 0) >= PER_SOURCE:
            continue
        visited.add(path)
        seen[key] = seen.get(key, 0) + 1
        response = client.get(url)
        html = response.text if response.mimetype == "text/html" else ""
        response.close()
        soup = BeautifulSoup(html, "html.parser")
        queue += [(urljoin(url, a["href"]), path) for a in soup.find_all("a", href=True)
                  if urljoin(url, a["href"]).startswith("/")]
        for form in soup.find_all("form"):
            action = urljoin(url, form.get("action") or url)
            post_endpoint = _endpoint_post(app, urlsplit(action).path)
            if ((form.get("method") or "").lower() != "post" or post_endpoint in SKIP
                    or post_endpoint in forms):
                continue
            fields = {}
            for field in form.find_all(["input", "select", "textarea"]):
                name = field.get("name")
                if not name or field.get("type") == "file" or name.endswith("csrf_token"):
                    continue
                fields.setdefault(name, _plausible(field))
            forms[post_endpoint] = (action, fields)
    return forms


def _plausible(field) -> str:
    """What a user would send: the hidden value as it is, the first real choice, else "1"
    (a quantity, a subject, a message)."""
    if field.name == "select":
        options = [o.get("value", o.get_text()).strip() for o in field.find_all("option")]
        return next((o for o in options if o), "")
    value = (field.get("value") or field.get_text() or "").strip()
    return value if value or field.get("type") == "hidden" else "1"


def _endpoint_post(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(path, method="POST")[0]
    except HTTPException:
        return None


def test_no_customer_form_answers_a_server_error(app, db):
    with app.app_context():
        load_demo(app)
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login("ayse", DEMO_PASSWORD).status_code == 303
    forms = _crawl(app, client)
    action, fields = forms["orders.cart_add"]
    assert client.post(action, data=fields).status_code < 400  # a cart: its forms appear
    forms = {**_crawl(app, client), **forms}
    assert {"orders.cart_add", "orders.checkout", "orders.quick_order", "support.new",
            "support.post_reply", "account.password", "returns.new", "returns.edit",
            "balances.answer"} <= set(forms), sorted(forms)
    failures: dict[str, str] = {}
    for endpoint, (action, fields) in sorted(forms.items()):
        _fuzz_form(client, endpoint, action, fields, failures)
    assert not failures, "\n".join(f"{k}: {v}" for k, v in failures.items())


def _fuzz_form(client, endpoint: str, action: str, fields: dict, failures: dict) -> None:
    @settings(FUZZ, max_examples=EXAMPLES)
    @given(data=_submissions(fields))
    def fuzz(data):
        # a fresh key per submission, as a freshly loaded form has: a repeated key would only
        # replay the first answer
        data = {name: uuid.uuid4().hex if name == "idempotency_key" and value == fields[name]
                else value for name, value in data.items()}
        try:  # the client adds the session's CSRF token, like the browser
            response = client.post(action, data=data)
        except Exception as exc:  # noqa: BLE001 - the server error we look for
            server_error(failures, endpoint, f"{exc!r:.300} posting {data!r:.300}")
            return
        if response.status_code >= 500:
            server_error(failures, endpoint, f"{response.status_code} posting {data!r:.300}")

    fuzz()
