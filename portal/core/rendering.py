"""One helper renders a full page or, for an htmx request, just the fragment it asked for.

A page template ``{% include %}``s its partials; the view names which partial answers which htmx
target::

    return render_page("orders/index.html", partials={"order-table": "orders/_table.html"},
                       orders=orders)

The fragment is returned only for a non-boosted, non-history-restore htmx request whose
``HX-Target`` is one of those ids; everything else gets the full page. ``Vary`` always names the
headers this choice depends on, so no cache mixes them up.
"""

from __future__ import annotations

from flask import make_response, render_template, request

VARY = ("HX-Request", "HX-Boosted", "HX-Target", "HX-History-Restore-Request")


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def fragment_target() -> str | None:
    """The element id an htmx request wants replaced, or None when a full page is due."""
    headers = request.headers
    if (not is_htmx() or headers.get("HX-Boosted") == "true"
            or headers.get("HX-History-Restore-Request") == "true"):
        return None
    return headers.get("HX-Target")


def render_page(template: str, partials: dict[str, str] | None = None, status: int = 200,
                **context):
    """Render ``template``, or the partial registered for the htmx target."""
    target = fragment_target()
    chosen = (partials or {}).get(target, template) if target else template
    response = make_response(render_template(chosen, **context), status)
    response.vary.update(VARY)
    return response
