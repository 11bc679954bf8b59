"""Demo catalogue, price lists and orders (``portal demo``); idempotent.

The catalogue holds about 60 products in seven categories with Turkish names, including the
codes the documents plugin's demo quotations use, so "Create order" works on those quotations.
Each demo company buys at its own price list. A few orders in every status, some shipped.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from portal.core.models import CustomerCompany, User

from .models import (
    CANCELLED,
    COMPLETED,
    IN_PROGRESS,
    Category,
    CompanyPriceList,
    OrderStatusChange,
    Price,
    PriceList,
    Product,
)
from .ordering import NewLine, OrderDetails, change_status, find_by_key, place_order

CATEGORIES = [
    ("YAP", "Yapı malzemeleri"), ("ELK", "Elektrik"), ("AYD", "Aydınlatma"),
    ("TAR", "Tarım ve sulama"), ("HIR", "Hırdavat ve bağlantı elemanları"),
    ("BOY", "Boya ve yalıtım"), ("ISG", "İş güvenliği"),
]

# code, name, category, unit, whole units, standard price, attributes
PRODUCTS = [
    ("YP-1020", "Çimento 50 kg", "YAP", "torba", True, "185.00",
     {"Ağırlık": "50 kg", "Tip": "CEM I 42,5 R", "Menşei": "Türkiye"}),
    ("YP-2210", "Seramik yapıştırıcı 25 kg", "YAP", "torba", True, "142.50",
     {"Ağırlık": "25 kg", "Tip": "C2TE", "Renk": "Gri"}),
    ("YP-3301", "İnşaat demiri Ø12", "YAP", "ton", False, "21450.00",
     {"Çap": "12 mm", "Sınıf": "B420C", "Boy": "12 m"}),
    ("YP-4410", "Su yalıtım membranı", "BOY", "rulo", True, "1280.00",
     {"Kalınlık": "3 mm", "Uzunluk": "10 m", "Tip": "Polyester keçeli"}),
    ("YP-5120", "Alçıpan levha 12,5 mm", "YAP", "adet", True, "168.90",
     {"Kalınlık": "12,5 mm", "Ölçü": "120 × 250 cm", "Tip": "Standart"}),
    ("YP-6030", "Gazbeton blok 60x25", "YAP", "adet", True, "54.20",
     {"Ölçü": "60 × 25 × 20 cm", "Yoğunluk": "400 kg/m³"}),
    ("EL-1001", "NYA kablo 2,5 mm² (100 m)", "ELK", "makara", True, "1895.00",
     {"Kesit": "2,5 mm²", "Uzunluk": "100 m", "Renk": "Mavi"}),
    ("EL-2040", "Sıva altı priz, beyaz", "ELK", "adet", True, "38.75",
     {"Renk": "Beyaz", "Montaj": "Sıva altı", "Akım": "16 A"}),
    ("EL-3115", "LED panel 60x60 40 W", "AYD", "adet", True, "612.00",
     {"Güç": "40 W", "Işık akısı": "4000 lm", "Renk sıcaklığı": "4000 K", "Ölçü": "60 × 60 cm"}),
    ("EL-4200", "Otomatik sigorta C16", "ELK", "adet", True, "96.40",
     {"Akım": "16 A", "Eğri": "C", "Kutup": "1"}),
    ("EL-5310", "Kaçak akım rölesi 40 A", "ELK", "adet", True, "845.00",
     {"Akım": "40 A", "Hassasiyet": "30 mA", "Kutup": "4"}),
    ("EL-6020", "Kablo kanalı 40x16 (2 m)", "ELK", "boy", True, "44.90",
     {"Ölçü": "40 × 16 mm", "Uzunluk": "2 m", "Renk": "Beyaz"}),
    ("TR-1100", "Damla sulama borusu 16 mm", "TAR", "rulo", True, "1340.00",
     {"Çap": "16 mm", "Uzunluk": "400 m", "Damlatıcı aralığı": "33 cm"}),
    ("TR-2210", "Kompoze gübre 20-20-0", "TAR", "çuval", True, "965.00",
     {"Ağırlık": "50 kg", "Azot": "%20", "Fosfor": "%20"}),
    ("TR-3050", "Buğday tohumu (sertifikalı)", "TAR", "kg", False, "18.60",
     {"Çeşit": "Ekmeklik", "Sertifika": "Sertifikalı"}),
    ("TR-4300", "Sera örtüsü UV katkılı", "TAR", "m²", False, "27.80",
     {"Kalınlık": "200 mikron", "Ömür": "3 sezon"}),
    ("TR-5120", "Pulverizatör 16 L", "TAR", "adet", True, "1150.00",
     {"Hacim": "16 L", "Tip": "Sırt tipi", "Basınç": "4 bar"}),
    ("TR-6010", "Organik toprak düzenleyici", "TAR", "çuval", True, "310.00",
     {"Ağırlık": "25 kg", "Organik madde": "%45"}),
]
# More products, built from compact rows: code, name, category, unit, whole, price, attributes
MORE = [
    ("HR-1001", "Vida M6 × 30 galvaniz", "HIR", "adet", True, "2.50",
     {"Ölçü": "M6 × 30", "Malzeme": "Çelik", "Kaplama": "Galvaniz"}),
    ("HR-1002", "Vida M8 × 40 galvaniz", "HIR", "adet", True, "3.75",
     {"Ölçü": "M8 × 40", "Malzeme": "Çelik", "Kaplama": "Galvaniz"}),
    ("HR-1003", "Vida M8 × 40 paslanmaz", "HIR", "adet", True, "6.90",
     {"Ölçü": "M8 × 40", "Malzeme": "Paslanmaz çelik A2", "Kaplama": "Yok"}),
    ("HR-1010", "Somun M8", "HIR", "adet", True, "0.95", {"Ölçü": "M8", "Malzeme": "Çelik"}),
    ("HR-1020", "Pul M8", "HIR", "adet", True, "0.40", {"Ölçü": "M8", "Malzeme": "Çelik"}),
    ("HR-1030", "Dübel 8 mm", "HIR", "adet", True, "0.65", {"Çap": "8 mm", "Malzeme": "Naylon"}),
    ("HR-1040", "Çelik dübel M10", "HIR", "adet", True, "8.40",
     {"Çap": "10 mm", "Malzeme": "Çelik"}),
    ("HR-1050", "Kimyasal dübel harcı 300 ml", "HIR", "adet", True, "289.00",
     {"Hacim": "300 ml", "Tip": "Polyester"}),
    ("HR-2001", "Matkap ucu seti (13 parça)", "HIR", "takım", True, "349.00",
     {"Parça": "13", "Malzeme": "HSS"}),
    ("HR-2002", "Şerit metre 5 m", "HIR", "adet", True, "119.00", {"Uzunluk": "5 m"}),
    ("HR-2003", "Su terazisi 60 cm", "HIR", "adet", True, "214.00", {"Uzunluk": "60 cm"}),
    ("HR-2004", "Çekiç 500 g", "HIR", "adet", True, "165.00", {"Ağırlık": "500 g"}),
    ("HR-2005", "Zımpara kâğıdı P120", "HIR", "yaprak", True, "6.25", {"Kum": "P120"}),
    ("HR-2006", "Galvaniz tel 2 mm", "HIR", "kg", False, "64.00",
     {"Çap": "2 mm", "Kaplama": "Galvaniz"}),
    ("EL-1002", "NYM kablo 3×2,5 mm²", "ELK", "m", False, "34.60",
     {"Kesit": "3 × 2,5 mm²", "Tip": "NYM"}),
    ("EL-1003", "NYM kablo 3×1,5 mm²", "ELK", "m", False, "23.10",
     {"Kesit": "3 × 1,5 mm²", "Tip": "NYM"}),
    ("EL-1004", "Işık anahtarı, tekli", "ELK", "adet", True, "32.50",
     {"Renk": "Beyaz", "Montaj": "Sıva altı"}),
    ("EL-1005", "Işık anahtarı, komütatör", "ELK", "adet", True, "41.80",
     {"Renk": "Beyaz", "Montaj": "Sıva altı"}),
    ("EL-1006", "Buat 85 mm", "ELK", "adet", True, "7.90", {"Çap": "85 mm"}),
    ("EL-1007", "Sigorta kutusu 12'li", "ELK", "adet", True, "389.00", {"Modül": "12"}),
    ("EL-1008", "Topraklama çubuğu 1,5 m", "ELK", "adet", True, "455.00",
     {"Uzunluk": "1,5 m", "Malzeme": "Bakır kaplı çelik"}),
    ("EL-1009", "Uzatma kablosu 5 m, 3'lü", "ELK", "adet", True, "189.00",
     {"Uzunluk": "5 m", "Priz": "3"}),
    ("AY-1001", "LED ampul 9 W E27", "AYD", "adet", True, "42.00",
     {"Güç": "9 W", "Işık akısı": "806 lm", "Duy": "E27", "Renk sıcaklığı": "3000 K"}),
    ("AY-1002", "LED ampul 12 W E27", "AYD", "adet", True, "55.00",
     {"Güç": "12 W", "Işık akısı": "1055 lm", "Duy": "E27", "Renk sıcaklığı": "6500 K"}),
    ("AY-1003", "LED projektör 50 W", "AYD", "adet", True, "385.00",
     {"Güç": "50 W", "Işık akısı": "4500 lm", "Koruma": "IP65"}),
    ("AY-1004", "LED projektör 100 W", "AYD", "adet", True, "690.00",
     {"Güç": "100 W", "Işık akısı": "9000 lm", "Koruma": "IP65"}),
    ("AY-1005", "Etanj armatür 2×36 W", "AYD", "adet", True, "520.00",
     {"Güç": "2 × 36 W", "Koruma": "IP65"}),
    ("AY-1006", "Acil aydınlatma armatürü", "AYD", "adet", True, "298.00",
     {"Süre": "3 saat", "Koruma": "IP40"}),
    ("AY-1007", "Şerit LED 5 m, sıcak beyaz", "AYD", "rulo", True, "240.00",
     {"Uzunluk": "5 m", "Renk sıcaklığı": "3000 K"}),
    ("BY-1001", "İç cephe boyası beyaz 15 L", "BOY", "kova", True, "1180.00",
     {"Hacim": "15 L", "Renk": "Beyaz", "Parlaklık": "Mat"}),
    ("BY-1002", "Dış cephe boyası 15 L", "BOY", "kova", True, "1640.00",
     {"Hacim": "15 L", "Renk": "Beyaz", "Parlaklık": "İpek mat"}),
    ("BY-1003", "Astar 10 L", "BOY", "kova", True, "690.00", {"Hacim": "10 L"}),
    ("BY-1004", "Taşyünü levha 5 cm", "BOY", "m²", False, "118.00",
     {"Kalınlık": "5 cm", "Yoğunluk": "100 kg/m³"}),
    ("BY-1005", "XPS ısı yalıtım levhası 3 cm", "BOY", "m²", False, "96.50",
     {"Kalınlık": "3 cm", "Yoğunluk": "30 kg/m³"}),
    ("BY-1006", "Silikon şeffaf 280 ml", "BOY", "adet", True, "74.00", {"Hacim": "280 ml"}),
    ("IS-1001", "İş eldiveni nitril (çift)", "ISG", "çift", True, "18.50",
     {"Beden": "9", "Malzeme": "Nitril"}),
    ("IS-1002", "Baret, beyaz", "ISG", "adet", True, "145.00", {"Renk": "Beyaz"}),
    ("IS-1003", "Koruyucu gözlük", "ISG", "adet", True, "58.00", {"Standart": "EN 166"}),
    ("IS-1004", "Reflektörlü yelek", "ISG", "adet", True, "49.00", {"Renk": "Sarı"}),
    ("IS-1005", "Çelik burunlu iş ayakkabısı", "ISG", "çift", True, "890.00",
     {"Sınıf": "S3", "Numara": "42"}),
    ("IS-1006", "Toz maskesi FFP2 (10'lu)", "ISG", "kutu", True, "165.00",
     {"Sınıf": "FFP2", "Adet": "10"}),
    ("TR-7001", "Bahçe hortumu 1/2\" 25 m", "TAR", "adet", True, "640.00",
     {"Çap": "1/2\"", "Uzunluk": "25 m"}),
    ("TR-7002", "Ilık iklim çim tohumu", "TAR", "kg", False, "310.00", {"Tip": "Bermuda"}),
]
WITHDRAWN = {"HR-2005"}  # shown in old orders, no longer sold

PRICE_LISTS = [
    # code, name, default, factor, companies
    ("STD", "Standart fiyat listesi", True, Decimal("1"), ()),
    ("ANADOLU", "Anadolu Yapı Market özel fiyatları", False, Decimal("0.95"), ("C-1001",)),
    ("ISIK", "Işık Elektrik bayi fiyatları", False, Decimal("0.92"), ("C-1002",)),
    ("EGE", "Ege Tarım kooperatif fiyatları", False, Decimal("0.97"), ("C-1003",)),
]


RESTRICTED_CATEGORIES = ("TAR", "ISG")
"""What the core demo's access group "Restricted buyers" may see: farming and safety products."""


