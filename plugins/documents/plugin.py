"""Entry point of the documents plugin: every document the supplier issued to each customer,
supplier files ("Downloads") and the ERP integration API.

Contributes pages (customer lists per document type, document pages, PDF, CSV, downloads),
staff pages under /admin/documents, the ``/api/v1`` API, the ``portal import`` command, its
permissions, its migrations and demo data, and two hooks of its own (``portal_document_types``,
``portal_api_resources``: see :mod:`plugins.documents.hookspecs`).
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal import hookimpl
from portal.core.types import EventKind, MenuItem, Panel, Permission, PluginInfo, PluginSetting

SECTION = _l("Documents from supplier")


@hookimpl
def portal_plugin_info():
    return PluginInfo(title=_l("Documents from supplier"),
                      description=_l("Every document the supplier issued, supplier files and "
                                     "the ERP integration API."),
                      requires=())


@hookimpl
def portal_hookspecs():
    from plugins.documents import hookspecs

    return [hookspecs]


@hookimpl
def portal_blueprints():
    from plugins.documents import api, files, staff_views, views  # noqa: F401 (routes)

    return [views.bp, staff_views.bp, api.bp]


@hookimpl
def portal_permissions():
    return [Permission("documents.view", _l("View documents from the supplier"),
                       _l("Quotations, goods issues, invoices, statements, payments…")),
            Permission("documents.download", _l("Download supplier files"),
                       _l("Catalogues, price lists, certificates and advertising material."))]


@hookimpl
def portal_menu_items(user):
    from plugins.documents.registry import document_types

    items = [MenuItem(t.plural, "documents.index", permission="documents.view",
                      section=SECTION, order=200 + t.order, url_values=(("doc_type", t.key),))
             for t in document_types().values()]
    items.append(MenuItem(_l("Downloads"), "documents.downloads",
                          permission="documents.download", section=SECTION, order=299))
    return items


@hookimpl
def portal_dashboard_panels(user):
    return [Panel("recent-documents", _l("Recent documents"), "documents.recent_panel",
                  "documents.view", order=40, link_text=_l("See your recent documents"))]


@hookimpl
def portal_admin_menu_items(user):
    return [MenuItem(_l("Customer documents"), "documents_staff.index", order=200),
            MenuItem(_l("Supplier files"), "documents_staff.files", order=210),
            MenuItem(_l("API tokens"), "documents_staff.api_tokens", permission="core.admin",
                     order=890)]


@hookimpl
def portal_document_types():
    from plugins.documents.registry import BUILTIN_TYPES

    return list(BUILTIN_TYPES)


@hookimpl
def portal_api_resources():
    from plugins.documents.resources import COMPANIES, document_resources

    return [COMPANIES, *document_resources()]


@hookimpl
def portal_cli_commands():
    from plugins.documents.cli import import_command, move_files_command

    return [import_command, move_files_command]


@hookimpl
def portal_event_kinds():
    """Mails in ``templates/documents/mail/`` (see docs/events.md)."""
    return [EventKind("documents.issued", _l("New document to answer"),
                      _l("The supplier issued a document that asks for your answer (a "
                         "reconciliation statement)."), audience="customer",
                      endpoint="documents.show", url_arg="document_id")]


@hookimpl
def portal_migrations():
    return Path(__file__).parent / "migrations"


@hookimpl
def portal_demo_data(session):
    from plugins.documents.demo import load_demo_documents

    load_demo_documents(session)


@hookimpl
def portal_settings():
    return [
        PluginSetting("DOCUMENTS_PER_PAGE", 50, _l("Documents on one page.")),
        PluginSetting("DOCUMENTS_MAX_FILE_BYTES", 20 * 1024 * 1024,
                      _l("Size of one supplier file (Downloads), in bytes.")),
        PluginSetting("DOCUMENTS_ALLOWED_EXTENSIONS",
                      "pdf,png,jpg,jpeg,gif,webp,zip,csv,txt,xls,xlsx,doc,docx,ppt,pptx,odt,ods",
                      _l("File types staff may upload as supplier files, separated by commas.")),
        PluginSetting("DOCUMENTS_FILES_DIR", "",
                      _l("Folder of supplier files uploaded before the storage interface (empty: "
                         "documents_files in the instance folder).")),
        PluginSetting("DOCUMENTS_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                      _l("TrueType font of PDFs (Turkish letters need a Unicode font).")),
        PluginSetting("DOCUMENTS_PDF_FONT_BOLD",
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                      _l("Bold TrueType font of PDFs.")),
    ]
