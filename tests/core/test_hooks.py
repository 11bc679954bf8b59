"""Each hook has a test of its own (``test_hook_<name>``) and a section in docs/hooks.md.

The two meta-tests at the bottom keep that true: a new hookspec without a test or without its
exact signature in the docs fails the suite.
"""

import inspect
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Blueprint
from sqlalchemy import select

from portal import hookimpl
from portal.core.access import has_permission
from portal.core.db import get_session
from portal.core.models import Setting
from portal.core.types import (
    EventKind,
    MenuItem,
    Panel,
    Permission,
    PluginInfo,
    RecordAction,
    RestrictionKind,
    StaffPanel,
)
from portal.testing import PortalClient, enable_plugins, make_plugin

ROOT = Path(__file__).resolve().parents[2]


def _signed_in(app, username):
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login(username).status_code == 303
    return client


def test_hook_portal_hookspecs(make_app, db):
    import pluggy

    spec = pluggy.HookspecMarker("portal")

    class Specs:
        @spec
        def portal_widget_colours(self):
            """Colours of widgets."""

    class Definer:
        @hookimpl
        def portal_hookspecs(self):
            return [Specs]

    class User_:
        @hookimpl
        def portal_widget_colours(self):
            return ["blue"]

    app = make_app(PLUGINS={"definer": Definer(), "user": User_()})
    assert app.extensions["portal.plugins"].pm.hook.portal_widget_colours() == [["blue"]]


def test_hook_portal_plugin_info(make_app, admin, db):
    class P:
        @hookimpl
        def portal_plugin_info(self):
            return PluginInfo(title="Fancy widgets", description="Widgets, but fancy.")

    app = make_app(PLUGINS={"fancy": P()})
    soup = BeautifulSoup(_signed_in(app, "boss").get("/admin/plugins").text, "html.parser")
    row = next(sec for sec in soup.select("section.plugin") if "fancy" in sec.h2.text)
    assert "Fancy widgets" in row.text and "Widgets, but fancy." in row.text


def test_hook_portal_blueprints(make_app, make_user, db):
    bp = Blueprint("fancy", __name__)
    bp.add_url_rule("/hello", "hello", lambda: "hello from fancy")

    class P:
        @hookimpl
        def portal_blueprints(self):
            return [bp]

    app = make_app(PLUGINS={"fancy": P()})
    enable_plugins(app, "fancy")
    make_user("cust")
    assert _signed_in(app, "cust").get("/fancy/hello").text == "hello from fancy"


def test_hook_portal_menu_items(make_app, make_user, db):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", menu_section="Shop", portal_menu_items=(
        lambda user: [MenuItem("Second", "fancy.index", section="Shop", order=20),
                      MenuItem("First", "fancy.panel_view", section="Shop", order=10),
                      MenuItem("Secret", "fancy.index", permission="fancy.nothing"),
                      MenuItem(f"For {user.username}", "fancy.index", order=30)]))})
    enable_plugins(app, "fancy")
    make_user("cust")
    soup = BeautifulSoup(_signed_in(app, "cust").get("/").text, "html.parser")
    section = soup.find("span", class_="menu-heading", string="Shop").parent
    assert [a.text for a in section.find_all("a")] == ["First", "Second"]
    labels = [a.text for a in soup.select("nav.menu a")]
    assert "Secret" not in labels
    assert "For cust" in labels


def test_hook_portal_admin_menu_items(make_app, make_user, db):
    class P:
        @hookimpl
        def portal_admin_menu_items(self, user):
            return [MenuItem("Fancy admin", "admin.index"),
                    MenuItem("Fancy for admins", "admin.plugins", permission="core.admin")]

    app = make_app(PLUGINS={"fancy": P()})
    enable_plugins(app, "fancy")
    make_user("rep", kind="staff")
    labels = [a.text for a in BeautifulSoup(_signed_in(app, "rep").get("/admin/").text,
                                            "html.parser").select("nav.menu a")]
    assert "Fancy admin" in labels
    assert "Fancy for admins" not in labels


