"""The plugin manager: discovery, blocking, run-time enable/disable, and hook calls.

One :class:`PluginRegistry` per app (``app.extensions["portal.plugins"]``), built by
``create_app``. Plugins are found through the entry-point group ``portal.plugins`` (first-party
plugins are declared there too), plus any passed in ``config["PLUGINS"]`` (used by tests).

States:

* *installed*: found through an entry point;
* *blocked*: named in ``PORTAL_BLOCKED_PLUGINS``; never imported;
* *enabled* / *disabled*: stored in ``plugin_state`` and read on every request, so a switch takes
  effect on the next request in every worker. First-party plugins start enabled, third-party ones
  disabled. The core (``core``) is always enabled.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy
from flask import Blueprint, Flask
from sqlalchemy import select

from portal import PROJECT
from portal.core import hookspecs
from portal.core.types import Permission, PluginInfo, RestrictionKind

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "portal.plugins"
CORE = "core"
FIRST_PARTY_DISTRIBUTION = "portal"


class PluginError(Exception):
    """A plugin cannot be loaded, enabled or disabled; the message says why."""


@dataclass
class InstalledPlugin:
    name: str
    first_party: bool
    blocked: bool = False
    module: Any = None
    distribution: str | None = None
    info: PluginInfo | None = None
    blueprints: list[str] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    restriction_kinds: list[RestrictionKind] = field(default_factory=list)

    @property
    def title(self):
        return self.info.title if self.info else self.name

    @property
    def description(self):
        return self.info.description if self.info else ""

    @property
    def requires(self) -> tuple[str, ...]:
        return self.info.requires if self.info else ()

    @property
    def is_core(self) -> bool:
        return self.name == CORE


class PluginRegistry:
    """Finds, loads and calls the plugins of one app."""

    def __init__(self, app: Flask):
        self.app = app
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, InstalledPlugin] = {}
        self.blueprint_owner: dict[str, str] = {}

    # -- loading (start-up) ---------------------------------------------------------------

    def load(self, core_modules: Iterable[Any], extra: dict[str, Any], blocked: set[str],
             discover: bool = True) -> None:
        self.plugins[CORE] = InstalledPlugin(CORE, first_party=True,
                                             info=PluginInfo(title="Core"))
        for module in core_modules:
            self.pm.register(module, name=f"{CORE}:{module.__name__}")
        if discover:
            for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                dist = ep.dist.name if ep.dist else None
                self._add(ep.name, dist, blocked, loader=ep.load)
        for name, obj in extra.items():
            self._add(name, getattr(obj, "__portal_distribution__", None), blocked,
                      loader=lambda obj=obj: obj)
        for _name, result in self._call_all("portal_hookspecs", isolate=False):
            for spec in result or ():
                self.pm.add_hookspecs(spec)
        self.pm.check_pending()
        self._collect_static()

    def _add(self, name, dist, blocked, loader) -> None:
        if name == CORE or name in self.plugins:
            other = "the core" if name == CORE else f"plugin {name!r}"
            raise PluginError(
                f"Plugin name {name!r} from {dist or 'config'} collides with {other}.")
        first_party = dist == FIRST_PARTY_DISTRIBUTION
        plugin = InstalledPlugin(name, first_party=first_party, distribution=dist)
        self.plugins[name] = plugin
        if name in blocked:
            plugin.blocked = True
            self.pm.set_blocked(name)
            log.info("plugin %s is blocked by configuration; not imported", name)
            return
        plugin.module = loader()
        self.pm.register(plugin.module, name=name)

    def owner_of(self, registered_name: str) -> str:
        return CORE if registered_name.startswith(f"{CORE}:") else registered_name

    def _collect_static(self) -> None:
        for name, result in self._call_all("portal_plugin_info", isolate=False):
            if name != CORE and result is not None:
                self.plugins[name].info = result
        for name, result in self._call_all("portal_permissions", isolate=False):
            for perm in result or ():
                self._check_prefixed(name, "permission", perm.name)
                self.plugins[name].permissions.append(perm)
        for name, result in self._call_all("portal_restriction_kinds", isolate=False):
            for kind in result or ():
                self._check_prefixed(name, "restriction kind", kind.name)
                self.plugins[name].restriction_kinds.append(kind)

    @staticmethod
    def _check_prefixed(plugin: str, what: str, value: str) -> None:
        if plugin != CORE and not value.startswith(f"{plugin}."):
            raise PluginError(f"Plugin {plugin!r}: {what} {value!r} must start with '{plugin}.'")

    def register_blueprints(self) -> None:
        """Mount every loaded plugin's blueprints and refuse colliding URLs or endpoints."""
        app = self.app
        for bp in app.blueprints.values():
            self.blueprint_owner[bp.name] = CORE
        for name, result in self._call_all("portal_blueprints", isolate=False):
            for bp in result or ():
                self._register_blueprint(name, bp)
        self._check_rule_collisions()

    def _register_blueprint(self, plugin: str, bp: Blueprint) -> None:
        if plugin != CORE and not (bp.name == plugin or bp.name.startswith(f"{plugin}_")):
            raise PluginError(
                f"Plugin {plugin!r}: blueprint {bp.name!r} must be named {plugin!r} "
                f"or start with '{plugin}_'."
            )
        if bp.name in self.blueprint_owner:
            raise PluginError(
                f"Blueprint {bp.name!r} of {_who(plugin)} collides with the one of "
                f"{_who(self.blueprint_owner[bp.name])}."
            )
        prefix = bp.url_prefix if bp.url_prefix is not None else f"/{plugin}"
        self.app.register_blueprint(bp, url_prefix=prefix)
        self.blueprint_owner[bp.name] = plugin
        if plugin != CORE:
            self.plugins[plugin].blueprints.append(bp.name)

    def endpoint_owner(self, endpoint: str | None) -> str:
        if not endpoint or "." not in endpoint:
            return CORE
        return self.blueprint_owner.get(endpoint.split(".", 1)[0], CORE)

    def _check_rule_collisions(self) -> None:
        seen: dict[tuple[str, str], str] = {}
        for rule in self.app.url_map.iter_rules():
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                key = (rule.rule, method)
                if key in seen and seen[key] != rule.endpoint:
                    first, second = seen[key], rule.endpoint
                    raise PluginError(
                        f"URL {method} {rule.rule} of {_who(self.endpoint_owner(second))} "
                        f"(endpoint {second!r}) collides with {_who(self.endpoint_owner(first))} "
                        f"(endpoint {first!r})."
                    )
                seen[key] = rule.endpoint

    # -- states (run time) ------------------------------------------------------------------

    def default_enabled(self, name: str) -> bool:
        return self.plugins[name].first_party

    def loaded_names(self) -> list[str]:
        return [n for n, p in self.plugins.items() if not p.blocked and n != CORE]

    def enabled_names(self) -> frozenset[str]:
        """Names of enabled plugins (core included), read once per request."""
        from portal.core.db import get_session, request_scope

        cached = request_scope().get("enabled_plugins")
        if cached is not None:
            return cached
        from portal.core.models import PluginState

        stored = dict(get_session().execute(select(PluginState.name, PluginState.enabled)).all())
        missing = [n for n in self.loaded_names() if n not in stored]
        if missing:
            stored.update(self.sync_states(missing))
        enabled = frozenset(
            [CORE] + [n for n in self.loaded_names() if stored.get(n) and self._requires_ok(n)]
        )
        request_scope()["enabled_plugins"] = enabled
        return enabled

    def _requires_ok(self, name: str) -> bool:
        return all(r in self.plugins and not self.plugins[r].blocked
                   for r in self.plugins[name].requires)

    def sync_states(self, names: Iterable[str] | None = None) -> dict[str, bool]:
        """Store the default state of plugins seen for the first time (own transaction)."""
        from sqlalchemy.exc import IntegrityError

        from portal.core.db import get_engine
        from portal.core.models import PluginState

        names = list(names if names is not None else self.loaded_names())
        written = {}
        engine = get_engine(self.app)
        with engine.connect() as conn:
            existing = {n for (n,) in conn.execute(select(PluginState.name))}
        for name in names:
            if name in existing:
                continue
            written[name] = self.default_enabled(name)
            try:
                with engine.begin() as conn:
                    conn.execute(PluginState.__table__.insert().values(
                        name=name, enabled=written[name]))
            except IntegrityError:  # another worker stored it first
                pass
        return written

    def is_enabled(self, name: str) -> bool:
        return name in self.enabled_names()

    def set_enabled(self, session, name: str, enabled: bool) -> None:
        """Switch a plugin; refuses what would leave an enabled plugin without its requirements."""
        from flask_babel import gettext as _
        from flask_babel import ngettext

        from portal.core.db import utcnow
        from portal.core.models import PluginState

        plugin = self.plugins.get(name)
        if plugin is None or plugin.is_core:
            raise PluginError(_("No plugin named '%(name)s' can be switched.", name=name))
        if plugin.blocked:
            raise PluginError(_("Plugin '%(name)s' is blocked by configuration.", name=name))
        stored = dict(session.execute(select(PluginState.name, PluginState.enabled)).all())
        state = {n: stored.get(n, self.default_enabled(n)) for n in self.loaded_names()}
        if enabled:
            missing = [r for r in plugin.requires if not state.get(r)]
            if missing:
                raise PluginError(ngettext(
                    "Plugin '%(name)s' requires %(others)s: enable it first.",
                    "Plugin '%(name)s' requires %(others)s: enable them first.",
                    len(missing), name=name, others=", ".join(missing)))
        else:
            needed_by = [n for n in self.loaded_names() if state.get(n)
                         and name in self.plugins[n].requires]
            if needed_by:
                raise PluginError(_(
                    "Plugin '%(name)s' is required by %(others)s: disable those first.",
                    name=name, others=", ".join(sorted(needed_by))))
        row = session.get(PluginState, name)
        if row is None:
            session.add(PluginState(name=name, enabled=enabled))
        else:
            row.enabled = enabled
            row.updated_at = utcnow()
        from portal.core.db import request_scope

        request_scope().pop("enabled_plugins", None)

    # -- hook calls ---------------------------------------------------------------------------

    def _call_all(self, hook_name: str, isolate: bool, enabled: frozenset[str] | None = None,
                  **kwargs):
        """Call a hook on each plugin separately, yielding ``(plugin_name, result)``.

        Implementations are called in registration order with only the arguments they accept.
        With ``isolate`` an exception is logged and that plugin skipped; without, it is raised
        as a :class:`PluginError` naming the plugin.
        """
        caller = getattr(self.pm.hook, hook_name)
        for impl in caller.get_hookimpls():
            owner = self.owner_of(impl.plugin_name)
            if enabled is not None and owner not in enabled:
                continue
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                if not isolate:
                    raise PluginError(f"Plugin {owner!r} failed in {hook_name}: {exc!r}") from exc
                log.exception("plugin %s failed in %s; left out of this page", owner, hook_name)
                continue
            yield owner, result

    def call(self, hook_name: str, **kwargs) -> list[tuple[str, Any]]:
        """Call a per-request hook on the enabled plugins, isolating failures."""
        return list(self._call_all(hook_name, isolate=True, enabled=self.enabled_names(),
                                   **kwargs))

    def call_flat(self, hook_name: str, **kwargs) -> list[Any]:
        """Like :meth:`call`, with the returned lists joined into one."""
        return [item for _name, result in self.call(hook_name, **kwargs) for item in result or ()]

    def ordered_enabled(self) -> list[str]:
        """Enabled plugin names, each after the plugins it requires."""
        enabled = self.enabled_names()
        done: list[str] = []

        def visit(name):
            if name in done or name not in enabled:
                return
            for dep in self.plugins[name].requires:
                visit(dep)
            done.append(name)

        for name in sorted(enabled - {CORE}):
            visit(name)
        return done

    def call_startup(self, hook_name: str, **kwargs) -> list[tuple[str, Any]]:
        """Call a hook on every loaded plugin, enabled or not (migrations, for instance)."""
        return list(self._call_all(hook_name, isolate=False, **kwargs))

    # -- registries ---------------------------------------------------------------------------

    def permissions(self, enabled_only: bool = True) -> list[Permission]:
        enabled = self.enabled_names() if enabled_only else None
        return [p for name, plugin in self.plugins.items()
                if enabled is None or name in enabled for p in plugin.permissions]

    def restriction_kinds(self, enabled_only: bool = True) -> list[RestrictionKind]:
        enabled = self.enabled_names() if enabled_only else None
        return [k for name, plugin in self.plugins.items()
                if enabled is None or name in enabled for k in plugin.restriction_kinds]


def _who(owner: str) -> str:
    return "the core" if owner == CORE else f"plugin {owner!r}"


def get_registry(app=None) -> PluginRegistry:
    from flask import current_app

    return (app or current_app).extensions["portal.plugins"]
