"""Support in the browser (the plugin's other tests are in tests/support): a whole conversation
between a customer and a staff member in two browser contexts, with JavaScript on (the staff
reply appears without reload) and off (it appears on reload); polling pauses in a hidden tab;
axe on every JavaScript-enabled page; nothing wider than a 390 px phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in


@pytest.fixture
def server(make_app, db, serve):
    """The app on a live server, polling every second so the test need not wait 15 s."""
    return serve(make_app(SUPPORT_POLL_SECONDS=1))


def _serious(page: Page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} -> "
            + ", ".join(str(n["target"]) for n in v["nodes"])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def open_one_live():
    """``open_one_live(server, user)`` opens a request in a live server's app; its id."""

    def factory(server, user, subject="Canlı talep", body="Merhaba"):
        from plugins.support.services import open_request
        from plugins.support.services.topics import ensure_default_topics
        from portal.core.db import get_session

        with server.app.test_request_context():
            session = get_session()
            ensure_default_topics(session)
            request = open_request(session, company_id=user.company_id, author=user,
                                   topic="other", subject=subject, body=body)
            session.commit()
            return request.id

    return factory


def _fits_a_phone(page: Page) -> None:
    """Nothing is wider than a 390 px phone; screenshots at 390 and 1280 px are kept in
    ``test-artifacts/support-*.png`` to look at."""
    SHOTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w]+", "-", page.url.split("/", 3)[-1]).strip("-") or "home"
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SHOTS / f"support-{name}-390.png"), full_page=True)
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390
                && ![...e.children].some(c => c.getBoundingClientRect().right > 390))
        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8)""")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / f"support-{name}-1280.png"), full_page=True)
    assert width <= 390, f"{page.url} is {width} px wide on a phone: {wide}"


def _seed_topics(server):
    from plugins.support.services.topics import ensure_default_topics
    from portal.core.db import get_session

    with server.app.app_context():
        session = get_session()
        ensure_default_topics(session)
        session.commit()


def test_a_whole_conversation_with_javascript(new_page, server, customer, staff):
    _seed_topics(server)
    buyer = new_page(server)
    sign_in(buyer, "ayse")
    buyer.get_by_role("navigation", name="Main menu").get_by_role("link", name="Support").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Support")
    assert _serious(buyer) == []
    buyer.goto("/orders/")
    _fits_a_phone(buyer)
    buyer.goto("/support/")
    buyer.get_by_role("link", name="New request").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("New support request")
    assert _serious(buyer) == []
    _fits_a_phone(buyer)
    buyer.get_by_label("Topic").select_option(label="Delivery")
    buyer.get_by_label("Subject").fill("Eksik koli")
    buyer.get_by_label("Message").fill("İki koli eksik geldi.\nNe yapalım?")
    buyer.get_by_role("button", name="Send request").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Eksik koli")
    expect(buyer.locator("#support-messages")).to_contain_text("İki koli eksik geldi.")
    assert _serious(buyer) == []
    _fits_a_phone(buyer)

    rep = new_page(server)
    sign_in(rep, "rep")
    rep.goto("/admin/support/")
    assert _serious(rep) == []
    _fits_a_phone(rep)
    rep.locator("#inbox-table tbody th a").first.click()
    expect(rep.get_by_role("heading", level=1)).to_contain_text("Eksik koli")
    rep.get_by_role("button", name="Take this request").click()
    expect(rep.locator("#request-assignee")).to_have_text("Murat Kaya")
    rep.get_by_label("Message").fill("Depoya sordum")
    rep.get_by_label("Internal note (the customer never sees it)").check()
    rep.get_by_role("button", name="Send").click()
    expect(rep.locator("li.message.internal")).to_contain_text("Depoya sordum")
    rep.get_by_label("Message").fill("Merhaba, eksik koliler yarın gönderilecek.")
    rep.get_by_role("button", name="Send").click()
    expect(rep.locator("#request-status")).to_have_text("Waiting for customer")
    assert _serious(rep) == []
    _fits_a_phone(rep)

    # the customer's open page shows the reply without a reload, and never the note
    expect(buyer.locator("#support-messages")).to_contain_text("yarın gönderilecek",
                                                               timeout=8_000)
    expect(buyer.locator("#support-messages")).not_to_contain_text("Depoya sordum")
    buyer.get_by_label("Your reply").fill("Teşekkürler!")
    buyer.get_by_role("button", name="Send reply").click()
    expect(buyer.locator("#support-messages")).to_contain_text("Teşekkürler!")
    expect(buyer.locator("#request-status")).to_have_text("Open")
    expect(rep.locator("#support-messages")).to_contain_text("Teşekkürler!", timeout=8_000)
    buyer.get_by_role("button", name="My question is answered: close the request").click()
    expect(buyer.locator("#request-status")).to_have_text("Closed")
    expect(buyer.get_by_role("button", name="Reopen the request")).to_be_visible()
    assert _serious(buyer) == []


def test_a_conversation_without_javascript(new_page, server, customer, staff):
    _seed_topics(server)
    buyer = new_page(server, javascript=False)
    sign_in(buyer, "ayse")
    buyer.goto("/support/new")
    buyer.get_by_label("Topic").select_option(label="Invoice and payment")
    buyer.get_by_label("Subject").fill("Fatura sorusu")
    buyer.get_by_label("Message").fill("Faturada iskonto yok.")
    buyer.get_by_label("Attachments").set_input_files(
        files=[{"name": "fatura.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 test"}])
    buyer.get_by_role("button", name="Send request").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Fatura sorusu")
    expect(buyer.get_by_role("link", name="fatura.pdf")).to_be_visible()
    thread_url = buyer.url

    rep = new_page(server, javascript=False)
    sign_in(rep, "rep")
    rep.goto("/admin/support/")
    rep.locator("#inbox-table tbody th a").first.click()
    rep.get_by_label("Message").fill("İade faturası kesildi.")
    rep.get_by_role("button", name="Send").click()
    expect(rep.get_by_text("Your reply was sent to the customer.")).to_be_visible()

    buyer.goto(thread_url)
    expect(buyer.locator("#support-messages")).to_contain_text("İade faturası kesildi.")
    buyer.get_by_label("Your reply").fill("Gördüm, teşekkürler.")
    buyer.get_by_role("button", name="Send reply").click()
    expect(buyer.get_by_text("Your reply was sent.")).to_be_visible()
    expect(buyer.locator("#support-messages")).to_contain_text("Gördüm, teşekkürler.")
    buyer.goto("/support/")
    expect(buyer.locator("#support-table")).to_contain_text("Fatura sorusu")


def test_polling_pauses_while_the_tab_is_hidden(new_page, server, customer, open_one_live):
    request = open_one_live(server, customer)
    page = new_page(server)
    sign_in(page, "ayse")
    page.goto(f"/support/{request}")
    polls = lambda: [r for r in server.requests if r.path.endswith("/messages")]  # noqa: E731
    expect(page.locator("#support-messages")).to_be_visible()
    page.wait_for_timeout(2_500)
    assert polls(), "an open thread polls"
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: true, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(300)
    before = len(polls())
    page.wait_for_timeout(3_000)
    assert len(polls()) == before, "a hidden tab does not poll"
    page.evaluate("""() => {
        Object.defineProperty(document, 'hidden', {value: false, configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    page.wait_for_timeout(500)
    assert len(polls()) > before, "becoming visible polls at once"
