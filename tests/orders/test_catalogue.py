"""Catalogue: Turkish search, category filter, paging, htmx results, product page, restriction."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from portal.testing import htmx_headers

from .conftest import add_products, restrict


def names(soup) -> list[str]:
    table = soup.find(id="catalogue-table")
    return [th.get_text(" ", strip=True) for th in table.select("tbody th")] if table else []


@pytest.mark.parametrize("query", ["İstanbul", "ISTANBUL", "istanbul", "Istanbul", "İSTANBUL"])
def test_search_finds_istanbul_whatever_the_case(buyer, query):
    soup = buyer.soup(f"/orders/catalogue?q={query}")
    assert names(soup) == ["İstanbul lambası"]


@pytest.mark.parametrize("query", ["Işık", "IŞIK", "ışık", "isik", "ISIK"])
def test_search_finds_isik_whatever_the_case(buyer, query):
    soup = buyer.soup(f"/orders/catalogue?q={query}")
    assert names(soup) == ["Işık kablosu 3×2,5"]


def test_search_matches_every_word_and_product_codes(buyer):
    assert names(buyer.soup("/orders/catalogue?q=vida m8")) == ["Vida M8 × 40"]
    assert names(buyer.soup("/orders/catalogue?q=vd-10")) == ["Vida M6 × 30", "Vida M8 × 40"]
    soup = buyer.soup("/orders/catalogue?q=yok-böyle-bir-şey")
    assert names(soup) == []
    assert "No product matches" in soup.get_text()


def test_search_treats_like_wildcards_as_text(buyer):
    assert names(buyer.soup("/orders/catalogue?q=%25")) == []
    assert names(buyer.soup("/orders/catalogue?q=_")) == []


def test_category_filter_and_withdrawn_products_hidden(buyer, shop, db):
    shop.products["BY-400"].active = False
    db.commit()
    soup = buyer.soup("/orders/catalogue?category=BOY")
    assert names(soup) == ["Fiyatsız ürün"]
    options = [o["value"] for o in soup.select("#catalogue-category option")]
    assert options == ["", "FAS", "ELK", "BOY"]


def test_paging_keeps_the_filters(buyer, shop, db):
    add_products(db, shop, 30)
    soup = buyer.soup("/orders/catalogue?category=FAS")
    assert len(names(soup)) == 25
    assert "32 products found" in soup.get_text()
    next_link = soup.select_one(".pager a[rel=next]")["href"]
    assert "category=FAS" in next_link and "after=" in next_link and "page=" not in next_link
    assert len(names(buyer.soup(next_link))) == 7


def test_htmx_search_returns_only_the_results_and_the_url_works_without_js(buyer):
    response = buyer.get("/orders/catalogue?q=lamba", headers=htmx_headers("catalogue-results"))
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    assert soup.find(id="catalogue-results") is not None
    assert names(soup) == ["İstanbul lambası"]
    assert "HX-Target" in response.headers["Vary"]
    full = buyer.soup("/orders/catalogue?q=lamba")
    assert full.find("h1").text == "Catalogue"
    assert names(full) == ["İstanbul lambası"]


def test_search_input_is_wired_for_active_search(buyer):
    field = buyer.soup("/orders/catalogue").find(id="catalogue-q")
    assert field["hx-trigger"] == "input changed delay:300ms, search"
    assert field["hx-target"] == "#catalogue-results"
    assert field["hx-push-url"] == "true"
    assert field.find_parent("form")["method"] == "get"
    assert field["type"] == "search"


def test_prices_come_from_the_companys_price_list(buyer, shop, db, buyer_company):
    from decimal import Decimal

    from plugins.orders.models import Price, PriceList

    from .conftest import assign_price_list

    dealer = PriceList(code="BAYI", name="Bayi")
    db.add(dealer)
    db.flush()
    db.add(Price(price_list_id=dealer.id, product_id=shop.products["LM-300"].id,
                 unit_price=Decimal("99.90")))
    db.commit()
    assign_price_list(db, buyer_company.id, dealer.id)
    soup = buyer.soup("/orders/catalogue?q=lamba")
    assert "99.90" in soup.find(id="catalogue-table").get_text()
    soup = buyer.soup("/orders/catalogue?q=vida")  # not on the dealer list: no price
    assert "Price on request" in soup.find(id="catalogue-table").get_text()


def test_product_page_shows_details_and_a_quantity_field(buyer, shop):
    product = shop.products["KB-200"]
    soup = buyer.soup(f"/orders/products/{product.id}")
    assert soup.find("h1").text == "Işık kablosu 3×2,5"
    field = soup.find(id="product-quantity")
    assert field["inputmode"] == "decimal"
    assert soup.find("label", attrs={"for": "product-quantity"})
    assert "2,5 mm²" in soup.get_text()


def test_withdrawn_or_unknown_product_page_is_404(buyer, shop, db):
    shop.products["BY-400"].active = False
    db.commit()
    assert buyer.get(f"/orders/products/{shop.products['BY-400'].id}").status_code == 404
    assert buyer.get("/orders/products/999999").status_code == 404


# -- restriction kind ------------------------------------------------------------------------


def test_restriction_kinds_are_registered_with_options_from_the_database(app, shop, db):
    from portal.core.plugins import get_registry

    with app.test_request_context():
        kinds = {k.name: k for k in get_registry().restriction_kinds()}
        assert {"orders.products", "orders.categories"} <= set(kinds)
        assert ("ELK", "Elektrik") in kinds["orders.categories"].options(db)
        # products are looked up by the codes typed, never listed whole
        assert kinds["orders.products"].lookup(db, ["KB-200", "NO-SUCH"]) == {
            "KB-200": f"KB-200 · {shop.products['KB-200'].name}"}


@pytest.fixture
def electrics_only(db, customer_group, shop):
    restrict(db, customer_group, "orders.categories", "ELK")


def test_category_restriction_hides_products_everywhere(buyer, shop, electrics_only):
    soup = buyer.soup("/orders/catalogue")
    assert names(soup) == ["Işık kablosu 3×2,5", "İstanbul lambası"]
    assert [o["value"] for o in soup.select("#catalogue-category option")] == ["", "ELK"]
    assert names(buyer.soup("/orders/catalogue?q=vida")) == []
    assert names(buyer.soup("/orders/catalogue?category=FAS")) != ["Vida M6 × 30"]
    screw = shop.products["VD-100"]
    assert buyer.get(f"/orders/products/{screw.id}").status_code == 404
    assert buyer.post("/orders/compare/add", data={"product_id": screw.id}).status_code == 404
    assert buyer.post("/orders/cart/add",
                      data={"product_id": screw.id, "quantity": "1"}).status_code == 404
    soup = buyer.soup("/orders/cart")
    assert "Vida" not in soup.get_text()


def test_product_restriction_and_category_restriction_combine(buyer, db, customer_group, shop):
    restrict(db, customer_group, "orders.categories", "ELK", "FAS")
    restrict(db, customer_group, "orders.products", "VD-100", "LM-300", "BY-400")
    assert names(buyer.soup("/orders/catalogue")) == ["İstanbul lambası", "Vida M6 × 30"]


def test_a_second_unrestricted_group_lifts_the_restriction(buyer, db, customer_group, shop,
                                                          customer):
    from portal.core.models import AccessGroup, AccessGroupMember

    restrict(db, customer_group, "orders.categories", "ELK")
    other = AccessGroup(name="All products", profile_id=customer_group.profile_id)
    db.add(other)
    db.flush()
    db.add(AccessGroupMember(group_id=other.id, user_id=customer.id))
    db.commit()
    assert len(names(buyer.soup("/orders/catalogue"))) == 6


def test_catalogue_needs_the_permission(client, make_user, db, customer_group, shop):
    from portal.core.models import AccessGroupExclusion

    db.add(AccessGroupExclusion(group_id=customer_group.id, permission="orders.catalogue"))
    db.commit()
    make_user("narrow")
    client.login("narrow")
    assert client.get("/orders/catalogue").status_code == 403


def test_staff_cannot_open_the_customer_catalogue(staff_client, shop):
    assert staff_client.get("/orders/catalogue").status_code == 403


# -- query counts ----------------------------------------------------------------------------


def test_catalogue_query_count_does_not_grow_with_rows(buyer, shop, db, count_queries):
    buyer.get("/orders/catalogue")  # warm up (plugin states, sessions)
    with count_queries() as small:
        assert buyer.get("/orders/catalogue?q=").status_code == 200
    add_products(db, shop, 30)
    with count_queries() as large:
        assert buyer.get("/orders/catalogue?q=").status_code == 200
    assert small.count == large.count


# -- keyset paging ---------------------------------------------------------------------------


def _expected_names(db) -> list[str]:
    from sqlalchemy import select

    from plugins.orders.models import Product

    return list(db.scalars(select(Product.name).where(Product.active.is_(True))
                           .order_by(Product.search_key, Product.id)))


def test_catalogue_walks_next_and_previous_seeing_every_product_once(buyer, shop, db):
    add_products(db, shop, 60)  # 66 visible products: pages of 25, 25 and 16
    expected = _expected_names(db)
    soup = buyer.soup("/orders/catalogue")
    pages = [names(soup)]
    while (link := soup.select_one(".pager a[rel=next]")) is not None:
        assert "after=" in link["href"] and "page=" not in link["href"]
        soup = buyer.soup(link["href"])
        pages.append(names(soup))
    assert [len(p) for p in pages] == [25, 25, 16]
    assert sum(pages, []) == expected
    assert "Page 3 of 3" in soup.find("nav", class_="pager").get_text(" ")
    back = []
    while (link := soup.select_one(".pager a[rel=prev]")) is not None:
        soup = buyer.soup(link["href"])
        back.insert(0, names(soup))
    assert back == pages[:-1]
    assert "Page 1 of 3" in soup.find("nav", class_="pager").get_text(" ")


def test_catalogue_keyset_links_keep_the_search_and_swap_with_htmx(buyer, shop, db):
    add_products(db, shop, 60)
    soup = buyer.soup("/orders/catalogue?q=ek+%C3%BCr%C3%BCn")
    assert len(names(soup)) == 25
    link = soup.select_one(".pager a[rel=next]")
    assert "q=ek" in link["href"] and link["hx-target"] == "#catalogue-results"
    assert link["hx-push-url"] == "true"
    response = buyer.get(link["href"], headers=htmx_headers("catalogue-results"))
    fragment = BeautifulSoup(response.text, "html.parser")
    assert fragment.find("html") is None and fragment.find(id="catalogue-results") is not None
    assert names(fragment) == [f"Ek ürün {i:04d}" for i in range(25, 50)]
    # the URL pushed answers a plain GET (JavaScript off, reload) with the same rows
    assert names(buyer.soup(link["href"])) == names(fragment)
    # the cart and comparison forms of that page bring the customer back to it
    nexts = {i["value"] for i in fragment.select("form input[name=next]")}
    assert nexts and all("after=" in n for n in nexts)
    product_id = fragment.select_one("form.add-to-cart input[name=product_id]")["value"]
    back = fragment.select_one("form.add-to-cart input[name=next]")["value"]
    response = buyer.post("/orders/cart/add", data={"product_id": product_id, "quantity": "1",
                                                    "next": back, "from": "list"})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    assert names(buyer.soup(response.headers["Location"])) == names(fragment)


def test_catalogue_old_page_links_still_work(buyer, shop, db):
    add_products(db, shop, 60)
    expected = _expected_names(db)
    soup = buyer.soup("/orders/catalogue?page=2")
    assert names(soup) == expected[25:50]
    assert "Page 2 of 3" in soup.find("nav", class_="pager").get_text(" ")
    # its links are keyset ones again
    assert names(buyer.soup(soup.select_one(".pager a[rel=next]")["href"])) == expected[50:]
    assert names(buyer.soup(soup.select_one(".pager a[rel=prev]")["href"])) == expected[:25]
    # past the end: the last page; nonsense: the first
    assert names(buyer.soup("/orders/catalogue?page=99")) == expected[50:]
    assert buyer.get("/orders/catalogue?page=abc").status_code in (200, 400)
    assert names(buyer.soup("/orders/catalogue?after=forged")) == expected[:25]


def test_catalogue_deep_page_costs_what_the_first_page_costs(buyer, shop, db, count_queries):
    from decimal import Decimal

    from plugins.orders.models import Price, Product

    products = [Product(code=f"D-{i:05d}", name=f"Derin ürün {i:05d}",
                        category_id=shop.categories["FAS"].id) for i in range(1010)]
    db.add_all(products)
    db.flush()
    db.add_all([Price(price_list_id=shop.price_list.id, product_id=p.id,
                      unit_price=Decimal("1.00")) for p in products])
    db.commit()
    buyer.get("/orders/catalogue")  # warm up (plugin states, sessions)
    with count_queries() as first:
        page1 = buyer.soup("/orders/catalogue")
    with count_queries() as deep:
        page40 = buyer.soup("/orders/catalogue?page=40")
    url = page40.select_one(".pager a[rel=next]")["href"]
    with count_queries() as keyset:
        page41 = buyer.soup(url)
    assert first.count == deep.count == keyset.count
    # the page's own SQL: the categories, the capped count and the page's rows, nothing per
    # row or per page; page 40 is the same SQL text as page 1 (only its bound offset differs)
    catalogue = [s for s in first.statements if "orders_product" in s]
    assert len(catalogue) == 3
    assert deep.statements == first.statements
    assert len([s for s in keyset.statements if "orders_product" in s]) == 3
    assert len(names(page1)) == len(names(page40)) == 25
    assert names(page41)[0] == "Derin ürün 01000"
    assert "Page 41 of 41" in page41.find("nav", class_="pager").get_text(" ")