def test_hook_portal_dashboard_panels(make_app, make_user, db):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", panel=True)})
    enable_plugins(app, "fancy")
    make_user("cust")
    client = _signed_in(app, "cust")
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    panel = soup.find(id="panel-fancy")
    assert panel["hx-get"] == "/fancy/panel" and panel["hx-trigger"] == "load"
    assert panel.find("a")["href"] == "/fancy/panel"  # the no-JavaScript fallback
    assert "fancy panel body" in client.get("/fancy/panel").text


def test_hook_portal_staff_panels(make_app, make_user, db):
    class P:
        @hookimpl
        def portal_staff_panels(self, user):
            return [StaffPanel("Widgets to check", 4, "admin.users", order=20),
                    StaffPanel("Quiet widgets", 0, "admin.companies", order=10),
                    StaffPanel("Admin widgets", 2, "admin.plugins", permission="core.admin")]

    app = make_app(PLUGINS={"fancy": P()})
    enable_plugins(app, "fancy")
    make_user("rep", kind="staff")
    soup = BeautifulSoup(_signed_in(app, "rep").get("/admin/").text, "html.parser")
    waiting = soup.find("ul", class_="waiting")
    item = next(li for li in waiting.find_all("li") if "Widgets to check" in li.text)
    assert item.a["href"] == "/admin/users" and item.find(class_="badge").text == "4"
    assert "Admin widgets" not in soup.get_text()  # the permission is the administrator's
    assert "Quiet widgets" not in waiting.text and "Quiet widgets" in soup.main.text


def test_hook_portal_permissions(make_app, make_user, db):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", permission=True)})
    enable_plugins(app, "fancy")
    make_user("cust")
    client = _signed_in(app, "cust")
    with app.test_request_context():
        names = {p.name for p in app.extensions["portal.plugins"].permissions()}
    assert "fancy.view" in names
    assert "Fancy menu" in client.get("/").text  # granted by the built-in Customer profile
    with client.application.test_request_context():
        assert not has_permission("fancy.view")  # nobody signed in here


def test_hook_portal_event_kinds(make_app, db):
    """A declared kind is recorded with the change and committed with it; a rolled-back change
    leaves no event; an undeclared kind is refused."""
    from portal.core.events import record_event
    from portal.core.models import Event

    kinds = lambda: [EventKind("fancy.done", "Done", audience="staff")]  # noqa: E731
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", portal_event_kinds=kinds)})
    assert app.extensions["portal.plugins"].event_kinds["fancy.done"].audience == "staff"
    with app.test_request_context():
        session = get_session()
        record_event("fancy.done", subject=("thing", 7), payload={"n": "1"})
        session.rollback()
        record_event("fancy.done", subject=("thing", 8), payload={"n": "2"})
        session.commit()
        with pytest.raises(ValueError, match="fancy.undeclared"):
            record_event("fancy.undeclared")
    rows = db.scalars(select(Event)).all()
    assert [(e.kind, e.subject_type, e.subject_id, e.payload) for e in rows] == [
        ("fancy.done", "thing", "8", {"n": "2"})]


def test_event_kind_names_start_with_their_plugin(make_app):
    from portal.core.plugins import PluginError

    kinds = lambda: [EventKind("orders.stolen", "Stolen")]  # noqa: E731
    with pytest.raises(PluginError, match="must start with 'fancy.'"):
        make_app(PLUGINS={"fancy": make_plugin("fancy", portal_event_kinds=kinds)},
                 REQUIRED_PLUGINS="fancy")


