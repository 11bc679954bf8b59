"""One URL, two renderings: the full page, or the fragment an htmx request targets."""

import pytest
from bs4 import BeautifulSoup

from portal.testing import PortalClient, enable_plugins, htmx_headers, make_plugin


def is_fragment(html: str) -> bool:
    return BeautifulSoup(html, "html.parser").find("html") is None


@pytest.fixture
def boss(app, admin, db):
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login("boss")
    return client


def test_plain_request_gets_the_full_page(boss):
    response = boss.get("/admin/plugins")
    assert not is_fragment(response.text)
    assert {"HX-Request", "HX-Target", "HX-Boosted"} <= set(response.vary)


def test_htmx_request_for_the_target_gets_only_the_fragment(boss):
    response = boss.get("/admin/plugins", headers=htmx_headers(target="plugin-list"))
    assert is_fragment(response.text)
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find(id="plugin-list") is not None and soup.find("nav") is None
    assert {"HX-Request", "HX-Target", "HX-Boosted"} <= set(response.vary)


@pytest.mark.parametrize("headers", [
    htmx_headers(target="plugin-list", boosted=True),
    htmx_headers(target="plugin-list", **{"HX-History-Restore-Request": "true"}),
    htmx_headers(target="some-other-element"),
    htmx_headers(),
])
def test_boosted_history_restore_and_unknown_targets_get_the_full_page(boss, headers):
    response = boss.get("/admin/plugins", headers=headers)
    assert not is_fragment(response.text)


def test_not_found_is_a_page_and_an_htmx_fragment(customer_client):
    response = customer_client.get("/no/such/page")
    assert response.status_code == 404
    assert not is_fragment(response.text)
    assert "This page does not exist" in response.text
    response = customer_client.get("/no/such/page", headers=htmx_headers(target="results"))
    assert response.status_code == 404 and is_fragment(response.text)
    assert response.headers["HX-Retarget"] == "#main"
    assert "This page does not exist" in response.text


def test_forbidden_page(customer_client):
    response = customer_client.get("/admin/")
    assert response.status_code == 403
    assert "You do not have permission to open this page." in response.text


def test_server_error_page_works_for_htmx_too(make_app, make_user, db, caplog):
    def explode():
        raise RuntimeError("kaboom")

    plugin = make_plugin("fragile")
    app = make_app(PLUGINS={"fragile": plugin}, TESTING=False)
    app.view_functions["fragile.index"] = explode
    enable_plugins(app, "fragile")
    make_user("cust")
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login("cust")
    response = client.get("/fragile/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text and not is_fragment(response.text)
    response = client.get("/fragile/", headers=htmx_headers(target="x"))
    assert response.status_code == 500 and is_fragment(response.text)
    assert "kaboom" not in response.text


def test_template_variables_named_like_the_options_reach_the_template(app):
    """``status``, ``template`` and ``partials`` are template variables like any other: a plugin
    filtering by status must not change the HTTP status (it once answered 0)."""
    from jinja2 import ChoiceLoader, DictLoader

    from portal.core.rendering import render_page

    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "t/page.html": "<html>page {{ status }}|{{ template }}|{{ partials }}</html>",
        "t/_part.html": "part {{ status }}",
    }), app.jinja_env.loader])
    with app.test_request_context("/"):
        response = render_page("t/page.html", {"part": "t/_part.html"}, status="open",
                               template="x", partials="y")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "<html>page open|x|y</html>"
    with app.test_request_context("/", headers=htmx_headers(target="part")):
        response = render_page("t/page.html", {"part": "t/_part.html"}, status="shipped")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "part shipped")
