"""Every declared event kind's notification link can be built: a wrong endpoint or URL argument
would otherwise only show up as a mail without its link (and an error in the worker's log)."""

from flask import url_for


def test_every_event_kind_links_to_a_page_that_exists(app):
    kinds = app.extensions["portal.plugins"].event_kinds
    assert kinds
    broken = []
    with app.test_request_context():
        for kind in kinds.values():
            for endpoint in (kind.endpoint, kind.staff_endpoint):
                if endpoint is None:
                    continue
                try:
                    url_for(endpoint, **{kind.url_arg: 1})
                except Exception as exc:  # noqa: BLE001 - report every broken kind at once
                    broken.append(f"{kind.name}: {endpoint} with {kind.url_arg}: {exc}")
    assert not broken, broken
