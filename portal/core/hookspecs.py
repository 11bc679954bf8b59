"""The hooks a portal plugin can implement: the whole contract, in one file.

Every hook is prefixed ``portal_`` and takes keyword arguments only. An implementation may accept
fewer arguments than its spec names, so arguments can be added later without breaking plugins.
Hooks *return data* (values from :mod:`portal.core.types`); the core registers, sorts, filters by
permission and renders. A plugin is a module or object registered under the entry-point group
``portal.plugins``; its entry-point name is its name everywhere (blueprint, URL prefix, template
folder, permission prefix).

Two kinds of hooks:

* start-up hooks (``portal_hookspecs``, ``portal_plugin_info``, ``portal_blueprints``,
  ``portal_permissions``, ``portal_restriction_kinds``, ``portal_migrations``,
  ``portal_cli_commands``, ``portal_event_kinds``, ``portal_settings``) are called once
  when the app is built; an exception sets a third-party plugin aside ("failed to load") and
  stops start-up for a first-party one, naming the plugin;
* per-request hooks (``portal_menu_items``, ``portal_admin_menu_items``,
  ``portal_dashboard_panels``, ``portal_staff_panels``, ``portal_record_actions``) are called
  while a page renders; an exception is logged and that plugin is left out of the page.

Results of disabled plugins are always ignored.
"""

from __future__ import annotations

import pluggy

from portal import PROJECT

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def portal_hookspecs():
    """Return modules (or classes) holding the plugin's own hookspecs, for other plugins to use.

    Called once at start-up, before any other hook, so a plugin can define hooks of its own (the
    documents plugin defines ``portal_document_types``, for instance). Their names must start with
    ``portal_`` and they are documented and tested like the core's.

    Returns a list of modules or classes decorated with ``portal.core.hookspecs.hookspec``.

    Example::

        @hookimpl
        def portal_hookspecs():
            from plugins.documents import hookspecs
            return [hookspecs]
    """


@hookspec(firstresult=True)
def portal_plugin_info():
    """Describe the plugin: title, description and the plugins it requires.

    Called once at start-up for each plugin separately (``firstresult``: one answer per plugin).
    A plugin that does not implement it is shown under its entry-point name and requires nothing.

    Returns a :class:`~portal.core.types.PluginInfo`.

    Example::

        @hookimpl
        def portal_plugin_info():
            return PluginInfo(title=_l("Orders"), requires=("documents",))
    """


@hookspec
def portal_blueprints():
    """Return the plugin's Flask blueprints.

    Called once at start-up. Each blueprint's name must be the plugin's name or start with
    ``<plugin>_``; a blueprint without a ``url_prefix`` is mounted at ``/<plugin>``. Every URL must
    live under ``/<plugin>/`` (staff pages: ``url_prefix="/admin/<plugin>"``); API resources come
    through the documents plugin's ``portal_api_resources``. A rule outside the namespace, or one
    matching a URL of the core or of another plugin (converters included), fails the plugin with
    a message naming both. Requests to a disabled plugin's blueprints answer 404.

    Returns a list of :class:`flask.Blueprint`.

    Example::

        bp = Blueprint("orders", __name__, template_folder="templates")

        @hookimpl
        def portal_blueprints():
            return [bp]
    """


@hookspec
def portal_menu_items(user):
    """Return the plugin's entries in the customer menu.

    Called while rendering each customer page; ``user`` is the signed-in user. The core drops
    items whose ``permission`` the user lacks, groups them by ``section`` and sorts by ``order``.

    Returns a list of :class:`~portal.core.types.MenuItem`.

    Example::

        @hookimpl
        def portal_menu_items(user):
            return [MenuItem(_l("Orders"), "orders.index", permission="orders.view")]
    """


@hookspec
def portal_admin_menu_items(user):
    """Return the plugin's entries in the staff (admin) menu.

    Called while rendering each admin page; ``user`` is the signed-in staff member. Use the
    permission ``core.admin`` for items only administrators may see, ``core.staff`` (or none) for
    every staff member.

    Returns a list of :class:`~portal.core.types.MenuItem`.

    Example::

        @hookimpl
        def portal_admin_menu_items(user):
            return [MenuItem(_l("Received orders"), "orders.staff_inbox")]
    """


@hookspec
def portal_dashboard_panels(user):
    """Return the panels the plugin adds to the customer's dashboard (home page).

    Called when the dashboard renders. Each panel is loaded lazily by htmx from its endpoint; with
    JavaScript off the panel is a link to that endpoint's full page.

    Returns a list of :class:`~portal.core.types.Panel`.

    Example::

        @hookimpl
        def portal_dashboard_panels(user):
            return [Panel("open-orders", _l("Open orders"), "orders.panel",
                          permission="orders.view", link_text=_l("See your open orders"))]
    """


@hookspec
def portal_staff_panels(user):
    """Say what waits for staff: the admin overview shows each count with a link to its list.

    Called per request while the admin overview (``/admin/``) renders; ``user`` is the signed-in
    staff member. Count in one aggregate query (never load rows). The core drops panels whose
    ``permission`` the user lacks and sorts by ``order``.

    Returns a list of :class:`~portal.core.types.StaffPanel`.

    Example::

        @hookimpl
        def portal_staff_panels(user):
            waiting = session.scalar(select(func.count()).where(Order.status == "sent"))
            return [StaffPanel(_l("New orders"), waiting, "orders_staff.inbox",
                               url_values=(("status", "sent"),))]
    """


