"""The business's branding: name, logo, accent colour, contact details and welcome text.

One place to read it: :func:`current_brand` (the page header, the sign-in page, PDFs, mails).
Values live in the ``setting`` table under ``brand.<field>`` keys, set on Admin › Branding; a
field never saved there falls back to its ``BRAND_<FIELD>`` setting (``PORTAL_BRAND_NAME`` …),
and the name and address to the older ``SUPPLIER_NAME`` / ``DOCUMENTS_SUPPLIER_NAME`` /
``DOCUMENTS_SUPPLIER_ADDRESS``. Reading costs no query of its own: the settings are loaded once
per request (:func:`portal.core.settings.all_settings`).

The accent colour reaches the pages through a small generated stylesheet at a content-hashed
URL (:func:`stylesheet_url`, ``/branding-<hash>.css``, cached a year), since the CSP forbids
inline styles. The logo is re-encoded as PNG by Pillow (:func:`process_logo`) and stored through
:mod:`portal.core.storage` under a new key on every upload, so its URL never changes meaning.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import threading
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import gettext as _

from portal.core.settings import all_settings

PREFIX = "brand."
FIELDS = ("name", "logo", "accent", "address", "tax_number", "email", "phone", "welcome_en",
          "welcome_tr")
"""Each field is stored as the setting ``brand.<field>``; its default is ``BRAND_<FIELD>``."""

DEFAULT_ACCENT = "#0b5cad"
"""portal.css's ``--accent``."""
BACKGROUND = "#ffffff"
"""portal.css's ``--bg``: links and headings in the accent colour sit on it."""
ACCENT_TEXT = "#ffffff"
"""portal.css's ``--accent-fg``: the header's and primary buttons' text on the accent."""
MIN_CONTRAST = 4.5
"""WCAG 2.x AA for normal text."""

LOGO_AREA = "branding"
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_EXTENSIONS = ("png", "jpg", "jpeg", "webp")
LOGO_MAX_SIZE = (800, 240)
"""A stored logo is at most this many pixels wide and high (kept in proportion)."""
LOGO_MAX_PIXELS = 40_000_000
"""An image larger than this is refused before it is decoded (a decompression bomb)."""


@dataclass(frozen=True)
class Brand:
    name: str = ""
    logo: str = ""
    """The logo's storage key (``branding/<32 hex>``), or empty."""
    accent: str = DEFAULT_ACCENT
    address: str = ""
    tax_number: str = ""
    email: str = ""
    phone: str = ""
    welcome_en: str = ""
    welcome_tr: str = ""

    @property
    def display_name(self) -> str:
        """The name, or "Customer portal" (translated) when none is set."""
        return self.name or _("Customer portal")

    def welcome(self, locale) -> str:
        """The welcome text in ``locale``, else in the other language, else empty."""
        own = self.welcome_tr if str(locale).startswith("tr") else self.welcome_en
        return own or self.welcome_en or self.welcome_tr

    @property
    def contact_lines(self) -> list[str]:
        """The address lines, then phone, e-mail and tax number: the letterhead and mail footer."""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        if self.phone:
            lines.append(_("Phone: %(phone)s", phone=self.phone))
        if self.email:
            lines.append(_("E-mail: %(email)s", email=self.email))
        if self.tax_number:
            lines.append(_("Tax number: %(number)s", number=self.tax_number))
        return lines


def _defaults(config) -> dict[str, str]:
    found = {name: str(config.get(f"BRAND_{name.upper()}") or "") for name in FIELDS}
    found["name"] = found["name"] or str(config.get("SUPPLIER_NAME")
                                         or config.get("DOCUMENTS_SUPPLIER_NAME") or "")
    found["address"] = found["address"] or str(config.get("DOCUMENTS_SUPPLIER_ADDRESS") or "")
    found["accent"] = normal_colour(found["accent"]) or DEFAULT_ACCENT
    found["logo"] = ""  # a logo exists only in the storage, uploaded on the admin page
    return found


def current_brand() -> Brand:
    """The branding in force (settings saved on Admin › Branding over the configured defaults)."""
    values = _defaults(current_app.config)
    stored = all_settings()
    for name in FIELDS:
        if PREFIX + name in stored:
            values[name] = stored[PREFIX + name]
    values["accent"] = normal_colour(values["accent"]) or DEFAULT_ACCENT
    return Brand(**values)


def save_brand(session, values: dict[str, str]) -> list[str]:
    """Store the given fields (in the caller's transaction); returns the names that changed."""
    from portal.core.settings import set_setting

    before = current_brand()
    changed = [name for name, value in values.items()
               if name in FIELDS and getattr(before, name) != value]
    for name in changed:
        set_setting(session, PREFIX + name, values[name])
    return changed


