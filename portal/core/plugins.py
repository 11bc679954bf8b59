"""The plugin manager: discovery, blocking, run-time enable/disable, and hook calls.

One :class:`PluginRegistry` per app (``app.extensions["portal.plugins"]``), built by
``create_app``. Plugins are found through the entry-point group ``portal.plugins`` (first-party
plugins are declared there too), plus any passed in ``config["PLUGINS"]`` (used by tests).

States:

* *installed*: found through an entry point;
* *blocked*: named in ``PORTAL_BLOCKED_PLUGINS``; never imported;
* *failed*: a third-party plugin that could not be loaded (it cannot be imported, a start-up hook
  raised, its URLs leave its namespace or overlap another's, its migrations do not load) is set
  aside with one log line and shown as "failed to load: why" on ``/admin/plugins``, while the
  portal and every other plugin run. A first-party plugin, or one named in ``REQUIRED_PLUGINS``
  (``PORTAL_REQUIRED_PLUGINS``), that fails stops start-up with a :class:`PluginError` instead;
* *enabled* / *disabled*: stored in ``plugin_state`` and read on every request, so a switch takes
  effect on the next request in every worker. First-party plugins start enabled, third-party ones
  disabled. The core (``core``) is always enabled.

URL namespace: a plugin's URLs live under ``/<name>/…``, its staff pages under ``/admin/<name>/…``;
only the documents plugin (which owns the integration API) mounts ``/api/v1`` — other plugins add
API resources through its ``portal_api_resources`` hook. A rule outside the namespace, or one that
matches a URL of the core or another plugin (converters included), fails that plugin.

``TRACE_HOOKS`` (``PORTAL_TRACE_HOOKS=1``) logs every hook call with its plugin and duration on the
``portal.hooks`` logger.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any

import pluggy
from flask import Blueprint, Flask
from sqlalchemy import select
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from portal import PROJECT
from portal.core import hookspecs
from portal.core.types import Permission, PluginInfo, PluginSetting, RestrictionKind

log = logging.getLogger(__name__)
trace_log = logging.getLogger("portal.hooks")

ENTRY_POINT_GROUP = "portal.plugins"
CORE = "core"
FIRST_PARTY_DISTRIBUTION = "portal"
API_PREFIX = "/api/v1"
API_OWNER = "documents"
"""The plugin that mounts the integration API; others add resources through its hook."""
RESERVED_NAMES = frozenset({"admin", "api", "static", CORE})


class PluginError(Exception):
    """A plugin cannot be loaded, enabled or disabled; the message says why (one line)."""


@dataclass
class InstalledPlugin:
    name: str
    first_party: bool
    blocked: bool = False
    module: Any = None
    distribution: str | None = None
    info: PluginInfo | None = None
    failure: str | None = None
    blueprints: list[str] = field(default_factory=list)
    permissions: list[Permission] = field(default_factory=list)
    restriction_kinds: list[RestrictionKind] = field(default_factory=list)
    settings: list[PluginSetting] = field(default_factory=list)

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

    @property
    def failed(self) -> bool:
        return self.failure is not None

    @property
    def version(self) -> str | None:
        """The version of the distribution that installed the plugin (None when unknown)."""
        if self.distribution is None:
            return getattr(self.module, "__version__", None)
        try:
            return version(self.distribution)
        except PackageNotFoundError:
            return None


class PluginRegistry:
    """Finds, loads and calls the plugins of one app."""

    def __init__(self, app: Flask):
        self.app = app
        self.pm = pluggy.PluginManager(PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.plugins: dict[str, InstalledPlugin] = {}
        self.blueprint_owner: dict[str, str] = {}
        self.event_kinds: dict[str, Any] = {}  # name → EventKind, from portal_event_kinds
        self.required: set[str] = set(app.config.get("REQUIRED_PLUGINS") or ())
        self.trace = str(app.config.get("TRACE_HOOKS") or "") not in ("", "0", "false", "False")
        self._trace_started: list[float] = []
        self._rules: dict[str, list[Rule]] = {}  # owner → its URL rules
        self._maps: dict[str, Map] = {}

    # -- loading (start-up) ---------------------------------------------------------------

    def load(self, core_modules: Iterable[Any], extra: dict[str, Any], blocked: set[str],
             discover: bool = True) -> None:
        self.plugins[CORE] = InstalledPlugin(CORE, first_party=True,
                                             info=PluginInfo(title="Core"))
        for module in core_modules:
            self.pm.register(module, name=f"{CORE}:{module.__name__}")
        self._reserved = RESERVED_NAMES | {
            segment for rule in self.app.url_map.iter_rules()
            if (segment := rule.rule.strip("/").split("/", 1)[0]) and "<" not in segment}
        if discover:
            for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                if ep.name in extra:  # a plugin under test replaces its installed copy
                    continue
                dist = ep.dist.name if ep.dist else None
                self._add(ep.name, dist, blocked, loader=ep.load)
        for name, obj in extra.items():
            self._add(name, getattr(obj, "__portal_distribution__", None), blocked,
                      loader=lambda obj=obj: obj)
        missing = sorted(self.required - set(self.plugins))
        if missing:
            raise PluginError(f"Required plugin {missing[0]!r} (REQUIRED_PLUGINS) is not "
                              "installed.")
        for name, result in self._startup("portal_hookspecs"):
            try:
                for spec in result or ():
                    self.pm.add_hookspecs(spec)
            except Exception as exc:
                self.fail(name, f"its hookspecs cannot be added: {exc}")
        self._check_unknown_hooks()
        self._collect_static()
        if self.trace:
            self.pm.add_hookcall_monitoring(self._trace_before, self._trace_after)

    def _add(self, name, dist, blocked, loader) -> None:
        if name in self.plugins:
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
        if name in self._reserved:
            self.fail(name, f"its name is taken by the core's URLs (/{name}/…)")
            return
        try:
            plugin.module = loader()
            self.pm.register(plugin.module, name=name)
        except Exception as exc:
            self.fail(name, f"it cannot be imported: {_one_line(exc)}")

    def fail(self, name: str, reason: str) -> None:
        """Set a broken plugin aside, or stop start-up when it is first-party or required."""
        plugin = self.plugins[name]
        message = f"Plugin {name!r} failed to load: {reason}"
        if plugin.first_party or name in self.required:
            raise PluginError(message)
        if plugin.failed:
            return
        plugin.failure = reason
        log.error("%s; it is set aside and the portal runs without it", message)
        if self.pm.get_plugin(name) is not None:
            self.pm.unregister(name=name)
        plugin.permissions.clear()
        plugin.restriction_kinds.clear()
        plugin.settings.clear()
        for kind in [k for k in self.event_kinds if k.startswith(f"{name}.")]:
            del self.event_kinds[kind]

    def _check_unknown_hooks(self) -> None:
        for hook_name, caller in list(vars(self.pm.hook).items()):
            if not isinstance(caller, pluggy.HookCaller) or caller.has_spec():
                continue
            for impl in caller.get_hookimpls():
                if not impl.optionalhook:
                    owner = self.owner_of(impl.plugin_name)
                    if owner == CORE:
                        raise PluginError(f"The core implements unknown hook {hook_name!r}.")
                    self.fail(owner, f"it implements unknown hook {hook_name!r} "
                                     "(mark a hook of another plugin optionalhook=True)")
        self.pm.check_pending()

    def owner_of(self, registered_name: str) -> str:
        return CORE if registered_name.startswith(f"{CORE}:") else registered_name

    def _collect_static(self) -> None:
        for name, result in self._startup("portal_plugin_info"):
            if name != CORE and result is not None:
                self.plugins[name].info = result
        for name, result in self._startup("portal_permissions"):
            for perm in result or ():
                if self._check_prefixed(name, "permission", perm.name):
                    self.plugins[name].permissions.append(perm)
        for name, result in self._startup("portal_restriction_kinds"):
            for kind in result or ():
                if self._check_prefixed(name, "restriction kind", kind.name):
                    self.plugins[name].restriction_kinds.append(kind)
        for name, result in self._startup("portal_event_kinds"):
            for kind in result or ():
                if self._check_prefixed(name, "event kind", kind.name):
                    self.event_kinds[kind.name] = kind
        for name, result in self._startup("portal_settings"):
            for setting in result or ():
                self._add_setting(name, setting)
        folders = {name: Path(folder) for name, folder in self._startup("portal_migrations")
                   if folder}
        trusted = [f for n, f in folders.items() if self.plugins[n].first_party]
        for name, folder in folders.items():
            if not self.plugins[name].first_party:
                self._check_migrations(name, folder, trusted)
        for name, plugin in self.plugins.items():
            missing = [r for r in plugin.requires if r not in self.plugins]
            if missing and not plugin.failed and not plugin.blocked:
                log.warning("plugin %s requires %s, which is not installed; it stays off",
                            name, ", ".join(missing))

    def _check_prefixed(self, plugin: str, what: str, value: str) -> bool:
        if plugin != CORE and not value.startswith(f"{plugin}."):
            self.fail(plugin, f"{what} {value!r} must start with '{plugin}.'")
            return False
        return not self.plugins[plugin].failed

    def _add_setting(self, plugin: str, setting: PluginSetting) -> None:
        prefix = f"{plugin.upper()}_"
        if plugin != CORE and not setting.name.startswith(prefix):
            self.fail(plugin, f"setting {setting.name!r} must start with {prefix!r}")
            return
        config = self.app.config
        if setting.name in config:
            try:
                config[setting.name] = setting.parse(config[setting.name])
            except (ValueError, ArithmeticError):
                kind = type(setting.default).__name__
                self.fail(plugin, f"setting {setting.name}={config[setting.name]!r} "
                                  f"is not a {kind}")
                return
        else:
            config[setting.name] = setting.default
        self.plugins[plugin].settings.append(setting)

    def _check_migrations(self, name: str, folder: Path, trusted: list[Path]) -> None:
        """A third-party plugin's revisions must load and form a branch named after it."""
        from alembic.script import ScriptDirectory

        from portal.core.migrate import alembic_config

        if not folder.is_dir():
            self.fail(name, f"its migrations folder {folder} does not exist")
            return
        try:
            config = alembic_config(self.app, folders=[*trusted, folder])
            script = ScriptDirectory.from_config(config)
            labels = {label for rev in script.walk_revisions() for label in rev.branch_labels}
            script.get_heads()
        except Exception as exc:
            self.fail(name, f"its migrations do not load: {_one_line(exc)}")
            return
        if name not in labels:
            self.fail(name, f"its migrations have no branch labelled {name!r}")

    def register_blueprints(self) -> None:
        """Mount every loaded plugin's blueprints inside its namespace; refuse overlaps."""
        app = self.app
        for bp in app.blueprints.values():
            self.blueprint_owner[bp.name] = CORE
        self._remember_rules(CORE, [r for r in app.url_map.iter_rules()])
        for name, result in self._startup("portal_blueprints"):
            if name == CORE:
                for bp in result or ():
                    app.register_blueprint(bp)
                    self.blueprint_owner[bp.name] = CORE
                continue
            try:
                self._mount(name, list(result or ()))
            except PluginError as exc:
                self.fail(name, str(exc))

    def _mount(self, plugin: str, blueprints: list[Blueprint]) -> None:
        """Check a plugin's blueprints on a scratch app first, so a refusal leaves no trace."""
        scratch = Flask(f"portal_check_{plugin}", static_folder=None)
        scratch.url_map.converters.update(self.app.url_map.converters)
        prefixes = {}
        for bp in blueprints:
            if not (bp.name == plugin or bp.name.startswith(f"{plugin}_")):
                raise PluginError(f"blueprint {bp.name!r} must be named {plugin!r} "
                                  f"or start with '{plugin}_'")
            if bp.name in self.blueprint_owner:
                raise PluginError(f"blueprint {bp.name!r} collides with the one of "
                                  f"{_who(self.blueprint_owner[bp.name])}")
            prefixes[bp.name] = bp.url_prefix if bp.url_prefix is not None else f"/{plugin}"
            scratch.register_blueprint(bp, url_prefix=prefixes[bp.name])
        rules = list(scratch.url_map.iter_rules())
        for rule in rules:
            self._check_namespace(plugin, rule)
        mine = self._map_of(rules)
        for owner, theirs in self._rules.items():
            for rule in rules:
                other = _matching_rule(self._maps[owner], rule)
                if other is not None:
                    raise _overlap(rule, other, owner)
            for other in theirs:
                rule = _matching_rule(mine, other)
                if rule is not None:
                    raise _overlap(rule, other, owner)
        for bp in blueprints:
            self.app.register_blueprint(bp, url_prefix=prefixes[bp.name])
            self.blueprint_owner[bp.name] = plugin
            self.plugins[plugin].blueprints.append(bp.name)
        self._remember_rules(plugin, rules)

    def _check_namespace(self, plugin: str, rule: Rule) -> None:
        allowed = [f"/{plugin}", f"/admin/{plugin}"]
        if plugin == API_OWNER and self.plugins[plugin].first_party:
            allowed.append(API_PREFIX)
        if not any(rule.rule == p or rule.rule.startswith(f"{p}/") for p in allowed):
            methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
            raise PluginError(
                f"URL {methods} {rule.rule} (endpoint {rule.endpoint!r}) is outside its "
                f"namespace: a plugin's pages live under /{plugin}/, its staff pages under "
                f"/admin/{plugin}/, and API resources come through portal_api_resources")

    def _remember_rules(self, owner: str, rules: list[Rule]) -> None:
        self._rules[owner] = rules
        self._maps[owner] = self._map_of(rules)

    def _map_of(self, rules: list[Rule]) -> Map:
        url_map = Map([rule.empty() for rule in rules], converters=self.app.url_map.converters)
        for copy, rule in zip(url_map.iter_rules(), rules, strict=True):
            copy.original = rule  # type: ignore[attr-defined]
        return url_map

    def endpoint_owner(self, endpoint: str | None) -> str:
        if not endpoint or "." not in endpoint:
            return CORE
        return self.blueprint_owner.get(endpoint.split(".", 1)[0], CORE)

    # -- states (run time) ------------------------------------------------------------------

    def default_enabled(self, name: str) -> bool:
        return self.plugins[name].first_party

    def loaded_names(self) -> list[str]:
        return [n for n, p in self.plugins.items()
                if not p.blocked and not p.failed and n != CORE]

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
                   and not self.plugins[r].failed for r in self.plugins[name].requires)

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
        if len(written) < len(names):  # stored by another request meanwhile: read theirs
            with engine.connect() as conn:
                written.update(conn.execute(
                    select(PluginState.name, PluginState.enabled)
                    .where(PluginState.name.in_(names))).all())
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
        if plugin.failed and enabled:
            raise PluginError(_("Plugin '%(name)s' failed to load: %(reason)s",
                                name=name, reason=plugin.failure))
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
            started = time.perf_counter() if self.trace else 0.0
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                if not isolate:
                    raise PluginError(f"Plugin {owner!r} failed in {hook_name}: {exc!r}") from exc
                log.exception("plugin %s failed in %s; left out of this page", owner, hook_name)
                continue
            finally:
                if self.trace:
                    trace_log.info("hook %s plugin %s %.2f ms", hook_name, owner,
                                   (time.perf_counter() - started) * 1000)
            yield owner, result

    def _startup(self, hook_name: str, **kwargs):
        """Call a start-up hook; a third-party plugin that raises is set aside (:meth:`fail`)."""
        caller = getattr(self.pm.hook, hook_name)
        for impl in list(caller.get_hookimpls()):
            owner = self.owner_of(impl.plugin_name)
            if owner != CORE and self.plugins[owner].failed:
                continue
            started = time.perf_counter() if self.trace else 0.0
            try:
                result = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                if owner == CORE:
                    raise
                self.fail(owner, f"{hook_name} raised {_one_line(exc)}")
                continue
            finally:
                if self.trace:
                    trace_log.info("hook %s plugin %s %.2f ms", hook_name, owner,
                                   (time.perf_counter() - started) * 1000)
            yield owner, result

    def _trace_before(self, hook_name, hook_impls, kwargs):
        self._trace_started.append(time.perf_counter())

    def _trace_after(self, outcome, hook_name, hook_impls, kwargs):
        plugins = ", ".join(self.owner_of(i.plugin_name) for i in hook_impls) or "-"
        trace_log.info("hook %s plugin %s %.2f ms", hook_name, plugins,
                       (time.perf_counter() - self._trace_started.pop()) * 1000)

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
        """Call a hook on every loaded plugin, enabled or not (migrations, for instance).

        A third-party plugin that raises is set aside; a first-party one stops start-up."""
        return list(self._startup(hook_name, **kwargs))

    def hooks_of(self, name: str) -> list[str]:
        """Names of the hooks a plugin implements (for the admin page)."""
        plugin = self.pm.get_plugin(name)
        if plugin is None:
            return []
        return sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or ())

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


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, PluginError) else text


