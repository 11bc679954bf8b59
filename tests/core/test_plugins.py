"""The plugin system: discovery, blocking, run-time toggles, requirements, failures, collisions."""

import logging
import sys

import pytest
from bs4 import BeautifulSoup

from portal.core.plugins import PluginError
from portal.testing import enable_plugins, make_plugin, visible_text

FIRST_PARTY = {"documents", "orders", "returns", "balances", "support"}


def menu_labels(client, url="/"):
    soup = BeautifulSoup(client.get(url).text, "html.parser")
    nav = soup.find("nav", class_="menu")
    return [a.get_text(strip=True) for a in nav.find_all("a")] if nav else []


def test_first_party_plugins_are_discovered_through_entry_points(app):
    registry = app.extensions["portal.plugins"]
    found = {name for name, p in registry.plugins.items() if p.distribution == "portal"}
    assert found == FIRST_PARTY
    assert all(registry.plugins[name].first_party for name in FIRST_PARTY)
    assert registry.plugins["orders"].requires == ("documents",)


def test_first_party_plugins_start_enabled_and_third_party_disabled(make_app, db, client):
    app = make_app(PLUGINS={"widgets": make_plugin("widgets")})
    with app.test_request_context():
        enabled = app.extensions["portal.plugins"].enabled_names()
    assert FIRST_PARTY <= enabled
    assert "widgets" not in enabled


def test_blocked_plugin_is_never_imported(make_app, db):
    sys.modules.pop("plugins.support.plugin", None)
    app = make_app(BLOCKED_PLUGINS="support, returns")
    registry = app.extensions["portal.plugins"]
    assert "plugins.support.plugin" not in sys.modules
    assert registry.plugins["support"].blocked
    assert registry.plugins["support"].module is None
    with app.test_request_context():
        assert "support" not in registry.enabled_names()


def test_blocked_plugin_cannot_be_enabled(make_app, db):
    app = make_app(BLOCKED_PLUGINS=["support"])
    with app.app_context(), pytest.raises(PluginError, match="blocked by configuration"):
        from portal.core.db import get_session

        app.extensions["portal.plugins"].set_enabled(get_session(), "support", True)


def test_admin_toggles_a_plugin_at_run_time_without_a_rebuild(make_app, db, make_user):
    app = make_app(PLUGINS={"widgets": make_plugin("widgets"), "gadgets": make_plugin("gadgets")})
    enable_plugins(app, "widgets", "gadgets")
    customer = make_user("cust")
    admin = make_user("chief", kind="staff", is_admin=True)
    from portal.testing import PortalClient

    app.test_client_class = PortalClient
    shopper, boss = app.test_client(), app.test_client()
    assert shopper.login(customer.username).status_code == 303
    assert boss.login(admin.username).status_code == 303

    assert shopper.get("/widgets/").status_code == 200
    assert "Widgets menu" in menu_labels(shopper)

    response = boss.post("/admin/plugins/widgets", data={"enabled": "0"})
    assert response.status_code == 303
    assert "Widgets is now disabled." in visible_text(boss.get("/admin/plugins").text)

    assert shopper.get("/widgets/").status_code == 404
    assert "Widgets menu" not in menu_labels(shopper)
    assert shopper.get("/gadgets/").status_code == 200  # the others are unaffected
    assert "Gadgets menu" in menu_labels(shopper)

    boss.post("/admin/plugins/widgets", data={"enabled": "1"})
    assert shopper.get("/widgets/").status_code == 200
    assert "Widgets menu" in menu_labels(shopper)


def test_a_switch_reaches_every_worker_on_its_next_request(make_app, db, make_user):
    """Two apps on one database stand for two worker processes."""
    worker_a = make_app(PLUGINS={"widgets": make_plugin("widgets")})
    worker_b = make_app(PLUGINS={"widgets": make_plugin("widgets")})
    enable_plugins(worker_a, "widgets")
    user = make_user("cust")
    from portal.testing import PortalClient

    worker_b.test_client_class = PortalClient
    client_b = worker_b.test_client()
    client_b.login(user.username)
    assert client_b.get("/widgets/").status_code == 200
    with worker_a.app_context():
        from portal.core.db import get_session

        session = get_session()
        worker_a.extensions["portal.plugins"].set_enabled(session, "widgets", False)
        session.commit()
    assert client_b.get("/widgets/").status_code == 404


