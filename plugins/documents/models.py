"""The documents plugin's tables: documents, their lines and links, supplier files, API tokens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import Base, utcnow

Money = Numeric(18, 2)
Quantity = Numeric(18, 4)
Rate = Numeric(7, 4)


class Document(Base):
    """A document the supplier issued to a customer company (any type)."""

    __tablename__ = "document"
    __table_args__ = (
        # A company's list of one type, newest first, is one backward range of this index.
        Index("ix_document_company_type_issued_id", "company_id", "doc_type", "issued_on", "id"),
        UniqueConstraint("doc_type", "external_id", name="uq_document_doc_type_external_id"),
        Index("ix_document_origin", "origin_kind", "origin_ref"),
        Index("ix_document_company_issued", "company_id", "issued_on", "id"),
        Index("ix_document_company_order", "company_id", "order_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(50))
    number: Mapped[str] = mapped_column(String(50), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    opening_balance: Mapped[Decimal | None] = mapped_column(Money)
    closing_balance: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="TRY")
    status: Mapped[str] = mapped_column(String(30), default="issued")
    net_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    gross_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    notes: Mapped[str] = mapped_column(Text, default="")
    origin_kind: Mapped[str | None] = mapped_column(String(50))
    origin_ref: Mapped[str | None] = mapped_column(String(100))
    order_number: Mapped[str | None] = mapped_column(String(50))
    """The customer's order this document belongs to (an invoice, a prepayment), as the ERP
    numbers it; balance by orders groups money documents by it."""
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    lines: Mapped[list[DocumentLine]] = relationship(
        lazy="raise", order_by="DocumentLine.line_no", cascade="all, delete-orphan",
        back_populates="document")


class DocumentLine(Base):
    __tablename__ = "document_line"
    __table_args__ = (Index("ix_document_line_origin", "origin_kind", "origin_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_code: Mapped[str] = mapped_column(String(100), default="")
    product_name: Mapped[str] = mapped_column(String(300), default="")
    quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=Decimal("0"))
    discount_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    net_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    tax_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    gross_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    origin_kind: Mapped[str | None] = mapped_column(String(50))
    origin_ref: Mapped[str | None] = mapped_column(String(100))

    document: Mapped[Document] = relationship(lazy="raise", back_populates="lines")


class DocumentLink(Base):
    """``document_id`` is based on ``based_on_id`` (an invoice on a goods issue)."""

    __tablename__ = "document_link"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    based_on_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, index=True)


class DocumentAllocation(Base):
    """Part of a payment or credit note (``document_id``) that settles an invoice or an order.

    ``invoice_id`` is set when the ERP named an invoice; otherwise ``order_number`` names the
    order whose invoices it settles (oldest due first; what they do not absorb is an advance on
    that order). A payment without allocations is settled oldest-due-first by the ledger.
    """

    __tablename__ = "document_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True)
    order_number: Mapped[str | None] = mapped_column(String(50))
    amount: Mapped[Decimal] = mapped_column(Money)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CompanyTerms(Base):
    """What the ERP says about a customer's credit: limit (in its currency) and payment terms.

    Kept by the documents plugin (the core's company table is never altered by a plugin);
    sent as fields of the ``companies`` API resource.
    """

    __tablename__ = "document_company_terms"

    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), primary_key=True)
    credit_limit: Mapped[Decimal | None] = mapped_column(Money)
    credit_currency: Mapped[str] = mapped_column(String(3), default="TRY")
    payment_terms_days: Mapped[int | None] = mapped_column(Integer)
    payment_terms: Mapped[str] = mapped_column(String(200), default="")


class ReconciliationAnswer(Base):
    """The customer's answer to a reconciliation statement: confirmed, or disputed with why.

    One row per statement; a dispute may later be replaced by a confirmation, a confirmation is
    final.
    """

    __tablename__ = "document_reconciliation_answer"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    disputed_lines: Mapped[str] = mapped_column(Text, default="")
    """Line numbers the customer says differ, comma-separated ("2,5")."""
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))
    answered_by_name: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DocumentNumberCounter(Base):
    """The last number given per document type and year by ``next_number``."""

    __tablename__ = "document_number_counter"

    doc_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class SupplierFile(Base):
    """A file the supplier offers for download (catalogue, price list, certificate…)."""

    __tablename__ = "supplier_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(50), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[dt.datetime | None]


class SupplierFileGroup(Base):
    """Limits a supplier file to chosen access groups (no rows: every customer sees it)."""

    __tablename__ = "supplier_file_group"

    file_id: Mapped[int] = mapped_column(
        ForeignKey("supplier_file.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("access_group.id", ondelete="CASCADE"), primary_key=True, index=True)


class ApiToken(Base):
    """A token the ERP uses for ``/api/v1``; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))
    revoked_at: Mapped[dt.datetime | None]