def load_demo(session) -> None:
    categories = _categories(session)
    products = _products(session, categories)
    _images(categories, products)
    _price_lists(session, products)
    _orders(session, products)
    _restricted_group(session)


def _restricted_group(session) -> None:
    from portal.core.demo import RESTRICTED_GROUP
    from portal.core.models import AccessGroup, AccessGroupRestriction

    from .catalogue import CATEGORIES_KIND

    group = session.scalar(select(AccessGroup).where(AccessGroup.name == RESTRICTED_GROUP))
    if group is None:
        return
    stored = set(session.scalars(select(AccessGroupRestriction.value).where(
        AccessGroupRestriction.group_id == group.id,
        AccessGroupRestriction.kind == CATEGORIES_KIND)))
    for code in RESTRICTED_CATEGORIES:
        if code not in stored:
            session.add(AccessGroupRestriction(group_id=group.id, kind=CATEGORIES_KIND,
                                               value=code))


def _categories(session) -> dict[str, Category]:
    found = {c.code: c for c in session.scalars(select(Category))}
    for position, (code, name) in enumerate(CATEGORIES):
        if code not in found:
            found[code] = Category(code=code, name=name, position=position,
                                   external_id=f"DEMO-CAT-{code}")
            session.add(found[code])
    session.flush()
    return found


