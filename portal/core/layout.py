"""The layout's data: menus built from the plugins' items, and template helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from portal.core.access import has_permission
from portal.core.plugins import get_registry
from portal.core.types import MenuItem, RecordAction, StaffPanel


@dataclass
class MenuLink:
    label: Any
    url: str
    active: bool


@dataclass
class MenuSection:
    label: Any
    links: list[MenuLink] = field(default_factory=list)


def build_menu(hook_name: str) -> list[MenuSection]:
    """Call a menu hook, keep what the user may see, and group by section in order."""
    items: list[MenuItem] = get_registry().call_flat(hook_name, user=current_user)
    sections: dict[Any, MenuSection] = {}
    for item in sorted(items, key=lambda i: (i.order, str(i.label))):
        if not has_permission(item.permission):
            continue
        try:
            url = url_for(item.endpoint, **dict(item.url_values))
        except BuildError:
            current_app.logger.warning("menu item %r: no endpoint %r", item.label, item.endpoint)
            continue
        key = str(item.section) if item.section is not None else None
        section = sections.setdefault(key, MenuSection(item.section))
        section.links.append(MenuLink(item.label, url, _is_current(item)))
    return list(sections.values())


def _is_current(item: MenuItem) -> bool:
    """The item links to this page: same endpoint and the same URL values (document type, …)."""
    view_args = request.view_args or {}
    return request.endpoint == item.endpoint and all(
        str(view_args.get(key)) == str(value) for key, value in item.url_values)


def _menu():
    if not current_user.is_authenticated:
        return []
    return build_menu("portal_admin_menu_items" if current_user.is_staff else "portal_menu_items")


def record_actions(record_type: str, record) -> list[tuple[Any, str]]:
    """``(label, url)`` of the links plugins offer on a record's page, in order, allowed only."""
    actions: list[RecordAction] = get_registry().call_flat(
        "portal_record_actions", record_type=record_type, record=record, user=current_user)
    return [(action.label, url_for(action.endpoint, **dict(action.url_values)))
            for action in sorted(actions, key=lambda a: (a.order, str(a.label)))
            if has_permission(action.permission)]


def staff_panels() -> list[tuple[Any, int, str]]:
    """``(label, count, url)`` of what waits for the signed-in staff member, in order."""
    panels: list[StaffPanel] = get_registry().call_flat("portal_staff_panels", user=current_user)
    result = []
    for panel in sorted(panels, key=lambda p: (p.order, str(p.label))):
        if not has_permission(panel.permission):
            continue
        try:
            url = url_for(panel.endpoint, **dict(panel.url_values))
        except BuildError:
            current_app.logger.warning("staff panel %r: no endpoint %r", panel.label,
                                       panel.endpoint)
            continue
        result.append((panel.label, int(panel.count), url))
    return result


def field_attrs(field, hint=None) -> dict:
    """ARIA attributes tying an input to its hint and its error messages."""
    ids = ([f"{field.id}-hint"] if hint else []) + ([f"{field.id}-error"] if field.errors else [])
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def init_app(app) -> None:
    from portal.core.lookup import company_token

    app.jinja_env.globals.update(field_attrs=field_attrs, record_actions=record_actions,
                                 company_token=company_token)

    @app.context_processor
    def _layout_helpers():
        return {"portal_menu": _menu, "can": has_permission}
