"""quarantine keeps a rejected row once per source record and content

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 18:00:00.000000

Re-importing a file quarantined its rejected rows again. ``content_hash`` is a keyed
hash of the kind, source key and row as read (not its line number): a row already
quarantined from that source is not added again. Rows quarantined before this
revision have no hash and stay as they are. ``resolved_at`` is set when a retry of
the row was accepted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quarantine", sa.Column("content_hash", sa.LargeBinary(), nullable=True))
    op.add_column("quarantine", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "uq_quarantine_source_content",
        "quarantine",
        ["source", "content_hash"],
        unique=True,
        postgresql_where=sa.text("content_hash IS NOT NULL"),
    )
    op.create_index("ix_quarantine_created_at", "quarantine", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_quarantine_created_at", table_name="quarantine")
    op.drop_index("uq_quarantine_source_content", table_name="quarantine")
    op.drop_column("quarantine", "resolved_at")
    op.drop_column("quarantine", "content_hash")
