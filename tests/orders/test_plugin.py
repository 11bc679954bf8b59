"""The plugin's contributions: permissions, menus, and what happens when it is switched off."""

from __future__ import annotations


def menu_links(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select("nav.menu a")]


def test_customer_menu_and_permissions(buyer, app):
    from portal.core.plugins import get_registry

    links = menu_links(buyer.soup("/"))
    for label in ("Catalogue", "Compare products", "Cart", "Quick order", "Orders",
                  "Order statement"):
        assert label in links
    with app.test_request_context():
        perms = {p.name: p for p in get_registry().permissions()}
    assert all(perms[n].customer_default for n in ("orders.view", "orders.create",
                                                    "orders.catalogue"))


def test_a_customer_without_orders_create_sees_no_cart(client, make_user, db, customer_group,
                                                       shop):
    from portal.core.models import AccessGroupExclusion

    db.add(AccessGroupExclusion(group_id=customer_group.id, permission="orders.create"))
    db.commit()
    make_user("browser")
    client.login("browser")
    soup = client.soup("/orders/catalogue")
    assert soup.find(id="cart-badge") is None
    assert soup.select("form.add-to-cart") == []
    assert "Cart" not in menu_links(soup)
    assert client.get("/orders/cart").status_code == 403
    assert client.post("/orders/cart/add", data={"product_id": shop.products["VD-100"].id,
                                                 "quantity": "1"}).status_code == 403


def test_switched_off_plugin_hides_pages_badge_and_panel(buyer, app, shop):
    from portal.core.db import get_session
    from portal.core.plugins import get_registry

    with app.app_context():
        session = get_session()
        get_registry().set_enabled(session, "orders", False)
        session.commit()
    soup = buyer.soup("/")
    assert soup.find(id="cart-badge") is None
    assert soup.find(id="panel-open-orders") is None
    assert "Catalogue" not in menu_links(soup)
    assert buyer.get("/orders/catalogue").status_code == 404
