"""Lineage, quarantine and merges: what ingestion and identity resolution leave behind."""

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSON, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base, in_list
from cdp.db.enums import RECORD_KINDS


class ImportRun(Base):
    """One import of a file or one API batch, with its counts."""

    __tablename__ = "import_run"
    __table_args__ = (CheckConstraint(in_list("kind", RECORD_KINDS), name="kind_valid"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), server_default="running")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, int]] = mapped_column(JSONB, server_default="{}")


class SourceRecord(Base):
    """A record as a source system sent it, linked to the golden customer it resolved to."""

    __tablename__ = "source_record"
    __table_args__ = (
        UniqueConstraint("source", "source_key"),
        Index("ix_source_record_customer_id", "customer_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    source_key: Mapped[str] = mapped_column(String(128))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    # ``json``, not ``jsonb``: written on every change, read only to recompute a
    # customer, so the text is kept as sent rather than converted on each write. It
    # holds the record's match keys (the ID hash in hex, the phone, the e-mail).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RecordOrigin(Base):
    """Which customer source record an ingested holding, transaction, event or consent
    event came through, so splitting a wrong merge can move exactly those rows."""

    __tablename__ = "record_origin"
    __table_args__ = (
        CheckConstraint(in_list("kind", RECORD_KINDS), name="kind_valid"),
        Index("ix_record_origin_source_record_id", "source_record_id"),
    )

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    row_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE")
    )


class Quarantine(Base):
    """A rejected input row with the reason, kept so nothing is silently dropped.

    ``payload_enc`` is the row as it arrived, JSON encrypted like customers' ID
    numbers (``cdp.crypto``): a rejected row holds ID numbers, phones and e-mails
    verbatim, and often precisely the malformed ones nothing else stores.
    """

    __tablename__ = "quarantine"
    __table_args__ = (
        CheckConstraint(in_list("kind", RECORD_KINDS), name="kind_valid"),
        Index("ix_quarantine_import_run_id", "import_run_id"),
        # Once per source and content (kind, source key, row as read): see
        # ``cdp.ingest.quarantine``. Rows from before the hash existed have none.
        Index(
            "uq_quarantine_source_content",
            "source",
            "content_hash",
            unique=True,
            postgresql_where=text("content_hash IS NOT NULL"),
        ),
        Index("ix_quarantine_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    import_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_run.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    row_number: Mapped[int | None] = mapped_column(Integer)
    source_key: Mapped[str | None] = mapped_column(String(128))
    field: Mapped[str | None] = mapped_column(String(64))
    reason_code: Mapped[str] = mapped_column(String(48))
    reason: Mapped[str] = mapped_column(Text)
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Set when a retry of the row was accepted (``cdp quarantine retry``).
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class IdentityMerge(Base):
    """A source record attached to an existing golden customer, and how to undo it.

    ``survivor_before`` is the golden record's state before the merge so an operator
    can split a wrong merge back out (``cdp merges undo``).
    """

    __tablename__ = "identity_merge"
    __table_args__ = (Index("ix_identity_merge_survivor_id", "survivor_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    source_record_id: Mapped[int] = mapped_column(
        ForeignKey("source_record.id", ondelete="CASCADE")
    )
    rule: Mapped[str] = mapped_column(String(48))
    survivor_before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    split_customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer.id", ondelete="SET NULL")
    )
