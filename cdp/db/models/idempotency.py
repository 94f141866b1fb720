"""Idempotency keys of API batches: a retried request returns its first response.

One row per (source, operation, key). ``request_hash`` fingerprints the request
the key was first used with, so the same key with a different request is refused
rather than silently answered with an unrelated response. ``response`` is written
in the same transaction as the batch itself: a committed row always has it, and a
batch that rolls back leaves no key behind, so its retry runs again.

Retention: keys are kept for ``cdp.idempotency.RETENTION`` (seven days) and then
removed by ``purge_expired``; ``created_at`` is indexed for that sweep.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Index, LargeBinary, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base


class IdempotencyKey(Base):
    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_created_at", "created_at"),)

    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    request_hash: Mapped[bytes] = mapped_column(LargeBinary)
    response: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
