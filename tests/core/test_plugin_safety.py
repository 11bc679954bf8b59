"""A plugin keeps to its URL namespace, and a broken third-party plugin harms no one."""

import logging
import subprocess
import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from flask import Blueprint
from werkzeug.routing import Map, Rule

from portal import hookimpl
from portal.core.plugins import PluginError, _matching_rule
from portal.testing import PortalClient, enable_plugins, make_plugin, visible_text


def routed(name, *rules, url_prefix=None, methods=("GET",), **hooks):
    """A plugin whose one blueprint answers ``rules``."""
    bp = Blueprint(name if url_prefix is None or not url_prefix.startswith("/admin")
                   else f"{name}_staff", __name__, url_prefix=url_prefix)
    for i, rule in enumerate(rules):
        bp.add_url_rule(rule, f"page{i}", lambda **kw: "plugin page", methods=list(methods))

    class P:
        @hookimpl
        def portal_blueprints(self):
            return [bp]

    for hook_name, func in hooks.items():
        setattr(P, hook_name, staticmethod(hookimpl(func)))
    return P()


def failure(app, name):
    return app.extensions["portal.plugins"].plugins[name].failure


# -- the namespace ---------------------------------------------------------------------------


def test_a_url_outside_the_plugins_namespace_is_refused_in_one_line(make_app, db):
    with pytest.raises(PluginError) as caught:
        make_app(PLUGINS={"sneaky": routed("sneaky", "/documents/invoice/", url_prefix="")},
                 REQUIRED_PLUGINS="sneaky")
    assert str(caught.value) == (
        "Plugin 'sneaky' failed to load: URL GET /documents/invoice/ (endpoint 'sneaky.page0') "
        "is outside its namespace: a plugin's pages live under /sneaky/, its staff pages under "
        "/admin/sneaky/, and API resources come through portal_api_resources")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("prefix, rule", [("", "/"), ("/admin", "/"), ("/api/v1", "/things"),
                                          ("/sneakyish", "/")])
def test_a_plugin_may_not_mount_at_the_root_the_admin_or_the_api(make_app, db, prefix, rule):
    with pytest.raises(PluginError, match="outside its namespace"):
        make_app(PLUGINS={"sneaky": routed("sneaky", rule, url_prefix=prefix)},
                 REQUIRED_PLUGINS="sneaky")


def test_the_first_party_plugins_mount_inside_their_namespaces(app):
    rules = {r.rule: r.endpoint for r in app.url_map.iter_rules()}
    assert rules["/documents/<doc_type>/"] == "documents.index"
    assert rules["/admin/documents/"] == "documents_staff.index"
    assert rules["/admin/orders/"] == "orders_staff.inbox"
    assert rules["/api/v1/openapi.json"] == "documents_api.openapi"
    registry = app.extensions["portal.plugins"]
    assert not [p.name for p in registry.plugins.values() if p.failed]


def test_a_rule_overlapping_the_cores_through_a_converter_is_refused(make_app, db):
    # /admin/plugins/<name> (POST) is the core's switch: /admin/plugins/reset would answer it.
    plugin = routed("plugins", "/reset", url_prefix="/admin/plugins", methods=("POST",))
    with pytest.raises(PluginError) as caught:
        make_app(PLUGINS={"plugins": plugin}, REQUIRED_PLUGINS="plugins")
    assert str(caught.value) == (
        "Plugin 'plugins' failed to load: URL POST /admin/plugins/reset (endpoint "
        "'plugins_staff.page0') overlaps /admin/plugins/<name> (endpoint 'admin.toggle_plugin') "
        "of the core")


def test_overlaps_are_found_in_both_directions_with_converters():
    general = Rule("/documents/<doc_type>/", endpoint="documents.index")
    special = Rule("/documents/invoice/", endpoint="thief.page")
    typed = Rule("/admin/users/<int:user_id>", endpoint="admin.user")
    alike = Rule("/admin/users/<path:rest>", endpoint="x.page")
    maps = {}
    for rule in (general, special, typed, alike):
        maps[rule.endpoint] = Map([rule])  # binds the rule to its converters
        rule.original = rule
    assert _matching_rule(maps["documents.index"], special) is general
    assert _matching_rule(maps["admin.user"], alike) is typed
    assert _matching_rule(maps["thief.page"], general) is None  # hence the check runs both ways