# Colours and contrast (WCAG 2.x relative luminance) ------------------------------------------

def normal_colour(value: str | None) -> str | None:
    """``#rrggbb`` in lower case for ``#rgb`` / ``#rrggbb`` (with or without ``#``), else None."""
    text = (value or "").strip().lower().removeprefix("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6 or any(ch not in "0123456789abcdef" for ch in text):
        return None
    return "#" + text


def _rgb(colour: str) -> tuple[float, float, float]:
    colour = normal_colour(colour) or "#000000"
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def accent_contrast(accent: str) -> float:
    """The weaker of the accent's contrasts: against the page background and against its text."""
    return min(contrast_ratio(accent, BACKGROUND), contrast_ratio(accent, ACCENT_TEXT))


def suggest_accent(accent: str) -> str | None:
    """The nearest colour of the same hue (darker or lighter) that passes AA, or None if none.

    Lightness is moved in small steps both ways; the smaller move that passes wins.
    """
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(accent))
    for step in range(1, 101):
        for sign in (-1, 1):
            candidate_l = lightness + sign * step / 100
            if not 0 <= candidate_l <= 1:
                continue
            candidate = _hex(colorsys.hls_to_rgb(h, candidate_l, s))
            if accent_contrast(candidate) >= MIN_CONTRAST:
                return candidate
    return None


# The generated stylesheet ---------------------------------------------------------------------

def stylesheet(brand: Brand | None = None) -> str:
    brand = brand or current_brand()
    return f":root {{ --accent: {brand.accent}; }}\n"


def stylesheet_version(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def stylesheet_url(brand: Brand | None = None) -> str:
    return url_for("branding.stylesheet", version=stylesheet_version(stylesheet(brand)))


def logo_url(brand: Brand | None = None) -> str | None:
    brand = brand or current_brand()
    if not brand.logo:
        return None
    return url_for("branding.logo", name=brand.logo.partition("/")[2])


# The logo -------------------------------------------------------------------------------------

class LogoRefused(ValueError):
    """The upload is not a usable logo; the message says why, for the user."""


def process_logo(data: bytes) -> bytes:
    """Check an uploaded logo and re-encode it as a PNG of at most :data:`LOGO_MAX_SIZE`.

    Only PNG, JPEG and WebP are accepted, by their content (not their name); anything Pillow
    cannot decode, or an image of too many pixels, is refused with :class:`LogoRefused`.
    """
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise LogoRefused(_("The file is empty."))
    if len(data) > LOGO_MAX_BYTES:
        raise LogoRefused(_("The logo may be at most %(size)s MB.",
                            size=LOGO_MAX_BYTES // (1024 * 1024)))
    refused = LogoRefused(_("This file is not a PNG, JPEG or WebP image."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in LOGO_FORMATS:
                raise refused
            width, height = image.size
            if width * height > LOGO_MAX_PIXELS:
                raise LogoRefused(_("The image is too large (%(width)s × %(height)s pixels).",
                                    width=width, height=height))
            image.load()
            image = image.convert("RGBA")
            image.thumbnail(LOGO_MAX_SIZE)
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
    except LogoRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise refused from exc
    return out.getvalue()


def store_logo(png: bytes) -> str:
    """Write a processed logo to the storage under a new key; returns the key."""
    import secrets

    from portal.core.storage import get_storage

    key = f"{LOGO_AREA}/{secrets.token_hex(16)}"
    get_storage().write(key, io.BytesIO(png), LOGO_MAX_BYTES)
    return key


_logo_cache: dict[str, bytes] = {}
_logo_lock = threading.Lock()


def logo_bytes(key: str) -> bytes | None:
    """The stored PNG of ``key`` (kept in memory once read: a key's content never changes)."""
    from portal.core.storage import get_storage

    if not key:
        return None
    with _logo_lock:
        found = _logo_cache.get(key)
    if found is not None:
        return found
    handle = get_storage().open(key)
    if handle is None:
        return None
    with handle:
        found = handle.read()
    with _logo_lock:
        if len(_logo_cache) > 8:
            _logo_cache.clear()
        _logo_cache[key] = found
    return found


def init_app(app) -> None:
    from werkzeug.local import LocalProxy

    app.jinja_env.globals.update(brand_stylesheet_url=stylesheet_url, brand_logo_url=logo_url)

    @app.context_processor
    def _brand():
        return {"brand": LocalProxy(current_brand)}  # read on use: a page without it pays nothing
