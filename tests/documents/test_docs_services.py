"""docs/documents.md names the service functions other plugins call with their signatures."""

from pathlib import Path

import pytest

from plugins.documents import ledger, services
from tests.core.test_docs_plugins import plain_signature

DOC = (Path(__file__).resolve().parents[2] / "docs" / "documents.md").read_text()


@pytest.mark.parametrize("func", [services.on_origin_quantities_changed,
                                  services.quantities_by_origin, services.documents_by_origin,
                                  services.linked_documents, services.list_documents,
                                  services.page_documents, ledger.order_balance],
                         ids=lambda f: f.__name__)
def test_service_function_is_documented_with_its_signature(func):
    assert plain_signature(func) in DOC
