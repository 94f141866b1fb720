"""household members get updated_at; holdings and members are indexed on it

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 18:00:00.000000

The knowledge graph is kept fresh by reading what changed since its snapshot's
watermark. Holdings already carry ``updated_at``; household membership had no
time at all, so a member joining or changing relation could not be found without
comparing the whole table. Both columns are indexed so the catch-up reads only
the changed rows instead of scanning the tables every few seconds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "household_member",
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_household_member_updated_at", "household_member", ["updated_at"])
    op.create_index("ix_holding_updated_at", "holding", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_holding_updated_at", table_name="holding")
    op.drop_index("ix_household_member_updated_at", table_name="household_member")
    op.drop_column("household_member", "updated_at")