def test_a_plugin_named_like_a_core_page_is_refused(make_app, db):
    with pytest.raises(PluginError, match="its name is taken by the core's URLs"):
        make_app(PLUGINS={"account": make_plugin("account")}, REQUIRED_PLUGINS="account")


# -- a broken third-party plugin is set aside ---------------------------------------------------


def _admin(app):
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login("boss").status_code == 303
    return client


def _boom(*args):
    raise RuntimeError("boom")


def test_a_colliding_third_party_plugin_is_set_aside_and_the_rest_runs(make_app, db, admin,
                                                                       caplog):
    with caplog.at_level(logging.ERROR):
        app = make_app(PLUGINS={"sneaky": routed("sneaky", "/documents/invoice/", url_prefix=""),
                                "widgets": make_plugin("widgets")})
    enable_plugins(app, "widgets")
    assert "outside its namespace" in failure(app, "sneaky")
    assert any(r.getMessage().startswith("Plugin 'sneaky' failed to load: URL GET "
                                         "/documents/invoice/") for r in caplog.records)
    client = _admin(app)
    assert client.get("/widgets/").status_code == 200
    assert client.get("/admin/documents/").status_code == 200
    text = visible_text(client.get("/admin/plugins").text)
    assert "failed to load: URL GET /documents/invoice/" in text
    assert not any(r.rule == "/documents/invoice/" for r in app.url_map.iter_rules())


def test_a_start_up_hook_that_raises_sets_the_plugin_aside(make_app, db, admin, make_user):
    broken = make_plugin("broken", panel=True, portal_permissions=_boom)
    app = make_app(PLUGINS={"broken": broken, "widgets": make_plugin("widgets")})
    assert failure(app, "broken") == "portal_permissions raised RuntimeError: boom"
    enable_plugins(app, "widgets")
    registry = app.extensions["portal.plugins"]
    with app.test_request_context():
        assert "broken" not in registry.enabled_names()
    user = make_user("cust")
    app.test_client_class = PortalClient
    shopper = app.test_client()
    shopper.login(user.username)
    home = shopper.get("/").text
    assert "Widgets menu" in home and "Broken" not in home
    assert shopper.get("/broken/").status_code == 404


def test_a_plugin_that_cannot_be_imported_is_set_aside(make_app, db, monkeypatch):
    import portal.core.plugins as plugins_module

    real = plugins_module.entry_points

    def with_a_broken_one(group):
        return [*real(group=group),
                EntryPoint("ghost", "portal_no_such_module_here.plugin", group)]

    monkeypatch.setattr(plugins_module, "entry_points", with_a_broken_one)
    app = make_app()
    assert failure(app, "ghost").startswith("it cannot be imported: ModuleNotFoundError")
    assert failure(app, "orders") is None


def test_a_failing_first_party_or_required_plugin_stops_start_up(make_app, db):
    class FirstParty:
        __portal_distribution__ = "portal"

        @hookimpl
        def portal_permissions(self):
            raise RuntimeError("boom")

    with pytest.raises(PluginError, match="Plugin 'own' failed to load: portal_permissions "
                                          "raised RuntimeError: boom"):
        make_app(PLUGINS={"own": FirstParty()})
    with pytest.raises(PluginError, match="Plugin 'broken' failed to load"):
        make_app(PLUGINS={"broken": make_plugin("broken", portal_permissions=_boom)},
                 REQUIRED_PLUGINS="broken")
    with pytest.raises(PluginError, match="Required plugin 'absent'"):
        make_app(REQUIRED_PLUGINS="absent")


