"""The hooks the documents plugin defines (and the core's ``portal_cli_commands`` it needed)."""

from __future__ import annotations

import json

import click
import pytest
from bs4 import BeautifulSoup

from plugins.documents.types import ApiField, ApiResource, DocumentType
from portal.core.plugins import PluginError
from portal.testing import PortalClient, enable_plugins, make_plugin

PROFORMA = DocumentType("proforma", "Proforma invoice", "Proforma invoices", prefix="PF",
                        columns=("status", "valid_until", "total"), order=15)


def _client(app, username):
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.login(username).status_code == 303
    return client


def test_hook_portal_document_types(make_app, db, customer):
    from plugins.documents.services import create_document, next_number
    from portal.core.db import get_session

    app = make_app(PLUGINS={"extras": make_plugin(
        "extras", requires=("documents",),
        portal_document_types=lambda: [PROFORMA,
                                       DocumentType("invoice", "Hijack", "Hijacks", "H")])})
    client = _client(app, customer.username)
    assert client.get("/documents/proforma/").status_code == 404  # disabled: not there
    enable_plugins(app, "extras")

    menu = BeautifulSoup(client.get("/").text, "html.parser").find("nav", class_="menu")
    labels = [a.text for a in menu.find_all("a")]
    assert labels.index("Quotations") < labels.index("Proforma invoices") < labels.index(
        "Goods issues")
    assert "Hijacks" not in labels  # a built-in key cannot be taken over
    with app.app_context():
        session = get_session()
        number = next_number(session, "proforma", 2026)
        doc = create_document(session, company_id=customer.company_id, doc_type="proforma",
                              number=number, issued_on=__import__("datetime").date(2026, 5, 1),
                              lines=[])
        session.commit()
    assert number == "PF-2026-000001"
    listing = client.get("/documents/proforma/").text
    assert "PF-2026-000001" in listing and "Valid until" in listing
    assert "Proforma invoice PF-2026-000001" in client.get(f"/documents/{doc.id}").text
    spec = client.get("/api/v1/openapi.json").json
    assert "/proformas/{external_id}" in spec["paths"]


WIDGETS: dict[str, dict] = {}


def _upsert_widget(session, external_id, data):
    created = external_id not in WIDGETS
    changed = WIDGETS.get(external_id) != data
    WIDGETS[external_id] = data
    return created, changed, external_id


WIDGET_RESOURCE = ApiResource(
    "widgets", "Widgets",
    fields=(ApiField("name", required=True, max_length=200), ApiField("price", "decimal")),
    upsert=_upsert_widget, read=lambda session, external_id: WIDGETS.get(external_id))


def test_hook_portal_api_resources(make_app, db, api_token, tmp_path):
    WIDGETS.clear()
    app = make_app(PLUGINS={"catalog": make_plugin(
        "catalog", requires=("documents",), portal_api_resources=lambda: [WIDGET_RESOURCE])})
    client = app.test_client()
    auth = {"Authorization": f"Bearer {api_token}"}
    assert client.put("/api/v1/widgets/A-100", json={"name": "Cıvata"},
                      headers=auth).status_code == 404
    enable_plugins(app, "catalog")
    created = client.put("/api/v1/widgets/A-100", json={"name": "Cıvata M8", "price": "1.5"},
                         headers=auth)
    assert created.status_code == 201
    again = client.put("/api/v1/widgets/A-100", json={"name": "Cıvata M8", "price": "1.5"},
                       headers=auth)
    assert again.status_code == 200 and again.json["changed"] is False
    missing = client.put("/api/v1/widgets/A-101", json={"price": "x"}, headers=auth)
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json["errors"]} == {"name", "price"}
    assert "A-101" not in WIDGETS
    assert client.get("/api/v1/widgets/A-100", headers=auth).json["name"] == "Cıvata M8"
    spec = client.get("/api/v1/openapi.json").json
    assert spec["components"]["schemas"]["Widgets"]["required"] == ["name"]
    path = tmp_path / "widgets.json"
    path.write_text(json.dumps({"widgets": [{"external_id": "B-1", "name": "Somun"}]}))
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "widgets: 1 created" in result.output and WIDGETS["B-1"]["name"] == "Somun"


