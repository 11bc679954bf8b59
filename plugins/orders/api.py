"""Integration API resources (through the documents plugin's ``portal_api_resources`` hook).

``PUT /api/v1/products/{external_id}`` and ``PUT /api/v1/price-lists/{external_id}`` create or
update catalogue rows by the ERP's id; ``GET`` reads them back. ``PUT`` / ``DELETE
/api/v1/products/{external_id}/image`` sets or removes a product's image (the body is the image).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select

from portal.core.db import assign_changed
from portal.core.models import CustomerCompany

from . import images
from .api_orders import resource as orders_resource
from .models import Category, CompanyPriceList, Price, PriceList, Product


def resources():
    from plugins.documents.types import ApiField, ApiFile, ApiResource

    product_fields = (
        ApiField("code", required=True, max_length=50, description="Product code (SKU), unique."),
        ApiField("name", required=True, max_length=200),
        ApiField("description", max_length=5000),
        ApiField("category_code", max_length=50,
                 description="Category code; the category is created when new."),
        ApiField("category_name", max_length=200),
        ApiField("unit", max_length=20, description="Unit, e.g. pcs, kg, m."),
        ApiField("whole_units", "boolean",
                 description="True when only whole quantities can be ordered."),
        ApiField("tax_rate", "decimal", description="VAT rate in percent, e.g. 20."),
        ApiField("active", "boolean", description="False withdraws the product."),
        ApiField("image_path", max_length=300,
                 description="Ignored (kept for old clients): send the image itself with "
                             "PUT /products/{external_id}/image."),
        ApiField("attributes", "array", description="Attributes shown in comparisons.",
                 items=(ApiField("name", required=True, max_length=100),
                        ApiField("value", required=True, max_length=200))),
    )
    price_list_fields = (
        ApiField("code", required=True, max_length=50),
        ApiField("name", required=True, max_length=200),
        ApiField("currency", max_length=3),
        ApiField("is_default", "boolean",
                 description="Used by companies that have no price list of their own."),
        ApiField("prices", "array", description="Every price of the list (replaces the old ones).",
                 items=(ApiField("product_code", required=True, max_length=50),
                        ApiField("unit_price", "decimal", required=True))),
        ApiField("customers", "array",
                 description="External ids of the customer companies that buy at this list."),
    )
    image = ApiFile(
        "image", content_types=images.CONTENT_TYPES, max_bytes=images.MAX_BYTES,
        put=put_image, delete=delete_image,
        description="The product's image (JPEG, PNG, WebP or GIF, at most 40 megapixels); the "
                    "portal resizes it to a thumbnail and a product-page size.")
    return [
        ApiResource("products", "Products", product_fields, upsert=upsert_product,
                    read=read_product, order=50, files=(image,)),
        ApiResource("price-lists", "Price lists", price_list_fields, upsert=upsert_price_list,
                    read=read_price_list, order=51),
        orders_resource(),
    ]


def _error(field: str, message: str):
    from plugins.documents.types import PayloadError

    return PayloadError([{"field": field, "message": message}])


def upsert_product(session, external_id: str, data: dict):
    product = session.scalar(select(Product).where(Product.external_id == external_id))
    other = session.scalar(select(Product).where(Product.code == data["code"]))
    if other is not None and (product is None or other.id != product.id):
        if product is None and other.external_id is None:
            product = other  # adopt a product created before the ERP knew it
        else:
            raise _error("code", "Another product has this code.")
    created = product is None
    if created:
        product = Product(external_id=external_id, code=data["code"], name=data["name"])
        session.add(product)
    category_id = None
    if data.get("category_code"):
        category = session.scalar(select(Category).where(Category.code == data["category_code"]))
        if category is None:
            category = Category(code=data["category_code"],
                                name=data.get("category_name") or data["category_code"])
            session.add(category)
            session.flush()
        elif data.get("category_name"):
            category.name = data["category_name"]
        category_id = category.id
    values = {
        "external_id": external_id, "code": data["code"], "name": data["name"],
        "description": data.get("description") or "", "category_id": category_id,
        "unit": data.get("unit") or "pcs",
        "whole_units": data["whole_units"] if data.get("whole_units") is not None else True,
        "tax_rate": data["tax_rate"] if data.get("tax_rate") is not None else Decimal("20"),
        "active": data["active"] if data.get("active") is not None else True,
        "attributes": {a["name"]: a["value"] for a in data.get("attributes") or []},
    }
    changed = bool(assign_changed(product, values)) or created
    session.flush()
    return created, changed, product.id


def put_image(session, external_id: str, data: bytes):
    product = session.scalar(select(Product).where(Product.external_id == external_id))
    if product is None:
        return None, None
    try:
        old = images.set_image(product, data)
    except images.ImageRefused as exc:
        raise _error("image", str(exc)) from exc
    session.flush()
    return product.id, lambda: images.discard(old)


def delete_image(session, external_id: str):
    product = session.scalar(select(Product).where(Product.external_id == external_id))
    if product is None:
        return None, None
    old = images.remove_image(product)
    session.flush()
    return product.id, lambda: images.discard(old)


def read_product(session, external_id: str) -> dict | None:
    row = session.execute(select(Product, Category.code, Category.name)
                          .outerjoin(Category, Category.id == Product.category_id)
                          .where(Product.external_id == external_id)).first()
    if row is None:
        return None
    product, ccode, cname = row
    return {"code": product.code, "name": product.name, "description": product.description,
            "category_code": ccode, "category_name": cname, "unit": product.unit,
            "whole_units": product.whole_units, "tax_rate": str(product.tax_rate),
            "active": product.active, "has_image": bool(product.image_path),
            "attributes": [{"name": k, "value": v} for k, v in (product.attributes or {}).items()]}


def upsert_price_list(session, external_id: str, data: dict):
    price_list = session.scalar(select(PriceList).where(PriceList.external_id == external_id))
    other = session.scalar(select(PriceList).where(PriceList.code == data["code"]))
    if other is not None and (price_list is None or other.id != price_list.id):
        raise _error("code", "Another price list has this code.")
    created = price_list is None
    if created:
        price_list = PriceList(external_id=external_id, code=data["code"], name=data["name"])
        session.add(price_list)
    price_list.code, price_list.name = data["code"], data["name"]
    price_list.currency = (data.get("currency") or "TRY").upper()
    price_list.is_default = bool(data.get("is_default"))
    session.flush()
    if data.get("prices") is not None:
        codes = {p["product_code"] for p in data["prices"]}
        products = dict(session.execute(
            select(Product.code, Product.id).where(Product.code.in_(sorted(codes)))).all())
        errors, seen = [], set()
        for i, item in enumerate(data["prices"]):
            code = item["product_code"]
            if code not in products:
                errors.append({"field": f"prices[{i}].product_code",
                               "message": "No product has this code."})
            elif code in seen:
                errors.append({"field": f"prices[{i}].product_code",
                               "message": "This product is priced twice in the list."})
            seen.add(code)
        if errors:
            from plugins.documents.types import PayloadError

            raise PayloadError(errors)
        session.execute(delete(Price).where(Price.price_list_id == price_list.id))
        for item in data["prices"]:
            session.add(Price(price_list_id=price_list.id,
                              product_id=products[item["product_code"]],
                              unit_price=item["unit_price"]))
    if data.get("customers") is not None:
        companies = dict(session.execute(
            select(CustomerCompany.external_id, CustomerCompany.id)
            .where(CustomerCompany.external_id.in_(sorted(set(data["customers"]))))).all())
        missing = [c for c in data["customers"] if c not in companies]
        if missing:
            raise _error("customers", f"Unknown customer: {', '.join(missing)}.")
        session.execute(delete(CompanyPriceList)
                        .where(CompanyPriceList.price_list_id == price_list.id))
        session.flush()
        for company_id in companies.values():
            session.execute(delete(CompanyPriceList)
                            .where(CompanyPriceList.company_id == company_id))
            session.add(CompanyPriceList(company_id=company_id, price_list_id=price_list.id))
    session.flush()
    return created, True, price_list.id


def read_price_list(session, external_id: str) -> dict | None:
    price_list = session.scalar(select(PriceList).where(PriceList.external_id == external_id))
    if price_list is None:
        return None
    prices = session.execute(select(Product.code, Price.unit_price)
                             .join(Price, Price.product_id == Product.id)
                             .where(Price.price_list_id == price_list.id)
                             .order_by(Product.code)).all()
    customers = session.scalars(
        select(CustomerCompany.external_id)
        .join(CompanyPriceList, CompanyPriceList.company_id == CustomerCompany.id)
        .where(CompanyPriceList.price_list_id == price_list.id)
        .order_by(CustomerCompany.external_id)).all()
    return {"code": price_list.code, "name": price_list.name, "currency": price_list.currency,
            "is_default": price_list.is_default,
            "prices": [{"product_code": c, "unit_price": str(p)} for c, p in prices],
            "customers": [c for c in customers if c]}
