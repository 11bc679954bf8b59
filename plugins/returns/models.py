"""The returns plugin's tables: RMA requests, their lines, history, attachments and documents.

Every request carries its customer company's id (indexed). The invoice and its lines belong to
the documents plugin: a request keeps their ids and the figures it needs (number, product,
price, invoiced quantity) copied at creation, so its pages never read documents' tables.
Quantities are ``Numeric`` / ``Decimal``.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.db import Base, utcnow

Quantity = Numeric(18, 4)


class ReturnRequest(Base):
    """An RMA request: the customer asks to send back goods of one invoice."""

    __tablename__ = "returns_request"
    __table_args__ = (
        Index("ix_returns_request_company_status_created", "company_id", "status", "created_at"),
        Index("ix_returns_request_company_created", "company_id", "created_at"),
        Index("ix_returns_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    invoice_id: Mapped[int] = mapped_column(Integer, index=True)
    invoice_number: Mapped[str] = mapped_column(String(50), default="")
    invoice_date: Mapped[dt.date | None] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="TRY")
    description: Mapped[str] = mapped_column(Text, default="")
    resolution: Mapped[str] = mapped_column(String(20), default="credit")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"), index=True)
    created_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expected_on: Mapped[dt.date | None] = mapped_column(Date)
    instructions: Mapped[str] = mapped_column(Text, default="")
    reject_reason: Mapped[str] = mapped_column(Text, default="")

    lines: Mapped[list[ReturnLine]] = relationship(
        lazy="raise", order_by="ReturnLine.line_no", cascade="all, delete-orphan",
        back_populates="request")
    history: Mapped[list[StatusChange]] = relationship(
        lazy="raise", order_by="StatusChange.id", cascade="all, delete-orphan")
    attachments: Mapped[list[RmaAttachment]] = relationship(
        lazy="raise", order_by="RmaAttachment.id", cascade="all, delete-orphan")
    documents: Mapped[list[RequestDocument]] = relationship(
        lazy="raise", order_by="RequestDocument.document_id", cascade="all, delete-orphan")


class ReturnLine(Base):
    """One invoice line asked back, with what the supplier approved, received and credited."""

    __tablename__ = "returns_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("returns_request.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    invoice_line_id: Mapped[int] = mapped_column(Integer, index=True)
    product_code: Mapped[str] = mapped_column(String(100), default="")
    product_name: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    unit_price: Mapped[Decimal] = mapped_column(Numeric(18, 4), default=Decimal("0"))
    discount_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal("0"))
    tax_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal("0"))
    invoiced_quantity: Mapped[Decimal] = mapped_column(Quantity, default=Decimal("0"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    reason: Mapped[str] = mapped_column(String(30), default="defective")
    condition: Mapped[str] = mapped_column(String(30), default="unopened")
    approved_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    received_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    received_condition: Mapped[str] = mapped_column(String(30), default="")
    credited_quantity: Mapped[Decimal | None] = mapped_column(Quantity)

    request: Mapped[ReturnRequest] = relationship(lazy="raise", back_populates="lines")


class StatusChange(Base):
    """One step of a request's timeline: the status, when, who, and the message shown."""

    __tablename__ = "returns_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("returns_request.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("portal_user.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(200), default="")
    by_supplier: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str] = mapped_column(Text, default="")


class RmaAttachment(Base):
    """A photo or file the customer attached; stored under a generated key."""

    __tablename__ = "returns_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("returns_request.id", ondelete="CASCADE"), index=True)
    stored_key: Mapped[str] = mapped_column(String(100), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("portal_user.id", ondelete="SET NULL"))

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class RequestDocument(Base):
    """A document of the documents plugin that settles the request (goods return, credit note).

    The number and type are copied so the request's pages need no documents query.
    """

    __tablename__ = "returns_document"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("returns_request.id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    doc_type: Mapped[str] = mapped_column(String(50))
    number: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[dt.date] = mapped_column(Date)


class RequestCounter(Base):
    """The last RMA number given per year (incremented atomically by ``next_number``)."""

    __tablename__ = "returns_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class LineLock(Base):
    """One row per invoice line ever asked back: the lock that serialises sending requests.

    Sending a request first writes the rows of its invoice lines (PostgreSQL locks them until
    the transaction ends; SQLite takes its write lock), then sums what is already reserved, so
    two requests for the same line can never both take the last units.
    """

    __tablename__ = "returns_line_lock"

    invoice_line_id: Mapped[int] = mapped_column(Integer, primary_key=True,
                                                 autoincrement=False)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("customer_company.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
