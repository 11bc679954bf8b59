"""Customer pages: the list, the request form (draft, errors, send), the request page, files,
PDF, CSV, the invoice's action, the panel; another company's ids are 404 everywhere."""

from __future__ import annotations

import io
from decimal import Decimal as D

from bs4 import BeautifulSoup
from sqlalchemy import select

from plugins.returns.models import ReturnLine, ReturnRequest, RmaAttachment
from portal.testing import htmx_headers, visible_text, walk_pages

from .conftest import invoice_lines

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _form(invoice_lines_, **values):
    data = {"description": "Kutular ezik geldi.", "resolution": "credit",
            "contact_name": "Ayşe Demir", "contact_phone": "", "action": "draft"}
    data.update(values)
    return data


def test_menu_section_lists_requests_goods_returns_and_credit_notes(customer_client):
    soup = customer_client.soup("/returns/")
    menu = soup.find("nav", attrs={"aria-label": "Main menu"})
    text = visible_text(str(menu))
    assert "Purchase returns" in text
    hrefs = [a["href"] for a in menu.find_all("a")]
    assert "/returns/" in hrefs
    assert "/documents/goods_return/" in hrefs and "/documents/credit_note/" in hrefs


def test_invoice_page_offers_request_a_return(customer_client, invoice):
    soup = customer_client.soup(f"/documents/{invoice.id}")
    link = soup.find("a", string="Request a return")
    assert link["href"] == f"/returns/new/{invoice.id}"


def test_create_asks_for_the_invoice_first(customer_client, invoice, make_invoice,
                                           other_company):
    make_invoice(other_company, number="INV-FOREIGN")
    soup = customer_client.soup("/returns/new")
    text = soup.get_text()
    assert invoice.number in text and "INV-FOREIGN" not in text
    assert soup.find("a", href=f"/returns/new/{invoice.id}")


def test_draft_then_send_in_turkish(customer_client, customer, db, invoice):
    customer.locale = "tr"
    db.commit()
    lines = invoice_lines(db, invoice.id)
    page = customer_client.soup(f"/returns/new/{invoice.id}")
    assert page.find("input", id=f"qty-{lines[1].id}")
    data = _form(lines, **{f"qty-{lines[1].id}": "2,5", f"reason-{lines[1].id}": "damaged",
                           f"condition-{lines[1].id}": "damaged"})
    response = customer_client.post(f"/returns/new/{invoice.id}", data=data)
    assert response.status_code == 303, response.text
    row = db.scalar(select(ReturnRequest))
    assert row.status == "draft"
    saved = db.scalar(select(ReturnLine))
    assert (saved.quantity, saved.reason, saved.condition) == (D("2.5"), "damaged", "damaged")
    page = customer_client.soup(response.headers["Location"])
    assert "Taslak" in page.get_text()
    response = customer_client.post(f"/returns/{row.id}/send")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(ReturnRequest, row.id).status == "submitted"


def test_bad_quantities_are_explained_beside_the_field_and_everything_is_kept(
        customer_client, db, invoice):
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, description="Açıklama burada",
                 **{f"qty-{lines[0].id}": "1.5", f"qty-{lines[1].id}": "9"})
    response = customer_client.post(f"/returns/new/{invoice.id}", data=data)
    assert response.status_code == 422
    soup = BeautifulSoup(response.text, "html.parser")
    assert "whole units" in soup.find(id=f"qty-{lines[0].id}-error").get_text()
    assert "At most 2.5" in soup.find(id=f"qty-{lines[1].id}-error").get_text()
    assert soup.find(id=f"qty-{lines[0].id}")["value"] == "1.5"
    assert soup.find("textarea", id="description").get_text().strip() == "Açıklama burada"
    assert db.scalar(select(ReturnRequest)) is None


def test_no_line_and_no_description_are_refused(customer_client, db, invoice):
    response = customer_client.post(f"/returns/new/{invoice.id}",
                                    data=_form([], description=""))
    assert response.status_code == 422
    assert "Describe the problem." in response.text
    response = customer_client.post(f"/returns/new/{invoice.id}", data=_form([]))
    assert response.status_code == 422
    assert "at least one line" in response.text
    assert db.scalar(select(ReturnRequest)) is None


def test_a_send_that_another_request_beat_is_told_what_is_left(
        customer_client, customer, db, invoice, make_request):
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, action="draft", **{f"qty-{lines[0].id}": "10"})
    draft = customer_client.post(f"/returns/new/{invoice.id}", data=data)
    assert draft.status_code == 303
    make_request(customer, invoice, {0: "7"})  # someone else sends 7 meanwhile
    draft_id = int(draft.headers["Location"].rstrip("/").split("/")[-1])
    response = customer_client.post(f"/returns/{draft_id}/edit",
                                    data=_form(lines, action="send",
                                               **{f"qty-{lines[0].id}": "10"}))
    assert response.status_code == 422
    assert "At most 3" in response.text
    db.expire_all()
    assert db.get(ReturnRequest, draft_id).status == "draft"


