"""Everything the balances plugin asks of the documents plugin, in one place.

Only the documents plugin's service modules (:mod:`plugins.documents.ledger`,
:mod:`plugins.documents.services`) are called; its tables are never queried here.
"""

from __future__ import annotations


def ledger():
    from plugins.documents import ledger as module

    return module


def services():
    from plugins.documents import services as module

    return module
