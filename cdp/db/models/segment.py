"""Segments: named boolean rules over tags and attributes, with materialised members.

A segment's rule is written in the tag rule language and must give a boolean.
Definitions keep every edit as a version, as tags do. Membership is sparse (a row
per segment and member) and is replaced by a refresh run; every change is a
``segment_event`` (entered / left) naming the run, so history can be replayed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, Timestamps, in_list

SEGMENT_STATUSES = ("draft", "active", "archived")
SEGMENT_EVENT_KINDS = ("entered", "left")


class SegmentDefinition(Timestamps, Base):
    """A segment as it reads now; ``version`` names the newest ``segment_version`` row."""

    __tablename__ = "segment_definition"
    __table_args__ = (CheckConstraint(in_list("status", SEGMENT_STATUSES), name="status_valid"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, server_default="")
    owner: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(Text)
    # Tags the rule reads and the catalogue fields ("Customer.aum") it needs.
    dependencies: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    permission_fields: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    status: Mapped[str] = mapped_column(String(16), server_default="draft")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    members: Mapped[int] = mapped_column(BigInteger, server_default="0")
    refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SegmentVersion(Base):
    """Every edit of a segment, kept whole."""

    __tablename__ = "segment_version"

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segment_definition.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SegmentRun(Base):
    """One refresh of a segment's membership."""

    __tablename__ = "segment_run"
    __table_args__ = (Index("ix_segment_run_segment_id", "segment_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment_definition.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    seconds: Mapped[float] = mapped_column(Float, server_default="0")
    members: Mapped[int] = mapped_column(BigInteger, server_default="0")
    entered: Mapped[int] = mapped_column(BigInteger, server_default="0")
    left: Mapped[int] = mapped_column(BigInteger, server_default="0")


class SegmentMember(Base):
    """A customer in a segment as of its last refresh (absent row: not a member)."""

    __tablename__ = "segment_member"
    __table_args__ = (Index("ix_segment_member_customer_id", "customer_id"),)

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segment_definition.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    run_id: Mapped[int] = mapped_column(BigInteger)


class SegmentEvent(Base):
    """A customer entering or leaving a segment at a refresh run."""

    __tablename__ = "segment_event"
    __table_args__ = (
        CheckConstraint(in_list("kind", SEGMENT_EVENT_KINDS), name="kind_valid"),
        Index("ix_segment_event_segment_id_run_id", "segment_id", "run_id"),
        Index("ix_segment_event_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment_definition.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    run_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