def test_disabled_plugin_keeps_its_grants_and_permissions_come_back(make_app, db, make_user):
    app = make_app(PLUGINS={"widgets": make_plugin("widgets", permission=True)})
    enable_plugins(app, "widgets")
    user = make_user("cust")
    from portal.testing import PortalClient

    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(user.username)
    assert "Widgets menu" in menu_labels(client)
    with app.app_context():
        from portal.core.db import get_session

        session = get_session()
        app.extensions["portal.plugins"].set_enabled(session, "widgets", False)
        session.commit()
    with app.test_request_context():
        names = {p.name for p in app.extensions["portal.plugins"].permissions()}
        assert "widgets.view" not in names
    assert "Widgets menu" not in menu_labels(client)
    enable_plugins(app, "widgets")
    assert "Widgets menu" in menu_labels(client)


def test_enabling_needs_the_required_plugins_and_enables_nothing_silently(make_app, db, admin):
    app = make_app(PLUGINS={"base": make_plugin("base"),
                            "addon": make_plugin("addon", requires=["base"])})
    from portal.testing import PortalClient

    app.test_client_class = PortalClient
    boss = app.test_client()
    boss.login("boss")
    response = boss.post("/admin/plugins/addon", data={"enabled": "1"}, follow_redirects=True)
    assert "Plugin 'addon' requires base: enable it first." in visible_text(response.text)
    with app.test_request_context():
        assert not {"base", "addon"} & app.extensions["portal.plugins"].enabled_names()

    boss.post("/admin/plugins/base", data={"enabled": "1"})
    boss.post("/admin/plugins/addon", data={"enabled": "1"})
    response = boss.post("/admin/plugins/base", data={"enabled": "0"}, follow_redirects=True)
    assert "Plugin 'base' is required by addon: disable those first." in visible_text(
        response.text)
    with app.test_request_context():
        assert {"base", "addon"} <= app.extensions["portal.plugins"].enabled_names()


def test_core_cannot_be_disabled(admin_client):
    response = admin_client.post("/admin/plugins/core", data={"enabled": "0"},
                                 follow_redirects=True)
    assert "No plugin named 'core' can be switched." in visible_text(response.text)
    assert admin_client.get("/account/").status_code == 200


def test_only_administrators_switch_plugins(staff_client):
    assert staff_client.get("/admin/plugins").status_code == 403
    assert staff_client.post("/admin/plugins/orders", data={"enabled": "0"}).status_code == 403


def test_a_failing_hook_leaves_that_plugin_out_and_the_page_renders(make_app, db, make_user,
                                                                    caplog):
    def broken(user):
        raise RuntimeError("boom")

    app = make_app(PLUGINS={"broken": make_plugin("broken", portal_menu_items=broken),
                            "widgets": make_plugin("widgets")})
    enable_plugins(app, "broken", "widgets")
    user = make_user("cust")
    from portal.testing import PortalClient

    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(user.username)
    with caplog.at_level(logging.ERROR):
        labels = menu_labels(client)
    assert "Widgets menu" in labels and "Home" in labels
    assert "Broken menu" not in labels
    assert any("plugin broken failed in portal_menu_items" in r.getMessage()
               for r in caplog.records)


def test_blueprint_must_carry_the_plugin_name(make_app, db):
    from flask import Blueprint

    from portal import hookimpl

    class P:
        @hookimpl
        def portal_blueprints(self):
            return [Blueprint("admin", __name__)]

    with pytest.raises(PluginError, match="blueprint 'admin' must be named 'thief'"):
        make_app(PLUGINS={"thief": P()}, REQUIRED_PLUGINS="thief")


def test_misspelled_hook_fails_the_plugin(make_app, db):
    from portal import hookimpl

    class P:
        @hookimpl
        def portal_menu_itemz(self, user):
            return []

    with pytest.raises(PluginError, match="unknown hook 'portal_menu_itemz'"):
        make_app(PLUGINS={"typo": P()}, REQUIRED_PLUGINS="typo")
    app = make_app(PLUGINS={"typo": P()})
    assert "portal_menu_itemz" in app.extensions["portal.plugins"].plugins["typo"].failure