@hookspec
def portal_record_actions(record_type, record, user):
    """Offer links on another plugin's record page ("Ask about this" on an order, say).

    Called per request while a record page renders, for every enabled plugin. ``record_type``
    names the page's kind as ``<plugin>.<kind>`` (``"orders.order"``, ``"returns.rma"``; the
    core's staff company page is ``"core.company"``; documents use their own
    ``portal_document_actions``); ``record`` is the record object, already
    checked to belong to the user's company. A page shows them with
    ``portal.core.layout.record_actions(record_type, record)``, which drops actions whose
    permission the user lacks.

    Returns a list of :class:`~portal.core.types.RecordAction`.

    Example::

        @hookimpl
        def portal_record_actions(record_type, record, user):
            if record_type == "orders.order":
                return [RecordAction(_l("Ask about this"), "support.new",
                                     url_values=(("order", record.id),))]
            return []
    """


@hookspec
def portal_permissions():
    """Return the permissions the plugin contributes to access groups.

    Called once at start-up. Names must start with ``<plugin>.``. While the plugin is disabled its
    permissions are hidden and grant nothing, but stored grants are kept.

    Returns a list of :class:`~portal.core.types.Permission`.

    Example::

        @hookimpl
        def portal_permissions():
            return [Permission("orders.view", _l("View orders")),
                    Permission("orders.create", _l("Place orders"))]
    """


@hookspec
def portal_restriction_kinds():
    """Return the kinds of restriction access groups can carry for this plugin's records.

    Called once at start-up. Names must start with ``<plugin>.``. The plugin applies them itself
    with :func:`portal.core.access.restricted_values`.

    Returns a list of :class:`~portal.core.types.RestrictionKind`.

    Example::

        @hookimpl
        def portal_restriction_kinds():
            return [RestrictionKind("orders.categories", _l("Product categories"),
                                    options=category_choices)]
    """


@hookspec
def portal_migrations():
    """Return the folder holding the plugin's Alembic revision files.

    Called once at start-up and by ``portal db upgrade``. The plugin's revisions form their own
    branch: the first one has ``branch_labels = ("<plugin>",)`` and
    ``depends_on = "core"`` (or the branch of a plugin it requires).

    Returns a path (``str`` or :class:`pathlib.Path`).

    Example::

        @hookimpl
        def portal_migrations():
            return Path(__file__).parent / "migrations"
    """


@hookspec
def portal_event_kinds():
    """Declare the kinds of event the plugin records with :func:`portal.core.events.record_event`.

    Called once at start-up. Each name starts with ``<plugin>.``; recording a kind nobody declared
    raises ``ValueError``, so a typo fails in the first test that reaches it. Events of a disabled
    plugin are still recorded (the change happened) but their plugin decides nothing more.

    Returns a list of :class:`~portal.core.types.EventKind`.

    Example::

        @hookimpl
        def portal_event_kinds():
            return [EventKind("widgets.shipped", _l("Widget shipped"), audience="customer")]
    """


@hookspec
def portal_demo_data(session):
    """Add the plugin's demo records, idempotently (running ``portal demo`` twice changes nothing).

    Called by ``portal demo`` for every enabled plugin, the core's first and then in dependency
    order, inside one transaction (``session`` is a SQLAlchemy session; do not commit).

    Returns nothing.

    Example::

        @hookimpl
        def portal_demo_data(session):
            if session.scalar(select(Product).where(Product.code == "A-100")) is None:
                session.add(Product(code="A-100", name="Bolt"))
    """


@hookspec
def portal_cli_commands():
    """Return the plugin's commands for the ``portal`` command line.

    Called once at start-up for every loaded plugin, enabled or not (the database is not read
    yet): a command should check ``get_registry().is_enabled("<plugin>")`` and refuse while its
    plugin is disabled. A name already taken by the core or another plugin fails the plugin.

    Returns a list of :class:`click.Command` (decorate with ``flask.cli.with_appcontext`` to use
    the database).

    Example::

        @click.command("import")
        @click.argument("file", type=click.File("rb"))
        @with_appcontext
        def import_command(file):
            ...

        @hookimpl
        def portal_cli_commands():
            return [import_command]
    """


@hookspec
def portal_settings():
    """Declare the plugin's settings, with their defaults and descriptions.

    Called once at start-up. Each name is a configuration key starting with ``<PLUGIN>_``
    (capitals); ``PORTAL_<name>`` in the environment sets it (converted to the default's type),
    otherwise the default applies. The settings are listed, with their current values, on the
    plugin's page under ``/admin/plugins``. Read one with ``current_app.config[name]``.

    Returns a list of :class:`~portal.core.types.PluginSetting`.

    Example::

        @hookimpl
        def portal_settings():
            return [PluginSetting("WIDGETS_PER_PAGE", 20, _l("Widgets on one page."))]
    """