def _products(session, categories) -> dict[str, tuple[Product, Decimal]]:
    existing = {p.code: p for p in session.scalars(select(Product))}
    result = {}
    for code, name, category, unit, whole, price, attributes in PRODUCTS + MORE:
        product = existing.get(code)
        if product is None:
            product = Product(code=code, name=name, category_id=categories[category].id,
                              unit=unit, whole_units=whole, tax_rate=Decimal("20"),
                              attributes=attributes, external_id=f"DEMO-{code}",
                              active=code not in WITHDRAWN,
                              description=f"{name}. {categories[category].name} ürünü.")
            session.add(product)
        result[code] = (product, Decimal(price))
    session.flush()
    return result


def _images(categories, products) -> None:
    """A drawn picture for every demo product that has no image (about 1 s for 60 products)."""
    from . import images
    from .demo_images import picture

    codes = {c.id: code for code, c in categories.items()}
    for product, _price in products.values():
        if not images.has_image(product.image_path):
            images.set_image(product, picture(product.code, codes.get(product.category_id)))


def _price_lists(session, products) -> None:
    for code, name, default, factor, companies in PRICE_LISTS:
        price_list = session.scalar(select(PriceList).where(PriceList.code == code))
        if price_list is not None:
            continue
        price_list = PriceList(code=code, name=name, is_default=default,
                               external_id=f"DEMO-PL-{code}")
        session.add(price_list)
        session.flush()
        for product, price in products.values():
            session.add(Price(price_list_id=price_list.id, product_id=product.id,
                              unit_price=(price * factor).quantize(Decimal("0.01"),
                                                                   ROUND_HALF_UP)))
        for external_id in companies:
            company_id = session.scalar(select(CustomerCompany.id)
                                        .where(CustomerCompany.external_id == external_id))
            if company_id is not None and session.get(CompanyPriceList, company_id) is None:
                session.add(CompanyPriceList(company_id=company_id,
                                             price_list_id=price_list.id))
    session.flush()


