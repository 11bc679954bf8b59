"""Every setting a first-party plugin reads is a declared ``PluginSetting`` (one default, one
translated description) and is listed with its value on the plugin's admin page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from flask_babel import force_locale

from portal.core.models import STAFF
from portal.core.plugins import CORE
from portal.testing import PortalClient, visible_text


def _first_party(app):
    registry = app.extensions["portal.plugins"]
    return {name: plugin for name, plugin in registry.plugins.items()
            if name != CORE and plugin.first_party and plugin.module is not None}


def _reads(folder: Path, prefixes: tuple[str, ...]):
    """(key, where, defaulted) for every configuration key with one of ``prefixes`` in the code.

    A key is any string literal ``<PREFIX>_…`` in the Python source, and ``config.X`` /
    ``config["X"]`` in the templates; ``defaulted`` is a ``config.get(key, default)``: a second
    copy of the default."""
    pattern = re.compile(rf"(?:{'|'.join(prefixes)})_[A-Z0-9_]+")
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and pattern.fullmatch(node.value):
                yield node.value, f"{path}:{node.lineno}", False
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr == "get" and len(node.args) + len(node.keywords) > 1 \
                    and node.args and isinstance(node.args[0], ast.Constant) \
                    and pattern.fullmatch(str(node.args[0].value)):
                yield node.args[0].value, f"{path}:{node.lineno}", True
    for path in sorted(folder.rglob("*.html")):
        for match in re.finditer(rf"config(?:\.|\[[\"'])({pattern.pattern})", path.read_text()):
            yield match.group(1), str(path), False


def test_first_party_plugins_read_only_settings_they_declare(app):
    plugins = _first_party(app)
    declared = {name: {s.name for s in plugin.settings} for name, plugin in plugins.items()}
    prefixes = tuple(name.upper() for name in plugins)
    undeclared, defaulted, seen = [], [], set()
    for plugin in plugins.values():
        for key, where, with_default in _reads(Path(plugin.module.__file__).parent, prefixes):
            owner = key.split("_", 1)[0].lower()
            seen.add(key)
            if key not in declared.get(owner, ()):
                undeclared.append(f"{where}: {key} (not declared by {owner})")
            if with_default:
                defaulted.append(f"{where}: {key} read with a second default")
    assert not undeclared, "\n".join(undeclared)
    assert not defaulted, "\n".join(defaulted)
    assert {"RETURNS_PER_PAGE", "DOCUMENTS_PER_PAGE", "SUPPORT_POLL_SECONDS",
            "BALANCES_TODAY"} <= seen  # the scan does find the reads
    for name, keys in declared.items():
        assert keys <= seen, f"{name} declares settings it never reads: {keys - seen}"


def test_each_declared_setting_is_on_its_admin_page_in_english_and_turkish(make_app, make_user):
    app = make_app(RETURNS_PER_PAGE="7")
    app.test_client_class = PortalClient
    plugins = {name: p for name, p in _first_party(app).items() if p.settings}
    assert {"documents", "returns", "support", "balances"} <= set(plugins)
    assert app.config["RETURNS_PER_PAGE"] == 7
    for lang in ("en", "tr"):
        user = make_user(f"boss_{lang}", kind=STAFF, is_admin=True, locale=lang)
        client = app.test_client()
        client.login(user.username)
        for name, plugin in plugins.items():
            soup = client.soup(f"/admin/plugins/{name}")
            rows = {tr.th.code.get_text(): tr for tr in soup.select("tbody tr")}
            for setting in plugin.settings:
                row = rows[f"PORTAL_{setting.name}"]
                with app.test_request_context(), force_locale(lang):
                    description = str(setting.description)
                with app.test_request_context(), force_locale("en"):
                    english = str(setting.description)
                assert description and description in visible_text(str(row.small))
                if lang == "tr":
                    assert description != english, f"{setting.name}: no Turkish description"
                value, default = [td.get_text(" ", strip=True) for td in row.find_all("td")]
                shown = "(hidden)" if setting.secret else str(app.config[setting.name])
                assert value.startswith(shown) or (lang == "tr" and setting.secret)
                assert default == ("—" if setting.secret else str(setting.default))
    rows = {tr.th.code.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in client.soup("/admin/plugins/returns").select("tbody tr")}
    assert rows["PORTAL_RETURNS_PER_PAGE"] == ["7", "20"]


def test_each_first_party_setting_is_documented_with_its_default(app):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r"^\| `PORTAL_([A-Z0-9_]+)` \| [^|]+ \| ([^|]+) \|$", readme, re.MULTILINE)}
    missing = []
    for plugin in _first_party(app).values():
        for setting in plugin.settings:
            default = rows.get(setting.name, "")
            expected = f"`{setting.default}`" if setting.default != "" else "empty"
            if not default.startswith(expected):
                missing.append(f"{setting.name}: README says {default!r}, default {expected}")
    assert not missing, "\n".join(missing)
