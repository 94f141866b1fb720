"""Products on the shelf and what customers hold of them."""

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
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, CreatedAt, in_list
from cdp.db.enums import PRODUCT_CATEGORIES, PRODUCT_STATUSES


class Product(CreatedAt, Base):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("risk_rating BETWEEN 1 AND 5", name="risk_rating_range"),
        CheckConstraint("min_investment >= 0", name="min_investment_non_negative"),
        CheckConstraint("term_days IS NULL OR term_days >= 0", name="term_days_non_negative"),
        CheckConstraint(in_list("category", PRODUCT_CATEGORIES), name="category_valid"),
        CheckConstraint(in_list("status", PRODUCT_STATUSES), name="status_valid"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(24))
    risk_rating: Mapped[int] = mapped_column(SmallInteger)
    min_investment: Mapped[Decimal] = mapped_column(Numeric(20, 2), server_default="0")
    term_days: Mapped[int | None] = mapped_column(Integer)
    expected_yield: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    currency: Mapped[str] = mapped_column(String(3), server_default="CNY")
    status: Mapped[str] = mapped_column(String(16), server_default="on_sale")
    launched_at: Mapped[date] = mapped_column(Date)


class Holding(Base):
    """A customer's position in one product (one row per customer and product)."""

    __tablename__ = "holding"
    __table_args__ = (
        UniqueConstraint("customer_id", "product_id"),
        CheckConstraint("units >= 0", name="units_non_negative"),
        CheckConstraint("market_value >= 0", name="market_value_non_negative"),
        CheckConstraint("cost >= 0", name="cost_non_negative"),
        Index("ix_holding_product_id", "product_id"),
        Index("ix_holding_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    units: Mapped[Decimal] = mapped_column(Numeric(20, 4))
    market_value: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    cost: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