# username, key, days ago, status, items (code, quantity), shipped share, PO number
ORDERS = [
    ("ayse", "A1", 45, COMPLETED, [("YP-1020", 40), ("YP-2210", 20), ("HR-2005", 100)], 1,
     "AYM-2026-118"),
    ("ayse", "A2", 12, IN_PROGRESS, [("YP-5120", 120), ("HR-1001", 500), ("HR-1030", 500),
                                     ("BY-1001", 6)], Decimal("0.5"), "AYM-2026-131"),
    ("mehmet", "A3", 3, "sent", [("EL-3115", 12), ("AY-1003", 4)], 0, ""),
    ("ayse", "A4", 20, CANCELLED, [("IS-1002", 10)], 0, "AYM-2026-125"),
    ("ilker", "B1", 9, IN_PROGRESS, [("EL-1001", 5), ("EL-4200", 60), ("EL-5310", 6)],
     Decimal("0.4"), "IE-5531"),
    ("zeynep", "B2", 1, "sent", [("AY-1001", 200), ("AY-1002", 100)], 0, "IE-5540"),
    ("selin", "C1", 30, COMPLETED, [("TR-1100", 3), ("TR-2210", 10)], 1, ""),
    ("selin", "C2", 6, IN_PROGRESS, [("TR-3050", Decimal("750.5")), ("TR-4300", 400)],
     Decimal("0.6"), "EGE-77"),
]


