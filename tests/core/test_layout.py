"""The layout: menu, dashboard, size budgets, languages."""

from pathlib import Path

from bs4 import BeautifulSoup

from portal.testing import PortalClient, enable_plugins, make_plugin, visible_text

ROOT = Path(__file__).resolve().parents[2]


def signed_in(app, username):
    app.test_client_class = PortalClient
    client = app.test_client()
    client.login(username)
    return client


def test_menu_shows_only_what_the_user_may_see(make_app, make_user, db):
    app = make_app(PLUGINS={"open": make_plugin("open"),
                            "guarded": make_plugin("guarded", permission=True)})
    enable_plugins(app, "open", "guarded")
    make_user("member")
    make_user("outsider", groups=[])  # in no access group
    member = [a.text for a in BeautifulSoup(signed_in(app, "member").get("/").text,
                                            "html.parser").select("nav.menu a")]
    outsider_client = signed_in(app, "outsider")
    outsider = [a.text for a in BeautifulSoup(outsider_client.get("/").text,
                                              "html.parser").select("nav.menu a")]
    assert {"Open menu", "Guarded menu"} <= set(member)
    assert "Guarded menu" not in outsider and "My account" in outsider


def test_current_page_is_marked_in_the_menu(customer_client):
    soup = customer_client.soup("/account/")
    assert soup.find("a", attrs={"aria-current": "page"}).text == "My account"


def test_dashboard_without_panels_explains_itself(make_app, make_user, db):
    app = make_app(DISCOVER_PLUGINS=False)
    make_user("cust")
    assert "There is nothing for you here yet" in visible_text(signed_in(app, "cust").get("/").text)


def test_panels_the_user_may_not_see_are_left_out(make_app, make_user, db):
    app = make_app(PLUGINS={"secret": make_plugin("secret", panel=True, permission=True)})
    enable_plugins(app, "secret")
    make_user("outsider", groups=[])
    soup = BeautifulSoup(signed_in(app, "outsider").get("/").text, "html.parser")
    assert soup.find(id="panel-secret") is None


def test_page_weight_budgets(customer_client):
    assert len(customer_client.get("/").data) < 50_000
    assert (ROOT / "static" / "portal.css").stat().st_size < 15_000
    own_scripts = [p for p in (ROOT / "static").rglob("*.js") if p.name != "htmx.min.js"]
    assert sum(p.stat().st_size for p in own_scripts) <= 5_000
    assert (ROOT / "static" / "htmx.min.js").stat().st_size == 51_238  # htmx 2.0.10, vendored


def test_htmx_is_configured_without_eval(customer_client):
    soup = customer_client.soup("/")
    config = soup.find("meta", attrs={"name": "htmx-config"})["content"]
    assert '"allowEval":false' in config and '"historyCacheSize":0' in config
    assert soup.body["hx-boost"] == "true"


def test_language_follows_the_browser_then_the_users_choice(client, customer):
    page = client.get("/login", headers={"Accept-Language": "tr-TR,tr;q=0.9"})
    assert BeautifulSoup(page.text, "html.parser").html["lang"] == "tr"
    assert "Giriş yap" in visible_text(page.text)
    client.login("ayse")
    client.post("/account/language", data={"lang": "en", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "tr"})
    assert "Welcome, Ayşe Demir" in visible_text(page.text)
    client.post("/account/language", data={"lang": "tr", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"})
    assert BeautifulSoup(page.text, "html.parser").html["lang"] == "tr"


def test_headings_start_at_one_and_do_not_skip(customer_client):
    for url in ("/", "/account/"):
        soup = customer_client.soup(url)
        levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4"])]
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_every_input_has_a_label(client):
    soup = BeautifulSoup(client.get("/login").text, "html.parser")
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.get("type") in ("hidden", "submit"):
            continue
        assert soup.find("label", attrs={"for": field["id"]}) is not None, field
