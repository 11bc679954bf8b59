"""Text helpers that are correct for Turkish."""

import re
import unicodedata

_FOLD = str.maketrans({"İ": "i", "I": "i", "ı": "i", "ş": "s", "Ş": "s", "ğ": "g", "Ğ": "g",
                       "ç": "c", "Ç": "c", "ö": "o", "Ö": "o", "ü": "u", "Ü": "u"})


def search_key(text: str | None) -> str:
    """Fold text for case- and accent-insensitive search that treats I/ı/İ/i alike.

    ``search_key("IŞIK") == search_key("ışık") == search_key("isik") == "isik"``.
    """
    if not text:
        return ""
    folded = text.translate(_FOLD).lower()
    folded = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).strip()


_I_FOLD = str.maketrans({"İ": "i", "I": "i", "ı": "i"})


def name_key(text: str | None) -> str:
    """Fold a name for "is this name taken?": case-blind, Turkish-correct, accents kept.

    The dotted and dotless I's are one letter here (``"Işık"``, ``"IŞIK"``, ``"ışık"`` and
    ``"isik"``'s i all fold to ``i``), because a capital I may be the capital of either; every
    other letter is case-folded and kept (``ş`` stays distinct from ``s``). Spaces are
    collapsed. Unique indexes on these keys make the database agree with the duplicate check.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).translate(_I_FOLD).casefold()
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(ch for ch in folded if ch != "\u0307")  # the dot of İ, however written
    return " ".join(unicodedata.normalize("NFC", folded).split())


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(text: str) -> bool:
    """True when ``text`` holds a character no text column can take: NUL (PostgreSQL refuses
    it, SQLite keeps it) or an unpaired surrogate (not encodable as UTF-8)."""
    return bool(_UNSTORABLE.search(text))


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards (``%``, ``_``) and the escape character itself escaped,
    for ``column.like(f"%{escape_like(text)}%", escape="\\\\")``: typed text matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