def test_a_plugin_requiring_a_failed_one_stays_off(make_app, db):
    app = make_app(PLUGINS={"base": make_plugin("base", portal_permissions=_boom),
                            "addon": make_plugin("addon", requires=["base"])})
    registry = app.extensions["portal.plugins"]
    with app.app_context():
        from portal.core.db import get_session

        with pytest.raises(PluginError, match="requires base"):
            registry.set_enabled(get_session(), "addon", True)


def _migrations(tmp_path, body):
    folder = tmp_path / "migs"
    folder.mkdir(exist_ok=True)
    (folder / "bad_0001.py").write_text(body)

    class P:
        @hookimpl
        def portal_migrations(self):
            return folder

    return P()


GOOD_HEAD = 'revision = "bad_0001"\ndown_revision = None\ndepends_on = "core_0001"\n'


@pytest.mark.parametrize("body, reason", [
    (GOOD_HEAD + 'branch_labels = ("bad",)\ndef upgrade(:\n', "its migrations do not load: "
     "SyntaxError"),
    (GOOD_HEAD.replace("core_0001", "nowhere_0001") + 'branch_labels = ("bad",)\n',
     "its migrations do not load"),
    (GOOD_HEAD + "branch_labels = None\n", "its migrations have no branch labelled 'bad'"),
])
def test_a_bad_migration_sets_the_plugin_aside(make_app, db, tmp_path, body, reason):
    app = make_app(PLUGINS={"bad": _migrations(tmp_path, body)})
    assert failure(app, "bad").startswith(reason), failure(app, "bad")
    from portal.core.migrate import alembic_config

    assert str(tmp_path / "migs") not in alembic_config(app).get_main_option("version_locations")


def test_portal_plugins_disable_works_on_a_broken_plugin(make_app, db):
    from portal.core.models import PluginState

    app = make_app(PLUGINS={"broken": make_plugin("broken", portal_permissions=_boom)})
    db.add(PluginState(name="broken", enabled=True))  # enabled before it broke
    db.commit()
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["plugins", "list"]).output
    assert "broken           failed" in listing
    assert "failed to load: portal_permissions raised RuntimeError: boom" in listing
    result = runner.invoke(args=["plugins", "enable", "broken"])
    assert result.exit_code != 0 and "failed to load" in result.output
    result = runner.invoke(args=["plugins", "disable", "broken"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert db.get(PluginState, "broken").enabled is False


def test_the_command_line_prints_a_start_up_refusal_as_one_line(tmp_path):
    portal = Path(sys.executable).with_name("portal")
    env = {"PATH": "/usr/bin:/bin", "PORTAL_INSTANCE_PATH": str(tmp_path),
           "PORTAL_REQUIRED_PLUGINS": "absent"}
    result = subprocess.run([str(portal), "plugins", "list"], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == 1
    assert result.stderr == "Error: Required plugin 'absent' (REQUIRED_PLUGINS) is not " \
                            "installed.\n"
    assert "Traceback" not in result.stdout + result.stderr


def test_a_migration_that_fails_on_upgrade_sets_only_its_plugin_aside(tmp_path):
    from sqlalchemy import inspect, select

    from portal import create_app
    from portal.core.models import PluginState

    plugin = _migrations(tmp_path, GOOD_HEAD + 'branch_labels = ("bad",)\n\ndef upgrade():\n'
                         '    raise RuntimeError("disk on fire")\n')
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
                      "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path / "instance"),
                      "PLUGINS": {"bad": plugin}})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert ("Plugin 'bad' failed to load: its migration failed: RuntimeError: disk on fire; it "
            "is set aside and disabled.") in result.output
    assert "Created the schema at " in result.output
    assert "(except for the plugins above)." in result.output
    engine = app.extensions["portal.engine"]
    tables = set(inspect(engine).get_table_names())
    assert {"portal_user", "plugin_state", "orders_order", "document"} <= tables
    with engine.connect() as conn:
        assert conn.execute(select(PluginState.enabled).where(PluginState.name == "bad")) \
            .scalar() is False
    assert app.extensions["portal.plugins"].plugins["bad"].failed
