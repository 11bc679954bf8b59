"""PDF fonts are parsed once per process; each PDF still embeds only the glyphs it uses."""

from __future__ import annotations

import datetime as dt

from plugins.documents import pdf as pdf_module

from .test_pdf_csv import pdf_streams

FIXED = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _render(text: str) -> bytes:
    document = pdf_module.DocumentPDF("Tedarikçi A.Ş.")
    document.set_creation_date(FIXED)
    document.add_page()
    document.use(10)
    document.cell(0, 6, document.clean(text))
    document.use(10, bold=True)
    document.cell(0, 6, document.clean(text.upper()))
    return bytes(document.output())


def test_fonts_are_parsed_once_and_pdfs_do_not_share_glyphs(app, monkeypatch):
    parsed = []
    real = pdf_module.TTFFont

    def counting(*args, **kwargs):
        parsed.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "TTFFont", counting)
    monkeypatch.setattr(pdf_module._ParsedFont, "_cache", {})
    with app.app_context():
        first = _render("Çimento şişe ığdır")
        other = _render("Kablo 2,5 mm² — 1.250,00 ₺ Ωμέγα Щука")
        again = _render("Çimento şişe ığdır")
    assert len(parsed) == 2  # regular and bold, once for all three PDFs
    assert first == again  # nothing of the second PDF's glyphs leaked into the third
    assert len(other) != len(first)
    assert first.startswith(b"%PDF-") and b"/FontFile2" in first
    # The text is drawn with the embedded Unicode font (a ToUnicode map names ş and ı).
    streams = pdf_streams(first)
    assert b"<015F>" in streams.upper() and b"<0131>" in streams.upper()
