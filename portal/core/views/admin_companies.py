"""Customer companies: list with search and paging, create, edit (staff)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.core import audit
from portal.core.access import require_staff
from portal.core.admin_forms import CompanyForm
from portal.core.db import assign_changed, get_session
from portal.core.lookup import suggest_companies
from portal.core.models import CUSTOMER, CustomerCompany, User
from portal.core.paging import Key
from portal.core.rendering import render_page
from portal.core.text import escape_like, search_key
from portal.core.views.admin import bp
from portal.core.views.admin_common import get_or_404, paginate

FIELDS = ("name", "external_id", "tax_number", "billing_address", "delivery_address", "phone",
          "email", "contact_name", "contact_phone", "contact_email")


def _like(text: str) -> str:
    return f"%{escape_like(text)}%"


@bp.route("/companies")
@require_staff
def companies():
    q = (request.args.get("q") or "").strip()
    users = (select(User.company_id, func.count().label("n")).where(User.kind == CUSTOMER)
             .group_by(User.company_id).subquery())
    stmt = (select(CustomerCompany, func.coalesce(users.c.n, 0).label("user_count"))
            .outerjoin(users, users.c.company_id == CustomerCompany.id)
            .order_by(CustomerCompany.search_key, CustomerCompany.id))
    if q:
        key = search_key(q)
        stmt = stmt.where(CustomerCompany.search_key.like(_like(key), escape="\\")
                          | (func.lower(CustomerCompany.external_id) == q.lower())
                          | (CustomerCompany.tax_number == q))
    page = paginate(stmt, [Key(CustomerCompany.search_key), Key(CustomerCompany.id)],
                    scalars=False)
    return render_page("admin/companies.html", {"company-table": "admin/_companies.html"},
                       page=page, q=q)


@bp.route("/companies/lookup")
@require_staff
def company_lookup():
    """Suggestions for a :class:`portal.core.forms.CompanyField`: at most ten ``<option>``s
    whose code or name starts with the typed text (``q``, or the parameter named by ``field``:
    htmx sends the input under its own name); none for text shorter than two letters."""
    name = request.args.get("field") or "q"
    text = request.args.get("q") or request.args.get(name) or ""
    return render_template("admin/_company_options.html",
                           options=suggest_companies(get_session(), text))


def _unique_external_id(form: CompanyForm, company_id: int | None) -> bool:
    value = form.external_id.data or None
    if value is None:
        return True
    stmt = select(CustomerCompany.id).where(CustomerCompany.external_id == value)
    if company_id is not None:
        stmt = stmt.where(CustomerCompany.id != company_id)
    if get_session().scalar(stmt) is not None:
        form.external_id.errors.append(_("Another company already has this code."))
        return False
    return True


def _save(form: CompanyForm, company: CustomerCompany) -> dict:
    values = {name: getattr(form, name).data or "" for name in FIELDS}
    values["external_id"] = values.get("external_id") or None
    changed = {name: values[name] for name in assign_changed(company, values)}
    company.search_key = search_key(company.name)
    return changed


@bp.route("/companies/new", methods=["GET", "POST"])
@require_staff
def new_company():
    form = CompanyForm()
    if form.validate_on_submit() and _unique_external_id(form, None):
        db = get_session()
        company = CustomerCompany(name="")
        _save(form, company)
        db.add(company)
        db.flush()
        audit.record("company.create", "company", company.id, name=company.name)
        db.commit()
        flash(_("Company %(name)s created.", name=company.name), "success")
        return redirect(url_for("admin.company", company_id=company.id), code=303)
    return (render_page("admin/company_form.html", form=form, company=None),
            422 if form.errors else 200)


@bp.route("/companies/<int:company_id>", methods=["GET", "POST"])
@require_staff
def company(company_id: int):
    company = get_or_404(CustomerCompany, company_id)
    form = CompanyForm(obj=company)
    if form.validate_on_submit() and _unique_external_id(form, company.id):
        db = get_session()
        changed = _save(form, company)
        if changed:
            audit.record("company.update", "company", company.id, fields=sorted(changed))
        db.commit()
        flash(_("Company %(name)s saved.", name=company.name), "success")
        return redirect(url_for("admin.company", company_id=company.id), code=303)
    people = get_session().execute(
        select(User).where(User.company_id == company.id, User.kind == CUSTOMER)
        .order_by(User.username)).scalars().all()
    return (render_page("admin/company_form.html", form=form, company=company, people=people),
            422 if form.errors else 200)
