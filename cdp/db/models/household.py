"""Households, their members, and who referred whom."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, CreatedAt, in_list
from cdp.db.enums import HOUSEHOLD_RELATIONS, REFERRAL_CHANNELS


class Household(CreatedAt, Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    household_no: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class HouseholdMember(Base):
    """A customer belongs to at most one household; ``relation`` is to its head."""

    __tablename__ = "household_member"
    __table_args__ = (
        CheckConstraint(in_list("relation", HOUSEHOLD_RELATIONS), name="relation_valid"),
        Index("ix_household_member_household_id", "household_id"),
        Index("ix_household_member_updated_at", "updated_at"),
    )

    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(16))
    # When the membership last changed: what the knowledge graph catches up from.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Referral(Base):
    """``referrer`` brought ``referee`` in; a customer is referred at most once."""

    __tablename__ = "referral"
    __table_args__ = (
        CheckConstraint("referrer_id <> referee_id", name="not_self"),
        CheckConstraint(in_list("channel", REFERRAL_CHANNELS), name="channel_valid"),
        Index("ix_referral_referrer_id", "referrer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    referee_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), unique=True
    )
    referred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[str] = mapped_column(String(16))
