"""Tags: definitions with versions, sparse current values, the timeline, runs.

The tables a run writes in bulk (values, events, dirty marks) have no foreign
keys: checking three of them per row took three quarters of a run's write time.
The engine only writes rows for existing customers and tags, and triggers
(migration 0011) delete a customer's or a definition's rows with it.

Values are sparse: a row per customer and tag the customer *has*, never per
customer and tag defined, so storage grows with what customers carry. A value is
JSON (``true`` for a boolean tag, the label of an enum tag, a number) and keeps the
evidence the rule saw, the definition version and the run that computed it. Every
change of a value is a ``tag_event``; the events are the history that as-of
queries replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
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

TAG_STATUSES = ("draft", "active", "archived")
TAG_VALUE_TYPES = ("boolean", "enum", "number")
TAG_KINDS = ("rule", "manual")
TAG_REFRESH_POLICIES = ("on_change", "daily", "manual")
TAG_VALUE_SOURCES = ("rule", "manual", "import")
TAG_EVENT_KINDS = ("entered", "left", "changed")
TAG_RUN_KINDS = ("full", "dirty")
TAG_RUN_STATUSES = ("running", "succeeded", "failed")


class TagDefinition(Timestamps, Base):
    """A tag as it reads now; ``version`` names the newest ``tag_version`` row."""

    __tablename__ = "tag_definition"
    __table_args__ = (
        CheckConstraint(in_list("status", TAG_STATUSES), name="status_valid"),
        CheckConstraint(in_list("value_type", TAG_VALUE_TYPES), name="value_type_valid"),
        CheckConstraint(in_list("kind", TAG_KINDS), name="kind_valid"),
        CheckConstraint(in_list("refresh", TAG_REFRESH_POLICIES), name="refresh_valid"),
        CheckConstraint("kind = 'manual' OR rule IS NOT NULL", name="rule_tag_has_rule"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, server_default="")
    owner: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(8), server_default="rule")
    value_type: Mapped[str] = mapped_column(String(8))
    # Ordered labels of an enum tag (its order is the order comparisons use).
    enum_values: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    rule: Mapped[str | None] = mapped_column(Text)
    refresh: Mapped[str] = mapped_column(String(16), server_default="on_change")
    dependencies: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    # Catalogue fields the rule reads ("Customer.aum"): readers of the tag's values
    # must be allowed to read these.
    permission_fields: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    status: Mapped[str] = mapped_column(String(16), server_default="draft")
    version: Mapped[int] = mapped_column(Integer, server_default="1")


class TagVersion(Base):
    """Every edit of a definition, kept whole: values name the version that made them."""

    __tablename__ = "tag_version"

    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tag_definition.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The editable fields as they were saved (names, rule, type, enum values, …).
    spec: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TagRun(Base):
    """One evaluation run: what it covered, how long each stage and tag took, errors."""

    __tablename__ = "tag_run"
    __table_args__ = (
        CheckConstraint(in_list("kind", TAG_RUN_KINDS), name="kind_valid"),
        CheckConstraint(in_list("status", TAG_RUN_STATUSES), name="status_valid"),
        Index("ix_tag_run_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), server_default="running")
    tag_keys: Mapped[list[str]] = mapped_column(ARRAY(String(64)), server_default="{}")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    customers: Mapped[int] = mapped_column(BigInteger, server_default="0")
    # {"entered": n, "left": n, "changed": n, "values": n}
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")
    # {"features": seconds, "evaluate": seconds, "write": seconds, …}
    stages: Mapped[dict[str, float]] = mapped_column(JSONB, server_default="{}")
    # {tag key: {"seconds": s, "values": n, "entered": n, "left": n, "changed": n}}
    tags: Mapped[dict[str, dict[str, float]]] = mapped_column(JSONB, server_default="{}")
    error: Mapped[str | None] = mapped_column(Text)


class TagValue(Base):
    """A tag a customer has now (absent row: the customer does not have the tag)."""

    __tablename__ = "tag_value"
    __table_args__ = (
        CheckConstraint(in_list("source", TAG_VALUE_SOURCES), name="source_valid"),
        Index("ix_tag_value_customer_id", "customer_id"),
    )

    tag_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(8), server_default="rule")
    set_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TagEvent(Base):
    """A change of one customer's value of one tag: entered, left or changed."""

    __tablename__ = "tag_event"
    __table_args__ = (
        CheckConstraint(in_list("kind", TAG_EVENT_KINDS), name="kind_valid"),
        Index("ix_tag_event_customer_id_occurred_at", "customer_id", "occurred_at"),
        Index("ix_tag_event_tag_id_occurred_at", "tag_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tag_id: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))
    old_value: Mapped[Any] = mapped_column(JSONB(none_as_null=True), nullable=True)
    new_value: Mapped[Any] = mapped_column(JSONB(none_as_null=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(BigInteger)
    actor: Mapped[str | None] = mapped_column(String(100))
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class TagDirtyCustomer(Base):
    """Customers whose data changed since their tags were last computed."""

    __tablename__ = "tag_dirty_customer"

    customer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
