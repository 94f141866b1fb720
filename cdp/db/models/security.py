"""API keys and the audit trail of sensitive reads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, DateTime, Identity, Index, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base


class ApiKey(Base):
    """A partner or service key; only its hash is stored, the key is shown once."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[bytes] = mapped_column(LargeBinary)
    role: Mapped[str] = mapped_column(String(32))
    # The source names a source-system key may send records as (empty: none).
    sources: Mapped[list[str]] = mapped_column(ARRAY(String(32)), server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    """Who read which sensitive fields of which customers, when, under which policy."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_occurred_at", "occurred_at"),
        # Auditors ask "who read this customer" and "who read ID numbers": GIN
        # indexes serve the array containment (``@>``) those filters use.
        Index("ix_audit_log_customer_ids", "customer_ids", postgresql_using="gin"),
        Index("ix_audit_log_field_paths", "field_paths", postgresql_using="gin"),
        # "What did this principal read", newest first, in page order.
        Index("ix_audit_log_principal_occurred_at", "principal", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    principal: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str | None] = mapped_column(String(64))
    operation: Mapped[str | None] = mapped_column(String(200))
    field_paths: Mapped[list[str]] = mapped_column(ARRAY(Text))
    customer_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger))
    policy_version: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
