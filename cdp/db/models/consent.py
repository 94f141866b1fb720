"""Consents per purpose, with their full history.

``consent`` holds the current state (one row per customer and purpose) that the
consent gates read; ``consent_event`` keeps every change: who, when, from where.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, in_list
from cdp.db.enums import CONSENT_PURPOSES

_PURPOSE_CHECK = in_list("purpose", CONSENT_PURPOSES)


class Consent(Base):
    __tablename__ = "consent"
    __table_args__ = (CheckConstraint(_PURPOSE_CHECK, name="purpose_valid"),)

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(24), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ConsentEvent(Base):
    __tablename__ = "consent_event"
    __table_args__ = (
        CheckConstraint(_PURPOSE_CHECK, name="purpose_valid"),
        Index("ix_consent_event_customer_id_occurred_at", "customer_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(24))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(String(100))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
