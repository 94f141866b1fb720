"""indexes of the audit trail's auditor filters

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_customer_ids",
        "audit_log",
        ["customer_ids"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_audit_log_field_paths",
        "audit_log",
        ["field_paths"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_audit_log_principal_occurred_at",
        "audit_log",
        ["principal", "occurred_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_principal_occurred_at", table_name="audit_log")
    op.drop_index("ix_audit_log_field_paths", table_name="audit_log", postgresql_using="gin")
    op.drop_index("ix_audit_log_customer_ids", table_name="audit_log", postgresql_using="gin")
