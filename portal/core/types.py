"""Small frozen values that hooks return and the core renders.

Plugins build these and hand them back from their hook implementations; the core sorts, filters
by permission and renders them with autoescaping. Labels may be lazy strings (``_l("Orders")``)
so they follow the signed-in user's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class PluginInfo:
    """What a plugin says about itself (returned by ``portal_plugin_info``).

    ``requires`` names the plugins (entry-point names) that must be enabled for this one to work.
    """

    title: Any
    description: Any = ""
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class MenuItem:
    """One link in the customer menu or the admin menu.

    ``endpoint`` is a Flask endpoint (``"orders.index"``); ``permission`` hides the item from
    users without it; items sharing a ``section`` label are grouped under it; lower ``order`` first.
    """

    label: Any
    endpoint: str
    permission: str | None = None
    section: Any = None
    order: int = 100
    url_values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Panel:
    """A dashboard panel, loaded lazily by htmx from ``endpoint``.

    The endpoint must answer a plain GET with a full page (the no-JavaScript fallback is a link to
    it) and an htmx request targeting ``panel-<name>`` with the panel's fragment; the core's
    ``render_page`` helper does both. ``link_text`` is that fallback link's text ("See your open
    orders"); without it the link reads as the panel's ``title``.
    """

    name: str
    title: Any
    endpoint: str
    permission: str | None = None
    order: int = 100
    link_text: Any = None


@dataclass(frozen=True)
class StaffPanel:
    """What waits for staff, on the admin overview (returned by ``portal_staff_panels``).

    ``count`` things labelled ``label`` ("New orders": 3) wait on the page ``endpoint`` with
    ``url_values``; ``permission`` hides it from staff without it; lower ``order`` first.
    """

    label: Any
    count: int
    endpoint: str
    url_values: tuple[tuple[str, Any], ...] = ()
    permission: str | None = None
    order: int = 100


@dataclass(frozen=True)
class Permission:
    """A right that access groups can grant, named ``<plugin>.<action>`` (``orders.create``).

    ``customer_default`` puts it in the built-in "Customer" profile.
    """

    name: str
    label: Any
    description: Any = ""
    customer_default: bool = True


@dataclass(frozen=True)
class RestrictionKind:
    """A kind of restriction access groups can carry, e.g. "only these product categories".

    ``options(session)`` returns ``(value, label)`` pairs the administrator ticks. For a kind
    with many values (products, say) give ``lookup(session, values)`` instead: it returns
    ``{value: label}`` for those of ``values`` that exist, and the admin page takes the values
    typed one per line, so it never lists them all. Values are stored as strings. Plugins apply
    the restriction with ``portal.core.access.restricted_values(name)`` or ``apply_restriction``.
    """

    name: str
    label: Any
    options: Callable[[Any], Sequence[tuple[str, Any]]] = field(compare=False, default=lambda s: ())
    description: Any = ""
    lookup: Callable[[Any, Sequence[str]], dict[str, Any]] | None = field(compare=False,
                                                                          default=None)


@dataclass(frozen=True)
class EventKind:
    """A kind of event a plugin records (returned by ``portal_event_kinds``).

    ``name`` is ``<plugin>.<what happened>`` (``orders.placed``); ``audience`` says who is told:
    ``"customer"`` (people of the event's company), ``"staff"``, or ``"both"``. ``endpoint`` (for
    customers) and ``staff_endpoint`` (for staff) name the page a notification links to, built
    with the event's ``subject_id`` as the URL value ``url_arg``.
    """

    name: str
    label: Any
    description: Any = ""
    audience: str = "customer"
    endpoint: str | None = None
    staff_endpoint: str | None = None
    url_arg: str = "id"


@dataclass(frozen=True)
class RecordAction:
    """A link offered on a record's page (returned by ``portal_record_actions``).

    ``endpoint`` and ``url_values`` build the URL of a real page (a GET, so it works with
    JavaScript off); ``permission`` hides it from users without it; lower ``order`` first.
    """

    label: Any
    endpoint: str
    url_values: tuple[tuple[str, Any], ...] = ()
    permission: str | None = None
    order: int = 100


_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class PluginSetting:
    """A setting a plugin declares (returned by ``portal_settings``).

    ``name`` is the configuration key, ``<PLUGIN>_<WHAT>`` in capitals (``ANNOUNCEMENTS_PER_PAGE``);
    the environment variable ``PORTAL_<name>`` sets it, otherwise ``default`` applies. Values from
    the environment are strings: they are converted to the type of ``default`` (``bool``, ``int``,
    ``float``, ``Decimal``, ``str``; an empty string means the default; a value that does not
    convert fails the plugin). ``secret`` hides the value on the admin page. Read it with
    ``current_app.config[name]`` and nothing else: the default lives only here.
    """

    name: str
    default: Any
    description: Any = ""
    secret: bool = False

    def parse(self, value: Any) -> Any:
        """``value`` converted to the type of :attr:`default` (strings from the environment)."""
        if not isinstance(value, str) or self.default is None or isinstance(self.default, str):
            return value
        if not value.strip():  # an empty variable: the default
            return self.default
        if isinstance(self.default, bool):
            return value.strip().lower() in _TRUE
        return type(self.default)(value.strip())