def _orders(session, products) -> None:
    from . import bridge

    staff = session.scalar(select(User).where(User.username == "temsilci"))
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for username, key, days_ago, status, items, shipped_share, po_number in ORDERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or user.company_id is None or staff is None:
            continue
        idem = f"demo-order-{key}"
        if find_by_key(session, user.company_id, idem) is not None:
            continue
        price_list_id = session.scalar(select(CompanyPriceList.price_list_id).where(
            CompanyPriceList.company_id == user.company_id))
        lines = []
        for code, quantity in items:
            product, price = products[code]
            if price_list_id is not None:
                price = session.scalar(select(Price.unit_price).where(
                    Price.price_list_id == price_list_id, Price.product_id == product.id))
            lines.append(NewLine(product.id, product.code, product.name, product.unit,
                                 Decimal(quantity), price, product.tax_rate))
        order = place_order(session, company_id=user.company_id, user=user, lines=lines,
                            details=OrderDetails(idem, po_number=po_number,
                                                 delivery_address=_address(session, user)))
        placed_at = now - dt.timedelta(days=days_ago, hours=3)
        order.created_at = order.updated_at = placed_at
        if status in (IN_PROGRESS, COMPLETED):
            change_status(session, order, IN_PROGRESS, staff)
        if shipped_share:
            session.flush()
            shipment = {line: _share(line.quantity, shipped_share, products[line.product_code][0])
                        for line in _lines(session, order)}
            bridge.create_goods_issue(session, order, {k: v for k, v in shipment.items() if v},
                                      (placed_at + dt.timedelta(days=2)).date())
        if status == COMPLETED:
            change_status(session, order, COMPLETED, staff)
        if status == CANCELLED:
            change_status(session, order, CANCELLED, user, "Yanlış ürün seçildi.")
        session.flush()
        for step, change in enumerate(session.scalars(select(OrderStatusChange).where(
                OrderStatusChange.order_id == order.id).order_by(OrderStatusChange.id))):
            change.at = placed_at + dt.timedelta(days=step)
    session.flush()


def _lines(session, order):
    from .models import OrderLine

    return list(session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)
                                .order_by(OrderLine.line_no)))


def _share(quantity: Decimal, share, product: Product) -> Decimal:
    value = quantity * Decimal(share)
    return value.to_integral_value() if product.whole_units else value.quantize(Decimal("0.01"))


def _address(session, user) -> str:
    company = session.get(CustomerCompany, user.company_id)
    return company.delivery_address or company.billing_address
