"""What a PDF drew, for tests: every string passed to :meth:`DocumentPDF.clean` (all text on a
page goes through it), and whether an image was embedded."""

from __future__ import annotations

import pytest


@pytest.fixture
def pdf_text(monkeypatch) -> list[str]:
    from plugins.documents.pdf import DocumentPDF

    seen: list[str] = []
    real = DocumentPDF.clean

    def clean(self, value):
        text = real(self, value)
        seen.append(text)
        return text

    monkeypatch.setattr(DocumentPDF, "clean", clean)
    return seen


def has_image(data: bytes) -> bool:
    return b"/Subtype /Image" in data