def test_hook_portal_cli_commands(make_app, db):
    @click.command("hello")
    def hello():
        """Say hello."""
        click.echo("Merhaba dünya")

    app = make_app(PLUGINS={"greeter": make_plugin("greeter",
                                                   portal_cli_commands=lambda: [hello])})
    result = app.test_cli_runner().invoke(args=["hello"])
    assert result.exit_code == 0 and result.output.strip() == "Merhaba dünya"

    @click.command("demo")
    def clash():
        """Collides with the core's command."""

    clasher = make_plugin("clasher", portal_cli_commands=lambda: [clash])
    with pytest.raises(PluginError, match="'demo' is already taken"):
        make_app(PLUGINS={"clasher": clasher}, REQUIRED_PLUGINS="clasher")
    app = make_app(PLUGINS={"clasher": clasher})  # a third-party one is set aside instead
    assert "'demo' is already taken" in app.extensions["portal.plugins"].plugins["clasher"].failure
    assert "Demo data loaded." in app.test_cli_runner().invoke(args=["demo"]).output


def test_hook_portal_document_actions(make_app, db, customer, company, make_document):
    from plugins.documents.types import DocumentAction

    def actions(document, user):
        if document.doc_type != "invoice":
            return []
        return [DocumentAction("Ask about this", "extras.index",
                               url_values=(("ref", document.number),)),
                DocumentAction("Secret action", "extras.index", permission="extras.nothing")]

    app = make_app(PLUGINS={"extras": make_plugin("extras", requires=("documents",),
                                                  portal_document_actions=actions)})
    invoice = make_document(company, "invoice", number="INV-77")
    payment = make_document(company, "payment", number="PAY-1", lines=[])
    client = _client(app, customer.username)
    assert "Ask about this" not in client.get(f"/documents/{invoice.id}").text  # disabled
    enable_plugins(app, "extras")

    soup = BeautifulSoup(client.get(f"/documents/{invoice.id}").text, "html.parser")
    links = {a.text: a["href"] for a in soup.select(".actions a")}
    assert links["Ask about this"] == "/extras/?ref=INV-77"
    assert "Secret action" not in links
    assert "Ask about this" not in client.get(f"/documents/{payment.id}").text


def test_hook_portal_document_sections(make_app, db, customer, staff, company, make_document):
    from jinja2 import ChoiceLoader, DictLoader

    from plugins.documents.types import DocumentSection

    def sections(document, user):
        if document.doc_type != "invoice":
            return []
        who = "staff" if user.is_staff else "customer"
        return [DocumentSection("extras/_section.html", context=(("who", who),), order=5)]

    app = make_app(PLUGINS={"extras": make_plugin("extras", requires=("documents",),
                                                  portal_document_sections=sections)})
    app.jinja_env.loader = ChoiceLoader([DictLoader({
        "extras/_section.html": '<section id="extra">{{ section_context.who }} sees '
                                '{{ doc.number }}</section>'}), app.jinja_env.loader])
    invoice = make_document(company, "invoice", number="INV-78")
    payment = make_document(company, "payment", number="PAY-2", lines=[])
    client = _client(app, customer.username)
    assert 'id="extra"' not in client.get(f"/documents/{invoice.id}").text  # disabled
    enable_plugins(app, "extras")
    soup = BeautifulSoup(client.get(f"/documents/{invoice.id}").text, "html.parser")
    assert soup.find(id="extra").text == "customer sees INV-78"
    assert soup.find(id="extra") is not None
    assert 'id="extra"' not in client.get(f"/documents/{payment.id}").text
    staff_client = _client(app, staff.username)
    staff_soup = BeautifulSoup(staff_client.get(f"/admin/documents/{invoice.id}").text,
                               "html.parser")
    assert staff_soup.find(id="extra").text == "staff sees INV-78"