def test_hook_portal_record_actions(make_app, make_user, db):
    """A plugin's link appears on another plugin's record page, only for users with its
    permission, and is given the record."""
    from portal.core.layout import record_actions

    def actions(record_type, record, user):
        if record_type == "orders.order":
            return [RecordAction(f"Ask about {record}", "fancy.index", permission="fancy.view"),
                    RecordAction("Secret", "fancy.index", permission="fancy.secret")]
        return []

    app = make_app(PLUGINS={"fancy": make_plugin("fancy", permission=True,
                                                 portal_record_actions=actions)})
    enable_plugins(app, "fancy")
    user = make_user()
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(user.username)
    with client:
        client.get("/")
        assert record_actions("orders.order", "SO-1") == [("Ask about SO-1", "/fancy/")]
        assert record_actions("returns.rma", "R-1") == []


def test_hook_portal_restriction_kinds(make_app, db):
    app = make_app(PLUGINS={"fancy": make_plugin("fancy", restriction=True)})
    enable_plugins(app, "fancy")
    with app.test_request_context():
        kinds = app.extensions["portal.plugins"].restriction_kinds()
        kind = next(k for k in kinds if k.name == "fancy.things")
        assert list(kind.options(get_session())) == [("a", "A"), ("b", "B")]
    assert isinstance(kind, RestrictionKind)


def test_hook_portal_migrations(make_app, tmp_path, db):
    from alembic.script import ScriptDirectory

    from portal.core.migrate import alembic_config

    folder = tmp_path / "fancy_migrations"
    folder.mkdir()
    (folder / "fancy_0001_widgets.py").write_text(
        'revision = "fancy_0001"\ndown_revision = None\nbranch_labels = ("fancy",)\n'
        'depends_on = "core_0001"\n\ndef upgrade():\n    pass\n\ndef downgrade():\n    pass\n')

    class P:
        @hookimpl
        def portal_migrations(self):
            return folder

    app = make_app(PLUGINS={"fancy": P()})
    script = ScriptDirectory.from_config(alembic_config(app))
    assert "fancy_0001" in script.get_heads()
    assert "fancy" in script.get_revision("fancy_0001").branch_labels


def test_hook_portal_demo_data(make_app):
    # no `db` fixture: its app context would make the CLI runner use that other app
    calls = []

    class P:
        @hookimpl
        def portal_demo_data(self, session):
            calls.append(session)
            if session.get(Setting, "fancy") is None:
                session.add(Setting(key="fancy", value="demo"))

    app = make_app(PLUGINS={"fancy": P()})
    enable_plugins(app, "fancy")
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert get_session().scalars(select(Setting.value).where(Setting.key == "fancy")).all() \
            == ["demo"]
    assert len(calls) == 2


# -- meta-tests: every hook is tested and documented ---------------------------------------------


def _all_hookspecs(app):
    pm = app.extensions["portal.plugins"].pm
    return {name: getattr(pm.hook, name) for name in dir(pm.hook) if name.startswith("portal_")}


def _tested_hooks() -> set[str]:
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^def test_hook_(portal_\w+)\(", path.read_text(), re.M))
    return names


def _signature(caller) -> str:
    function = caller.spec.function
    params = [p for p in inspect.signature(function).parameters if p != "self"]
    return f"{caller.name}({', '.join(params)})"


@pytest.fixture(scope="module")
def all_hooks(database_url):
    from portal import create_app

    return _all_hookspecs(create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x"}))


def test_every_hook_has_a_test(all_hooks):
    missing = sorted(set(all_hooks) - _tested_hooks())
    assert not missing, f"hooks without a test_hook_<name>: {missing}"


def test_every_hook_is_documented_with_its_signature(all_hooks):
    docs = (ROOT / "docs" / "hooks.md").read_text()
    missing = [_signature(c) for c in all_hooks.values() if f"`{_signature(c)}`" not in docs]
    assert not missing, f"docs/hooks.md lacks: {missing}"


def test_hook_values_are_frozen():
    import dataclasses

    for cls in (MenuItem, Panel, Permission, PluginInfo, RestrictionKind):
        with pytest.raises(dataclasses.FrozenInstanceError):
            cls.__new__(cls).x = 1
