"""The demo supplier: a Turkish industrial supplier's branding, and its logo drawn with Pillow.

Only fields never saved on Admin › Branding are set, so loading the demo again (or after an
administrator changed the branding) changes nothing. Nothing is downloaded: the logo is drawn
here, with DejaVu Sans when Debian's ``fonts-dejavu-core`` is there, else Pillow's own font.
"""

from __future__ import annotations

import io
import os

from portal.core.branding import PREFIX, process_logo, store_logo
from portal.core.settings import all_settings, set_setting

SUPPLIER = {
    "name": "Boğaziçi Endüstriyel Malzeme San. ve Tic. A.Ş.",
    "accent": "#9c3d10",
    "address": "İkitelli OSB Mah. Metal İş Sanayi Sitesi 12. Blok No: 34\n"
               "34490 Başakşehir / İstanbul",
    "tax_number": "1790452318",
    "email": "siparis@bogazicimalzeme.example",
    "phone": "+90 212 555 40 40",
    "welcome_en": "Welcome to the Boğaziçi Endüstriyel customer portal.\n\n"
                  "Order fasteners, hand tools and workshop supplies at your prices, follow "
                  "your deliveries and find every invoice in one place. Questions: "
                  "+90 212 555 40 40 (weekdays 08:30–18:00).",
    "welcome_tr": "Boğaziçi Endüstriyel müşteri portalına hoş geldiniz.\n\n"
                  "Bağlantı elemanlarını, el aletlerini ve atölye malzemelerini size özel "
                  "fiyatlarla sipariş edin, teslimatlarınızı izleyin, tüm faturalarınıza tek "
                  "yerden ulaşın. Sorularınız için: +90 212 555 40 40 (hafta içi 08.30–18.00).",
}
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _font(size: int):
    from PIL import ImageFont

    if os.path.isfile(FONT):
        return ImageFont.truetype(FONT, size)
    return ImageFont.load_default(size=size)


def draw_logo() -> bytes:
    """A 640 × 200 PNG: a hexagonal nut in the accent colour beside the name in two lines."""
    import math

    from PIL import Image, ImageDraw

    accent = tuple(int(SUPPLIER["accent"][i:i + 2], 16) for i in (1, 3, 5))
    image = Image.new("RGBA", (640, 200), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre, radius = (100, 100), 82
    hexagon = [(centre[0] + radius * math.cos(math.radians(60 * k + 30)),
                centre[1] + radius * math.sin(math.radians(60 * k + 30))) for k in range(6)]
    draw.polygon(hexagon, fill=accent)
    draw.ellipse((centre[0] - 34, centre[1] - 34, centre[0] + 34, centre[1] + 34),
                 fill=(255, 255, 255, 255))
    draw.ellipse((centre[0] - 20, centre[1] - 20, centre[0] + 20, centre[1] + 20), fill=accent)
    draw.text((205, 42), "BOĞAZİÇİ", font=_font(64), fill=(29, 35, 48, 255))
    draw.text((208, 120), "ENDÜSTRİYEL MALZEME", font=_font(30), fill=accent + (255,))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load_demo_branding(session) -> None:
    stored = all_settings()
    for name, value in SUPPLIER.items():
        if PREFIX + name not in stored:
            set_setting(session, PREFIX + name, value)
    if PREFIX + "logo" not in stored:
        set_setting(session, PREFIX + "logo", store_logo(process_logo(draw_logo())))
