"""docs/plugins.md names the APIs a plugin uses with their exact signatures (it cannot drift)."""

import inspect
import re
from pathlib import Path

import pytest

import portal.testing
from portal.core import access, audit, events, layout, lookup, paging, rendering, storage
from portal.core.types import PluginSetting

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "plugins.md").read_text()


def _value(default) -> str:
    if isinstance(default, str):
        return f'"{default}"'
    if isinstance(default, tuple):
        return "(" + ", ".join(_value(v) for v in default) + ")"
    return repr(default)


def plain_signature(func, name=None) -> str:
    """``name(a, b=None, /, *, c, **rest)`` without annotations, strings in double quotes."""
    parts, star_done = [], False
    params = list(inspect.signature(func).parameters.values())
    for i, p in enumerate(params):
        if p.kind is p.VAR_POSITIONAL:
            parts.append(f"*{p.name}")
            star_done = True
            continue
        if p.kind is p.KEYWORD_ONLY and not star_done:
            parts.append("*")
            star_done = True
        text = {p.VAR_KEYWORD: f"**{p.name}"}.get(p.kind, p.name)
        if p.default is not p.empty:
            text += f"={_value(p.default)}"
        parts.append(text)
        nxt = params[i + 1] if i + 1 < len(params) else None
        if p.kind is p.POSITIONAL_ONLY and (nxt is None or nxt.kind is not p.POSITIONAL_ONLY):
            parts.append("/")
    return f"{name or func.__name__}({', '.join(parts)})"


APIS = [
    rendering.render_page, audit.record, events.record_event, storage.save_upload,
    storage.send_stored, access.require_permission, access.current_company_id, access.scoped,
    access.get_scoped_or_404, access.restricted_values, access.apply_restriction,
    access.staff_only, layout.record_actions, layout.field_attrs, portal.testing.htmx_headers,
    portal.testing.visible_text, paging.paginate, paging.Key, lookup.resolve_company,
    lookup.suggest_companies,
]


@pytest.mark.parametrize("func", APIS, ids=lambda f: f.__name__)
def test_each_api_appears_with_its_signature(func):
    assert plain_signature(func) in DOC


def test_plugin_setting_is_documented_with_its_fields():
    assert plain_signature(PluginSetting, "PluginSetting") in DOC


def test_form_macros_and_base_blocks_are_documented():
    forms = (ROOT / "templates" / "_forms.html").read_text()
    macros = re.findall(r"{% macro (\w+\([^)]*\))", forms)
    assert macros and all(f"`{m}`" in DOC for m in macros), macros
    blocks = re.findall(r"{% block (\w+) %}", (ROOT / "templates" / "base.html").read_text())
    assert blocks and all(f"{{% block {b} %}}" in DOC for b in blocks), blocks


def test_every_fixture_of_the_test_kit_is_documented():
    fixtures = [name for name, obj in vars(portal.testing).items()
                if type(obj).__name__ == "FixtureFunctionDefinition"
                or hasattr(obj, "_pytestfixturefunction")]
    internal = {"compiled_catalogs", "database_url"}
    assert len(fixtures) > 15
    missing = [f for f in fixtures if f not in internal and f"`{f}" not in DOC]
    assert not missing, missing


def test_the_doc_names_the_topics_plugin_authors_asked_for():
    for words in ("base.html", "_forms.html", "portal.core.forms.Form", "X-CSRFToken",
                  "customer_company", "portal_user", "naming convention", "current_user",
                  "optionalhook=True", "Decimal", "record_actions", "flash(", "events.md",
                  "portal.core.storage", "portal new-plugin", "PORTAL_TRACE_HOOKS"):
        assert words in DOC, words
