"""segments: definitions with versions, refresh runs, sparse members, entered/left events

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-03 19:30:00.000000

A database migrated before segments holds the policy lines of its day (migration
0003 copied ``policies/policy.csv`` then): the segment lines of the default policy
are added here unless present, so marketers, advisors and auditors get them too.

Members are keyed by segment first, so a refresh's diff of one segment reads one
contiguous range; a second index by customer serves "which segments is this
customer in". Events are indexed by (segment, run) for the history summary.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The default policy's segment lines (policies/policy.csv), as (role, field, action).
_LINES = (
    *(
        ("marketer", f"{t}.*", "read")
        for t in (
            "Segment",
            "SegmentVersion",
            "SegmentRun",
            "SegmentPreview",
            "SegmentOverlap",
            "SegmentExport",
        )
    ),
    ("marketer", "Segment.*", "write"),
    *(
        ("advisor", f"{t}.*", "read")
        for t in ("Segment", "SegmentVersion", "SegmentRun", "SegmentPreview", "SegmentOverlap")
    ),
    *(("auditor", f"{t}.*", "read") for t in ("Segment", "SegmentVersion", "SegmentRun")),
)


def _add_policy_lines() -> None:
    for role, field, action in _LINES:
        op.execute(
            sa.text(
                "INSERT INTO casbin_rule (ptype, v0, v1, v2, v3) SELECT 'p', :role, :field, "
                ":action, 'allow' WHERE NOT EXISTS (SELECT 1 FROM casbin_rule WHERE ptype = 'p' "
                "AND v0 = :role AND v1 = :field AND v2 = :action)"
            ).bindparams(role=role, field=field, action=action)
        )


def _now() -> sa.TextClause:
    return sa.text("now()")


def _segment_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["segment_id"],
        ["segment_definition.id"],
        name=op.f(f"fk_{table}_segment_id_segment_definition"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    keys = postgresql.ARRAY(sa.String(length=64))
    op.create_table(
        "segment_definition",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("dependencies", keys, server_default="{}", nullable=False),
        sa.Column("permission_fields", keys, server_default="{}", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("members", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'active', 'archived')",
            name=op.f("ck_segment_definition_status_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_definition")),
        sa.UniqueConstraint("key", name=op.f("uq_segment_definition_key")),
    )
    op.create_table(
        "segment_version",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        _segment_fk("segment_version"),
        sa.PrimaryKeyConstraint("segment_id", "version", name=op.f("pk_segment_version")),
    )
    op.create_table(
        "segment_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("seconds", sa.Float(), server_default="0", nullable=False),
        sa.Column("members", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("entered", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("left", sa.BigInteger(), server_default="0", nullable=False),
        _segment_fk("segment_run"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_run")),
    )
    op.create_index("ix_segment_run_segment_id", "segment_run", ["segment_id", "id"])
    op.create_table(
        "segment_member",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        _segment_fk("segment_member"),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_segment_member_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("segment_id", "customer_id", name=op.f("pk_segment_member")),
    )
    op.create_index("ix_segment_member_customer_id", "segment_member", ["customer_id"])
    op.create_table(
        "segment_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.CheckConstraint("kind IN ('entered', 'left')", name=op.f("ck_segment_event_kind_valid")),
        _segment_fk("segment_event"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_event")),
    )
    op.create_index("ix_segment_event_segment_id_run_id", "segment_event", ["segment_id", "run_id"])
    op.create_index("ix_segment_event_customer_id", "segment_event", ["customer_id"])
    _add_policy_lines()


def downgrade() -> None:
    for role, field, action in _LINES:
        op.execute(
            sa.text(
                "DELETE FROM casbin_rule WHERE ptype = 'p' AND v0 = :role AND v1 = :field "
                "AND v2 = :action AND v3 = 'allow'"
            ).bindparams(role=role, field=field, action=action)
        )
    for table in (
        "segment_event",
        "segment_member",
        "segment_run",
        "segment_version",
        "segment_definition",
    ):
        op.drop_table(table)
