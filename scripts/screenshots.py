"""Screenshots of the main pages at phone (390 px) and desktop (1280 px) width, for review.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--lang en]

Builds a throwaway instance in a temporary folder (schema and demo data), serves it on a free
port of 127.0.0.1 and opens each page in Debian's chromium (``/usr/bin/chromium``) as a customer
and as staff. Writes ``<out>/<width>/<who>-<page>.png`` (full page) and prints each page's
``scrollWidth``, marking those wider than the window: a page wider than 390 px overflows a phone.
``make screenshots`` runs it.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "portal-demo-2026"
WIDTHS = {390: 844, 1280: 900}
# Besides every page of the signed-in user's menu (read off the page), these detail pages: the
# first link matching each pattern on the listing.
CUSTOMER_DETAILS = {"/orders/": r"/orders/\d+", "/documents/invoice/": r"/documents/\d+",
                    "/returns/": r"/returns/\d+", "/support/": r"/support/\d+",
                    "/orders/catalogue": r"/orders/products/\d+"}
STAFF_DETAILS = {"/admin/orders/": r"/admin/orders/\d+", "/admin/returns/": r"/admin/returns/\d+",
                 "/admin/support/": r"/admin/support/\d+",
                 "/admin/companies": r"/admin/companies/\d+", "/admin/users": r"/admin/users/\d+"}


def build_instance(folder: Path):
    os.environ["PORTAL_INSTANCE_PATH"] = str(folder)
    from portal import create_app
    from portal.core import migrate
    from portal.core.demo import load_demo

    app = create_app()
    migrate.upgrade(app)
    with app.app_context():
        load_demo(app)
    return app


def serve(app) -> str:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def first_links(page, pattern: str, limit: int = 1) -> list[str]:
    """Paths of the first links in ``main`` whose href matches ``pattern`` (an order, …)."""
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return [h for h in hrefs if re.fullmatch(pattern, h)][:limit]


def menu_links(page) -> list[str]:
    """Every page of the main menu, in menu order (the home page first)."""
    hrefs = page.eval_on_selector_all("nav.menu a[href]",
                                      "els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(["/", *hrefs]))


def fill_cart(page) -> None:
    """Two products in the cart, so the cart page shows lines and totals, not "empty"."""
    page.goto("/orders/cart")
    if page.locator("#cart-table tbody tr").count():
        return
    page.goto("/orders/catalogue")
    for index in (0, 1):
        page.locator("form.add-to-cart button").nth(index).click()
        page.wait_for_load_state("networkidle")


def shoot(browser, base: str, username: str, out: Path, lang: str,
          detail_pages: dict[str, str], prepare=None) -> list[tuple[int, str, int]]:
    widths = []
    for width, height in WIDTHS.items():
        context = browser.new_context(base_url=base, viewport={"width": width, "height": height},
                                      locale="tr-TR" if lang == "tr" else "en-US")
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(lambda url: "/login" not in url)
        if prepare:
            prepare(page)
            page.goto("/")
        urls = menu_links(page)
        for listing, pattern in detail_pages.items():
            page.goto(listing)
            urls += first_links(page, pattern)
        folder = out / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        for url in urls:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            name = re.sub(r"[^\w]+", "-", url.strip("/")) or "home"
            page.screenshot(path=str(folder / f"{username}-{name}.png"), full_page=True)
            widths.append((width, f"{username} {url}",
                           page.evaluate("document.documentElement.scrollWidth")))
        context.close()
    return widths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", type=Path)
    parser.add_argument("--lang", default="en", choices=["en", "tr"])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as tmp:
        app = build_instance(Path(tmp))
        base = serve(app)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            widths = shoot(browser, base, "ayse", args.out, args.lang, CUSTOMER_DETAILS,
                           prepare=fill_cart)
            widths += shoot(browser, base, "temsilci", args.out, args.lang, STAFF_DETAILS)
            browser.close()
    too_wide = 0
    for width, label, scroll in widths:
        flag = "  TOO WIDE" if scroll > width else ""
        too_wide += bool(flag)
        print(f"{width:>5} {scroll:>5}  {label}{flag}")
    print(f"screenshots in {args.out}/; {too_wide} page(s) wider than the window")
    return 0


if __name__ == "__main__":
    sys.exit(main())
