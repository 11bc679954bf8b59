"""Product pictures for the demo, drawn with Pillow (nothing is downloaded).

Each category has its colours and a shape (a sack for building materials, a bulb for lighting…);
the product code is written under it, so every product's picture differs.
"""

from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw, ImageFont

EDGE = 480

# category code: (background, shape colour, shape)
STYLES = {
    "YAP": ("#ece4d8", "#8d6e63", "sack"),
    "ELK": ("#e3edf7", "#1e88e5", "bolt"),
    "AYD": ("#fff8e1", "#f9a825", "bulb"),
    "TAR": ("#e8f5e9", "#43a047", "drop"),
    "HIR": ("#eceff1", "#546e7a", "bolt_nut"),
    "BOY": ("#fce4ec", "#d81b60", "can"),
    "ISG": ("#fff3e0", "#ef6c00", "helmet"),
}
DEFAULT_STYLE = ("#f5f5f5", "#607d8b", "box")


def _font(size: int):
    try:
        return ImageFont.load_default(size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def picture(code: str, category_code: str | None) -> bytes:
    """A PNG of ``EDGE`` pixels for the product ``code`` of a category."""
    background, colour, shape = STYLES.get(category_code or "", DEFAULT_STYLE)
    image = Image.new("RGB", (EDGE, EDGE), background)
    draw = ImageDraw.Draw(image)
    tilt = zlib.crc32(code.encode()) % 60 - 30  # a little variety per product
    _draw(draw, shape, colour, tilt)
    draw.rounded_rectangle((40, 380, 440, 450), radius=14, fill="white", outline=colour, width=3)
    draw.text((EDGE // 2, 415), code, fill="#263238", font=_font(40), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _draw(draw: ImageDraw.ImageDraw, shape: str, colour: str, tilt: int) -> None:
    cx, cy = 240 + tilt, 190
    if shape == "sack":
        draw.rounded_rectangle((cx - 110, cy - 120, cx + 110, cy + 140), radius=40, fill=colour)
        draw.rectangle((cx - 70, cy - 20, cx + 70, cy + 40), fill="#f5f5f5")
    elif shape == "bolt":
        draw.polygon([(cx + 20, cy - 150), (cx - 80, cy + 20), (cx - 5, cy + 20),
                      (cx - 30, cy + 150), (cx + 80, cy - 20), (cx + 5, cy - 20)], fill=colour)
    elif shape == "bulb":
        draw.ellipse((cx - 100, cy - 150, cx + 100, cy + 50), fill=colour)
        draw.rectangle((cx - 45, cy + 40, cx + 45, cy + 120), fill="#9e9e9e")
    elif shape == "drop":
        draw.polygon([(cx, cy - 160), (cx - 100, cy + 20), (cx + 100, cy + 20)], fill=colour)
        draw.ellipse((cx - 100, cy - 60, cx + 100, cy + 140), fill=colour)
    elif shape == "bolt_nut":
        draw.regular_polygon((cx, cy - 40, 90), 6, rotation=tilt, fill=colour)
        draw.ellipse((cx - 40, cy - 80, cx + 40, cy), fill="#eceff1")
        draw.rectangle((cx - 25, cy + 50, cx + 25, cy + 160), fill=colour)
    elif shape == "can":
        draw.rectangle((cx - 100, cy - 110, cx + 100, cy + 140), fill=colour)
        draw.ellipse((cx - 100, cy - 140, cx + 100, cy - 80), fill="#f48fb1")
    elif shape == "helmet":
        draw.pieslice((cx - 130, cy - 120, cx + 130, cy + 140), 180, 360, fill=colour)
        draw.rectangle((cx - 150, cy + 5, cx + 150, cy + 35), fill=colour)
    else:
        draw.rectangle((cx - 110, cy - 110, cx + 110, cy + 110), fill=colour)
