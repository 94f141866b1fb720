"""API keys carry the source names they may send records as

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 18:30:00.000000

A source name decides survivorship trust and scopes idempotency keys and record
keys, so a source-system key is bound to the names it may use. Keys issued before
have none and can send nothing until reissued with ``--source``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "api_key",
        sa.Column("sources", sa.ARRAY(sa.String(32)), nullable=False, server_default="{}"),
    )


def downgrade() -> None:
    op.drop_column("api_key", "sources")
