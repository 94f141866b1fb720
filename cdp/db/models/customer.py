"""Advisors and customers: the golden records everything else hangs off."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, CreatedAt, Timestamps, in_list
from cdp.db.enums import CUSTOMER_STATUSES, GENDERS, ID_TYPES, INVESTOR_CLASSES


class Advisor(CreatedAt, Base):
    """A relationship manager; customers are assigned to one."""

    __tablename__ = "advisor"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    branch: Mapped[str] = mapped_column(String(64))


class Customer(Timestamps, Base):
    """The golden customer after identity resolution.

    ``id_number_enc`` holds the encrypted ID number; ``id_number_hash`` and
    ``phone_hash`` are keyed hashes used for matching and lookup.
    """

    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("risk_level BETWEEN 1 AND 5", name="risk_level_range"),
        CheckConstraint("annual_income >= 0", name="annual_income_non_negative"),
        CheckConstraint(in_list("gender", GENDERS), name="gender_valid"),
        CheckConstraint(in_list("id_type", ID_TYPES), name="id_type_valid"),
        CheckConstraint(in_list("investor_class", INVESTOR_CLASSES), name="investor_class_valid"),
        CheckConstraint(in_list("status", CUSTOMER_STATUSES), name="status_valid"),
        CheckConstraint("merged_into_id IS NULL OR status = 'merged'", name="merged_status"),
        Index("ix_customer_advisor_id", "advisor_id"),
        # Keyed hashes are matched by equality only: hash indexes (see migration 0007).
        Index("ix_customer_phone_hash", "phone_hash", postgresql_using="hash"),
        Index("ix_customer_id_number_hash", "id_number_hash", postgresql_using="hash"),
        Index("ix_customer_email", "email"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    customer_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    id_type: Mapped[str] = mapped_column(String(24), server_default="id_card")
    id_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    email: Mapped[str | None] = mapped_column(String(254))
    province: Mapped[str | None] = mapped_column(String(32))
    city: Mapped[str | None] = mapped_column(String(32))
    occupation: Mapped[str | None] = mapped_column(String(64))
    annual_income: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    risk_level: Mapped[int | None] = mapped_column(SmallInteger)
    risk_assessed_at: Mapped[date | None] = mapped_column(Date)
    investor_class: Mapped[str] = mapped_column(String(16), server_default="ordinary")
    advisor_id: Mapped[int | None] = mapped_column(ForeignKey("advisor.id"))
    branch: Mapped[str | None] = mapped_column(String(64))
    onboarded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), server_default="active")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("customer.id"))
