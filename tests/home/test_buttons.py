"""Issue 13: buttons of one family (static/portal.css): every button on the main pages is a
plain, primary or danger button — "Compare" and "Add to cart" look like buttons, not links."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tests.home.conftest import menu_paths

FAMILY = {"primary", "danger"}


def _odd_buttons(html):
    main = BeautifulSoup(html, "html.parser").find("main")
    odd = []
    for button in main.select("button, input[type=submit], input[type=button]"):
        if set(button.get("class") or ()) - FAMILY:
            odd.append(str(button)[:80])
    for link in main.select("a.button"):
        if set(link.get("class")) - FAMILY - {"button"}:
            odd.append(str(link)[:80])
    return odd


def test_every_button_on_the_main_pages_is_of_the_family(signed_in):
    customer, staff = signed_in("ayse"), signed_in("admin")
    odd = {}
    for client, first in ((customer, "/"), (staff, "/admin/")):
        paths = menu_paths(client, first)
        if client is customer:
            catalogue = BeautifulSoup(client.get("/orders/catalogue").text, "html.parser")
            product = next(a["href"] for a in catalogue.select("main a[href]")
                           if re.fullmatch(r"/orders/products/\d+", a["href"]))
            paths.append(product)
        for path in paths:
            found = _odd_buttons(client.get(path).text)
            if found:
                odd[path] = found
    assert odd == {}


def test_compare_and_add_to_cart_are_buttons_add_to_cart_the_primary_one(signed_in):
    soup = BeautifulSoup(signed_in("ayse").get("/orders/catalogue").text, "html.parser")
    add = soup.select_one("form.add-to-cart button")
    compare = next(b for b in soup.select("main button") if b.get_text().startswith("Compare"))
    assert add.get("class") == ["primary"]
    assert not compare.get("class")  # the plain (secondary) button, not a text link


def test_the_stylesheet_defines_one_family_for_buttons_and_button_links():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "portal.css").read_text()
    assert "button, a.button {" in css
    assert "button.primary, a.button.primary {" in css
    assert re.search(r"^a\.button \{", css, re.M) is None  # no second, different definition