def test_htmx_preview_shows_the_line_amount_and_saves_nothing(htmx_client, customer, db,
                                                              invoice):
    htmx_client.login(customer.username)
    lines = invoice_lines(db, invoice.id)
    response = htmx_client.post(f"/returns/new/{invoice.id}",
                                data=_form(lines, preview="1", **{f"qty-{lines[0].id}": "2"}),
                                headers=htmx_headers("rma-lines"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("html") is None
    assert "444.00" in soup.find(id="rma-total").get_text()  # 2 × 185 + 20 % VAT
    assert db.scalar(select(ReturnRequest)) is None


def test_photos_are_stored_and_served_only_to_the_company(
        customer_client, client, db, invoice, make_user, other_company):
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, **{f"qty-{lines[0].id}": "1"})
    data["attachments"] = [(io.BytesIO(PNG), "kırık.png"), (io.BytesIO(b"%PDF-1.4 x"), "a.pdf")]
    response = customer_client.post(f"/returns/new/{invoice.id}", data=data,
                                    content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    files = list(db.scalars(select(RmaAttachment).order_by(RmaAttachment.id)))
    assert [f.original_name for f in files] == ["kırık.png", "a.pdf"]
    assert not files[0].stored_key.endswith(".png")
    row = db.scalar(select(ReturnRequest))
    served = customer_client.get(f"/returns/{row.id}/files/{files[0].id}")
    assert served.status_code == 200 and served.data == PNG
    stranger = make_user("stranger", company=other_company)
    customer_client.post("/logout")
    client.login(stranger.username)
    assert client.get(f"/returns/{row.id}/files/{files[0].id}").status_code == 404


def test_a_refused_file_type_keeps_nothing(customer_client, db, invoice):
    lines = invoice_lines(db, invoice.id)
    data = _form(lines, **{f"qty-{lines[0].id}": "1"})
    data["attachments"] = [(io.BytesIO(PNG), "ok.png"), (io.BytesIO(b"MZ"), "virus.exe")]
    response = customer_client.post(f"/returns/new/{invoice.id}", data=data,
                                    content_type="multipart/form-data")
    assert response.status_code == 422
    assert "virus.exe" in response.text
    assert db.scalar(select(ReturnRequest)) is None
    assert db.scalar(select(RmaAttachment)) is None


def test_withdraw_until_approved(customer_client, customer, staff, db, invoice, make_request):
    sent = make_request(customer, invoice, {0: "1"})
    approved = make_request(customer, invoice, {0: "1"}, status="approved", staff=staff)
    assert customer_client.post(f"/returns/{sent}/withdraw").status_code == 303
    assert customer_client.post(f"/returns/{approved}/withdraw").status_code == 303
    db.expire_all()
    assert db.get(ReturnRequest, sent).status == "withdrawn"
    assert db.get(ReturnRequest, approved).status == "approved"
    assert "Withdraw" not in customer_client.soup(f"/returns/{approved}").get_text()


def test_list_filters_and_csv(customer_client, customer, staff, invoice, make_request, db):
    make_request(customer, invoice, {0: "1"})
    closed = make_request(customer, invoice, {0: "1"}, status="closed", staff=staff)
    number = db.get(ReturnRequest, closed).number
    text = customer_client.soup("/returns/?status=closed").find(id="rma-results").get_text()
    assert number in text and "1 request" in text
    assert "2 requests" in customer_client.soup("/returns/").get_text()
    assert "0 requests" in customer_client.soup("/returns/?number=XYZ").get_text()
    csv = customer_client.get("/returns/export.csv?status=closed")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    body = csv.data.decode("utf-8-sig").splitlines()
    assert body[0].startswith("RMA number,") and len(body) == 2 and number in body[1]


def test_request_page_shows_lines_timeline_documents_and_pdf(customer_client, customer, staff,
                                                             invoice, make_request, db):
    request_id = make_request(customer, invoice, {0: "2"}, status="credited", staff=staff)
    soup = customer_client.soup(f"/returns/{request_id}")
    timeline = soup.find(id="rma-timeline").get_text()
    for label in ("Sent", "Approved", "Goods received", "Credited"):
        assert label in timeline
    assert "Depoya gönderin." in timeline
    docs = soup.find(id="rma-documents").get_text()
    assert "GR-" in docs and "CN-" in docs
    assert soup.find(id="rma-pdf")
    pdf = customer_client.get(f"/returns/{request_id}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # and back: the credit note's page links to the request
    from plugins.returns.models import RequestDocument

    note = db.scalar(select(RequestDocument).where(RequestDocument.doc_type == "credit_note"))
    page = customer_client.soup(f"/documents/{note.document_id}")
    assert page.find("a", href=f"/returns/{request_id}")
    credit_notes = customer_client.soup("/documents/credit_note/").get_text()
    assert note.number in credit_notes


def test_pdf_only_once_approved(customer_client, customer, invoice, make_request):
    request_id = make_request(customer, invoice, {0: "1"})
    assert customer_client.get(f"/returns/{request_id}/pdf").status_code == 404


def test_panel_lists_open_requests(customer_client, htmx_client, customer, staff, invoice,
                                   make_request, db):
    open_id = make_request(customer, invoice, {0: "1"})
    make_request(customer, invoice, {0: "1"}, status="closed", staff=staff)
    soup = customer_client.soup("/returns/panel")
    assert "1 open return request." in soup.get_text()
    assert soup.find("a", href=f"/returns/{open_id}")
    fragment = customer_client.get("/returns/panel", headers=htmx_headers("panel-open-returns"))
    assert BeautifulSoup(fragment.text, "html.parser").find("html") is None


def test_another_companys_ids_are_404_everywhere(customer_client, make_user, other_company,
                                                 make_invoice, make_request, staff, db):
    stranger = make_user("stranger", company=other_company)
    foreign_invoice = make_invoice(other_company)
    foreign = make_request(stranger, foreign_invoice, {0: "1"}, status="approved", staff=staff)
    from plugins.returns.models import RmaAttachment as A

    db.add(A(request_id=foreign, stored_key="returns/" + "a" * 32, original_name="x.png",
             content_type="image/png"))
    db.commit()
    file_id = db.scalar(select(A.id))
    for url in (f"/returns/new/{foreign_invoice.id}", f"/returns/{foreign}",
                f"/returns/{foreign}/edit", f"/returns/{foreign}/pdf",
                f"/returns/{foreign}/files/{file_id}", f"/documents/{foreign_invoice.id}"):
        assert customer_client.get(url).status_code == 404, url
    for url in (f"/returns/new/{foreign_invoice.id}", f"/returns/{foreign}/send",
                f"/returns/{foreign}/withdraw", f"/returns/{foreign}/edit"):
        assert customer_client.post(url, data={}).status_code == 404, url
    csv = customer_client.get("/returns/export.csv").data.decode("utf-8-sig")
    assert db.get(ReturnRequest, foreign).number not in csv
    assert db.get(ReturnRequest, foreign).number not in customer_client.get("/returns/").text


def test_permissions_guard_the_pages(client, make_user, db, invoice):
    from portal.core.models import AccessGroup, AccessGroupExclusion, Profile

    profile = db.query(Profile).filter_by(key="customer").one()
    group = AccessGroup(name="Viewers", profile_id=profile.id)
    db.add(group)
    db.flush()
    db.add(AccessGroupExclusion(group_id=group.id, permission="returns.create"))
    db.commit()
    viewer = make_user("viewer", company_id=invoice.company_id, groups=[group])
    client.login(viewer.username)
    assert client.get("/returns/").status_code == 200
    assert client.get("/returns/new").status_code == 403
    assert client.get(f"/returns/new/{invoice.id}").status_code == 403
    page = client.soup(f"/documents/{invoice.id}")
    assert page.find("a", string="Request a return") is None


def test_query_counts_do_not_grow_with_the_rows(customer_client, customer, company, db,
                                                make_invoice, make_request, count_queries,
                                                staff):
    from .conftest import line

    def measure(url):
        with count_queries() as counter:
            assert customer_client.get(url).status_code == 200
        return counter.count

    small = make_invoice(company, lines=[line(code=f"P-{i}") for i in range(3)])
    large = make_invoice(company, lines=[line(code=f"Q-{i}") for i in range(30)])
    few = make_request(customer, small, {i: "1" for i in range(3)}, status="credited",
                       staff=staff)
    measure("/returns/")  # warm up the signed-in session
    few_list = measure("/returns/")
    few_page = measure(f"/returns/{few}")
    many = make_request(customer, large, {i: "1" for i in range(30)}, status="credited",
                        staff=staff)
    for _ in range(28):
        make_request(customer, large, {5: "1"}, status="draft")
    assert measure("/returns/") == few_list
    assert measure(f"/returns/{many}") == few_page


def test_choosing_the_invoice_pages_by_keyset_and_old_page_links_work(customer_client, company,
                                                                      make_invoice, db,
                                                                      count_queries):
    import datetime as dt

    made = [make_invoice(company, number=f"INV-K-{i:03d}",
                         issued_on=dt.date.today() - dt.timedelta(days=i // 3))
            for i in range(45)]
    make_invoice(company, number="INV-GONE", status="cancelled")
    expected = [d.number for d in sorted(made, key=lambda d: (d.issued_on, d.id), reverse=True)]

    def numbers(soup):
        return [th.get_text(strip=True) for th in soup.select("#rma-invoices tbody th")]

    pages, back, _last = walk_pages(customer_client, "/returns/new", numbers)
    assert [len(p) for p in pages] == [20, 20, 5] and sum(pages, []) == expected
    assert back == pages
    # an old ?page=N link, and the deep page costs what the first one costs
    with count_queries() as first:
        customer_client.get("/returns/new")
    with count_queries() as deep:
        page3 = customer_client.soup("/returns/new?page=3")
    assert numbers(page3) == expected[40:] and deep.statements == first.statements
    assert len([s for s in first.statements if "document.doc_type" in s]) == 2
