"""policy lines in the database, seeded with the default policy

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:12:40.118305

The table is created and seeded in one step, so the API never meets an empty
policy store it would have to guess about: a database migrated by ``cdp db
upgrade`` holds ``policies/policy.csv`` as it was at that moment, and from then on
the rows are the policy (an administrator emptying it later denies everything,
it is not re-seeded).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from policies.lines import read_policy

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALUES = ("v0", "v1", "v2", "v3", "v4", "v5")


def upgrade() -> None:
    table = op.create_table(
        "casbin_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ptype", sa.String(length=255), nullable=True),
        *(sa.Column(name, sa.String(length=255), nullable=True) for name in VALUES),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_casbin_rule")),
    )
    rows = [
        # Every row names every column: executemany needs one statement shape.
        {
            "ptype": line.ptype,
            **dict.fromkeys(VALUES),
            **dict(zip(VALUES, line.values, strict=False)),
        }
        for line in read_policy()
    ]
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("casbin_rule")
