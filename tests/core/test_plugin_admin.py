"""The plugins' admin pages, per-plugin settings, demo data on enabling, hook tracing, and the
command line on a database that was never upgraded."""

import logging

from bs4 import BeautifulSoup
from sqlalchemy import select

from portal import hookimpl
from portal.core.models import AuditLog, Setting
from portal.core.types import PluginSetting
from portal.testing import PortalClient, enable_plugins, make_plugin, visible_text


def _settings():
    return [PluginSetting("FANCY_PER_PAGE", 20, "Rows on one page."),
            PluginSetting("FANCY_STRICT", False, "Refuse odd rows."),
            PluginSetting("FANCY_TOKEN", "", "The partner's token.", secret=True)]


def test_hook_portal_settings(make_app, db, admin, monkeypatch):
    monkeypatch.setenv("PORTAL_FANCY_PER_PAGE", "50")
    monkeypatch.setenv("PORTAL_FANCY_TOKEN", "s3cret-value")
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", portal_settings=_settings)})
    assert app.config["FANCY_PER_PAGE"] == 50  # the environment's string, as the default's type
    assert app.config["FANCY_STRICT"] is False
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login("boss")
    soup = BeautifulSoup(client.get("/admin/plugins/fancy").text, "html.parser")
    rows = {tr.th.code.text: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in soup.select("tbody tr")}
    assert rows["PORTAL_FANCY_PER_PAGE"] == ["50", "20"]
    assert rows["PORTAL_FANCY_STRICT"] == ["False (default)", "False"]
    assert "s3cret-value" not in soup.text and rows["PORTAL_FANCY_TOKEN"][0] == "(hidden)"
    assert "Rows on one page." in soup.text


def test_a_setting_outside_the_plugins_prefix_fails_it(make_app, db):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", portal_settings=lambda: [
        PluginSetting("SECRET_KEY", "x")])})
    assert "must start with 'FANCY_'" in app.extensions["portal.plugins"].plugins["fancy"].failure
    assert app.config["SECRET_KEY"] == "test-secret"


def test_plugins_page_shows_version_requirements_hooks_and_state(admin_client):
    soup = admin_client.soup("/admin/plugins")
    row = next(sec for sec in soup.select("section.plugin") if sec.h2.code.text == "orders")
    assert row.select_one(".plugin-version").text == "Version 0.1.0"
    assert row.select_one(".plugin-requires").text == "Requires documents"
    assert row.select_one(".plugin-origin").text == "first-party"
    assert row.select_one(".plugin-state").text == "enabled"
    hooks = row.select_one("details.plugin-hooks").get_text(" ", strip=True)
    assert "portal_blueprints" in hooks and "portal_menu_items" in hooks
    page = visible_text(admin_client.get("/admin/plugins/orders").text)
    assert "Hooks implemented" in page and "portal_permissions" in page
    assert admin_client.get("/admin/plugins/nothing-here").status_code == 404


def _demo_plugin():
    class P:
        @hookimpl
        def portal_demo_data(self, session):
            if session.get(Setting, "fancy.demo") is None:
                session.add(Setting(key="fancy.demo", value="loaded"))

    return P()


def test_enabling_with_demo_loads_the_plugins_demo_data_once(make_app):
    app = make_app(PLUGINS={"fancy": _demo_plugin()})
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["plugins", "enable", "fancy", "--demo"])
        assert result.exit_code == 0, result.output
        assert "Demo data of fancy loaded." in result.output
    with app.app_context():
        from portal.core.db import get_session

        assert get_session().scalars(select(Setting.value).where(
            Setting.key == "fancy.demo")).all() == ["loaded"]
    result = runner.invoke(args=["plugins", "enable", "orders", "--demo"])
    assert result.exit_code == 0, result.output


def test_the_admin_button_loads_demo_data_of_an_enabled_plugin(make_app, db, admin):
    app = make_app(PLUGINS={"fancy": _demo_plugin()})
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login("boss")
    assert client.post("/admin/plugins/fancy/demo").status_code == 404  # disabled
    response = client.post("/admin/plugins/fancy", data={"enabled": "1"}, follow_redirects=True)
    assert "comes with demo data" in visible_text(response.text)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("button", string="Load demo data of fancy")
    for _ in range(2):
        response = client.post("/admin/plugins/fancy/demo", follow_redirects=True)
        assert "Demo data of fancy loaded." in visible_text(response.text)
    assert db.scalars(select(Setting.value).where(Setting.key == "fancy.demo")).all() \
        == ["loaded"]
    assert db.scalar(select(AuditLog.action).where(AuditLog.action == "plugin.demo"))


def test_trace_hooks_logs_each_call_with_plugin_and_time(make_app, db, make_user, caplog):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy")}, TRACE_HOOKS="1")
    enable_plugins(app, "fancy")
    user = make_user("cust")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(user.username)
    with caplog.at_level(logging.INFO, logger="portal.hooks"):
        client.get("/")
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.hooks"]
    assert any(line.startswith("hook portal_menu_items plugin fancy ") and line.endswith(" ms")
               for line in lines), lines


def test_every_command_on_a_database_never_upgraded_says_so(tmp_path):
    from portal import create_app

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                      "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "instance")})
    runner = app.test_cli_runner()
    for args in (["plugins", "list"], ["plugins", "enable", "orders"], ["demo"],
                 ["users", "create-staff", "elif", "--password", "a-long-password"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output == "Error: the database is not set up; run `portal db upgrade`\n"
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_setting_value_that_does_not_convert_fails_the_plugin_and_empty_means_default(
        make_app, db, monkeypatch):
    monkeypatch.setenv("PORTAL_FANCY_PER_PAGE", "lots")
    monkeypatch.setenv("PORTAL_FANCY_STRICT", "")
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", portal_settings=_settings)})
    failure = app.extensions["portal.plugins"].plugins["fancy"].failure
    assert failure == "setting FANCY_PER_PAGE='lots' is not a int"
    monkeypatch.setenv("PORTAL_FANCY_PER_PAGE", "")
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", portal_settings=_settings)})
    assert app.config["FANCY_PER_PAGE"] == 20 and app.config["FANCY_STRICT"] is False