_VARIABLE = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\((?:.*?)\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_SAMPLES = ("1", "sample", "00000000-0000-4000-8000-000000000001", "1.5", "a/b")


def sample_path(rule: Rule) -> str:
    """A URL the rule matches: each variable replaced by a value its converter accepts."""

    def value(match):
        converter = rule._converters[match[1]]
        accepts = re.compile(f"(?:{converter.regex})\\Z")
        items = sorted(getattr(converter, "items", ()))  # any(...)
        return next((v for v in (*items, *_SAMPLES) if accepts.match(v)), "sample")

    return _VARIABLE.sub(value, rule.rule)


def _matching_rule(url_map: Map, rule: Rule) -> Rule | None:
    """The rule of ``url_map`` that would answer a request meant for ``rule``, if any."""
    adapter = url_map.bind("portal.invalid")
    path = sample_path(rule)
    for method in sorted((rule.methods or {"GET"}) - {"HEAD", "OPTIONS"}):
        try:
            matched, _args = adapter.match(path, method=method, return_rule=True)
        except (NotFound, MethodNotAllowed, RequestRedirect):
            continue
        return matched.original
    return None


def _overlap(rule: Rule, other: Rule, owner: str) -> PluginError:
    methods = ",".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return PluginError(
        f"URL {methods} {rule.rule} (endpoint {rule.endpoint!r}) overlaps {other.rule} "
        f"(endpoint {other.endpoint!r}) of {_who(owner)}")


def get_registry(app=None) -> PluginRegistry:
    from flask import current_app

    return (app or current_app).extensions["portal.plugins"]
