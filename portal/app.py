"""The application factory."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from portal.core import (
    auth,
    branding,
    builtin,
    compression,
    db,
    errors,
    i18n,
    layout,
    params,
    rendering,
    security,
    static_files,
    throttle,
    worker,
)
from portal.core.plugins import PluginRegistry
from portal.core.views import (
    account,
    activation,
    admin,
    dashboard,
    health,
    password_reset,
)
from portal.core.views import branding as branding_views

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
TRANSLATIONS = ROOT / "translations"

ENV_SETTINGS = {
    "PORTAL_DATABASE_URL": "DATABASE_URL",
    "PORTAL_SECRET_KEY": "SECRET_KEY",
    "PORTAL_BLOCKED_PLUGINS": "BLOCKED_PLUGINS",
    "PORTAL_REQUIRED_PLUGINS": "REQUIRED_PLUGINS",
    "PORTAL_REDIS_URL": "REDIS_URL",
    "PORTAL_SECURE_COOKIES": "SESSION_COOKIE_SECURE",
    "PORTAL_PROXY_FIXES": "PROXY_FIXES",
}


PORTAL_DEFAULTS = {
    "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),  # idle time before a session ends
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 32 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
}


def create_app(config: dict | None = None) -> Flask:
    """Build the portal. ``config`` overrides settings read from ``PORTAL_*`` variables.

    Extra keys understood besides Flask's: ``INSTANCE_PATH`` (``PORTAL_INSTANCE_PATH``; default
    ``instance/`` beside the code), ``DATABASE_URL``, ``BLOCKED_PLUGINS`` (comma-separated
    string or list), ``REQUIRED_PLUGINS`` (plugins whose failure stops start-up, like a
    first-party one's), ``TRACE_HOOKS`` (log every hook call), ``REDIS_URL``, ``PLUGINS``
    (name → plugin object, registered as if installed by a third party), ``DISCOVER_PLUGINS``
    (False: ignore entry points; for tests).
    """
    config = config or {}
    instance = config.get("INSTANCE_PATH") or os.environ.get("PORTAL_INSTANCE_PATH")
    app = Flask("portal", template_folder=str(TEMPLATES), static_folder=str(STATIC),
                instance_path=str(Path(instance).resolve()) if instance else None)
    params.init_app(app)  # before any route: every <int:…> is a bounded id
    _configure(app, config)

    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(Path(app.instance_path) / "templates")),
                                     FileSystemLoader(str(TEMPLATES))])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    db.init_app(app)
    compression.init_app(app)  # first registered: its after_request runs last, on final bodies
    static_files.init_app(app)
    worker.init_app(app)
    security.init_app(app)
    app.before_request(params.refuse_unstorable)  # after the size check: it reads the form
    throttle.init_app(app)
    rendering.htmx.init_app(app)
    layout.init_app(app)
    branding.init_app(app)
    errors.init_app(app)
    app.before_request(_plugin_gate)  # first: a disabled plugin's URL is simply not there
    auth.init_app(app)
    for blueprint in (dashboard.bp, account.bp, admin.bp, activation.bp, password_reset.bp,
                      health.bp, branding_views.bp):
        app.register_blueprint(blueprint)

    registry = PluginRegistry(app)
    app.extensions["portal.plugins"] = registry
    registry.load(core_modules=[builtin], extra=app.config["PLUGINS"],
                  blocked=app.config["BLOCKED_PLUGINS"], discover=app.config["DISCOVER_PLUGINS"])
    registry.register_blueprints()

    # A plugin keeps its own catalogs in ``<package>/translations`` (first-party ones too).
    translation_dirs = [TRANSLATIONS] + [
        Path(p.module.__file__).parent / "translations"
        for p in registry.plugins.values() if p.module is not None
        and hasattr(p.module, "__file__")
    ]
    i18n.init_app(app, [d for d in translation_dirs if d.is_dir()] or [TRANSLATIONS])

    from portal.core import cli

    cli.init_app(app)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """``PROXY_FIXES`` = how many reverse proxies stand in front of the app (0: none).

    Behind a TLS-terminating proxy Flask sees plain http unless it trusts the proxy's
    ``X-Forwarded-*`` headers: the session cookie would not be Secure, HSTS not sent, and every
    client would share the proxy's address (throttling per address). Trust exactly as many
    hops as there are proxies; more lets a client forge its address.
    """
    from werkzeug.middleware.proxy_fix import ProxyFix

    hops = int(app.config.get("PROXY_FIXES") or 0)
    app.config["PROXY_FIXES"] = hops
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops)


def _configure(app: Flask, config: dict) -> None:
    for env, value in os.environ.items():
        if env.startswith("PORTAL_"):  # plugins' settings too: PORTAL_DOCUMENTS_… → DOCUMENTS_…
            app.config[ENV_SETTINGS.get(env, env.removeprefix("PORTAL_"))] = value
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.setdefault(
        "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    for key in ("BLOCKED_PLUGINS", "REQUIRED_PLUGINS"):
        names = app.config.get(key) or ()
        if isinstance(names, str):
            names = [b.strip() for b in names.split(",")]
        app.config[key] = {b for b in names if b}
    app.config.setdefault("PLUGINS", {})
    app.config.setdefault("DISCOVER_PLUGINS", True)
    app.config.setdefault("REDIS_URL", None)
    secure = app.config.get("SESSION_COOKIE_SECURE", False)
    app.config["SESSION_COOKIE_SECURE"] = secure in (True, "1", "true", "yes")
    for key, value in PORTAL_DEFAULTS.items():  # Flask has its own defaults for these keys
        if key not in config:
            app.config[key] = value


def _instance_secret(path: Path) -> str:
    """A secret key generated once and kept in the instance folder (mode 600)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _plugin_gate():
    """Answer 404 for a disabled plugin's blueprints (Flask cannot unregister them)."""
    from flask import abort, current_app, request

    registry = current_app.extensions["portal.plugins"]
    owner = registry.endpoint_owner(request.endpoint)
    if owner != "core" and not registry.is_enabled(owner):
        abort(404)
