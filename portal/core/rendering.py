"""One helper renders a full page or, for an htmx request, just the fragment it asked for.

A page template ``{% include %}``s its partials; the view names which partial answers which htmx
target::

    return render_page("orders/index.html", {"order-table": "orders/_table.html"},
                       orders=orders)

Every keyword argument is a template variable, whatever its name (``status``, ``template`` and
``partials`` included): the options are positional-only, so they can never swallow one. A view
that answers with another status returns a tuple, as any Flask view may::

    return render_page("orders/cart.html", cart=cart, errors=errors), 422

The fragment is returned only for a non-boosted, non-history-restore htmx request whose
``HX-Target`` is one of those ids; everything else gets the full page. ``Vary`` always names the
headers this choice depends on, so no cache mixes them up.
"""

from __future__ import annotations

from flask import make_response, render_template
from flask_htmx import HTMX

VARY = ("HX-Request", "HX-Boosted", "HX-Target", "HX-History-Restore-Request")

#: flask-htmx reads the request headers; ``create_app`` initialises it.
htmx = HTMX()


def is_htmx() -> bool:
    return bool(htmx)


def fragment_target() -> str | None:
    """The element id an htmx request wants replaced, or None when a full page is due."""
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return None
    return htmx.target


def render_page(template: str, partials: dict[str, str] | None = None, /, **context):
    """Render ``template``, or the partial registered in ``partials`` for the htmx target.

    ``template`` and ``partials`` are positional-only; every keyword is a template variable.
    """
    target = fragment_target()
    chosen = (partials or {}).get(target, template) if target else template
    response = make_response(render_template(chosen, **context))
    response.vary.update(VARY)
    return response
