"""Text helpers that are correct for Turkish."""

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
