"""Transactions and interaction events: the large, append-mostly tables.

Both are indexed by (customer_id, occurred_at) for per-customer time windows, and
carry an optional (source, source_key) so a re-imported row is recognised.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, in_list
from cdp.db.enums import CHANNELS, INTERACTION_KINDS, TRANSACTION_KINDS


class Transaction(Base):
    __tablename__ = "transaction"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount_non_negative"),
        CheckConstraint(in_list("kind", TRANSACTION_KINDS), name="kind_valid"),
        CheckConstraint(in_list("channel", CHANNELS), name="channel_valid"),
        UniqueConstraint("source", "source_key"),
        Index("ix_transaction_customer_id_occurred_at", "customer_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    channel: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str | None] = mapped_column(String(32))
    source_key: Mapped[str | None] = mapped_column(String(128))


class InteractionEvent(Base):
    __tablename__ = "interaction_event"
    __table_args__ = (
        CheckConstraint(in_list("kind", INTERACTION_KINDS), name="kind_valid"),
        UniqueConstraint("source", "source_key"),
        Index("ix_interaction_event_customer_id_occurred_at", "customer_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    properties: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    source: Mapped[str | None] = mapped_column(String(32))
    source_key: Mapped[str | None] = mapped_column(String(128))
