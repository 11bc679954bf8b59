"""Hooks the documents plugin defines for other plugins (registered via ``portal_hookspecs``)."""

from __future__ import annotations

from portal.core.hookspecs import hookspec


@hookspec
def portal_document_types():
    """Return the document types the plugin adds to the documents plugin.

    Called while a request is handled (and by the API and ``portal import``); results of
    disabled plugins are ignored. Each type gets its own list page in the "Documents from
    supplier" menu, document pages, CSV export, PDF and an API resource. A ``key`` already taken
    (the built-in types: ``quotation``, ``goods_issue``, ``invoice``, ``tax_invoice``,
    ``reconciliation``, ``goods_return``, ``credit_note``, ``payment``) is ignored.

    Returns a list of :class:`plugins.documents.types.DocumentType`.

    Example::

        @hookimpl
        def portal_document_types():
            return [DocumentType("proforma", _l("Proforma invoice"), _l("Proforma invoices"),
                                 prefix="PF", columns=("status", "total"))]
    """


@hookspec
def portal_api_resources():
    """Return the resources the plugin adds to the integration API under ``/api/v1``.

    Called for each API request and when ``/api/v1/openapi.json`` or ``portal import`` runs;
    results of disabled plugins are ignored. Each resource answers ``GET`` and ``PUT`` at
    ``/api/v1/<name>/{external_id}``; its payload is validated against ``fields`` (errors are
    answered 422 with a list of field errors and nothing written) and it appears in the OpenAPI
    document.

    Returns a list of :class:`plugins.documents.types.ApiResource`.

    Example::

        @hookimpl
        def portal_api_resources():
            return [ApiResource("products", "Products",
                                fields=(ApiField("name", required=True, max_length=200),),
                                upsert=upsert_product, read=read_product)]
    """


@hookspec
def portal_document_actions(document, user):
    """Return actions (links) the plugin offers on a customer's document page.

    Called while the page of ``document`` (a :class:`plugins.documents.models.Document` of the
    signed-in customer ``user``, lines loaded) renders; results of disabled plugins are ignored
    and an exception leaves that plugin out. The documents plugin drops actions whose
    ``permission`` the user lacks and renders the rest as links, sorted by ``order``.

    Returns a list of :class:`plugins.documents.types.DocumentAction`.

    Example::

        @hookimpl
        def portal_document_actions(document, user):
            if document.doc_type != "quotation":
                return []
            return [DocumentAction(_l("Create order"), "orders.from_quotation",
                                   url_values=(("document_id", document.id),),
                                   permission="orders.create")]
    """


@hookspec
def portal_document_sections(document, user):
    """Return blocks the plugin adds to a document's page, below the document.

    Called while the customer's page of ``document`` (lines loaded, already checked to be the
    customer's) or the staff page of it renders; ``user`` is the signed-in user (a customer or
    staff: check ``user.is_staff`` to tell). Results of disabled plugins are ignored and an
    exception leaves that plugin out. Each section's template is included with the page's
    variables plus ``section_context`` (its ``context`` as a dict); a form in it must work
    with JavaScript off.

    Returns a list of :class:`plugins.documents.types.DocumentSection`.

    Example::

        @hookimpl
        def portal_document_sections(document, user):
            if document.doc_type != "reconciliation":
                return []
            return [DocumentSection("balances/_answer.html",
                                    context=(("answer", find_answer(document)),))]
    """
