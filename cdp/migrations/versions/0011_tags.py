"""tag definitions with versions, sparse values, timeline, runs, dirty customers

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-03 18:20:00.000000

Values are stored sparsely (one row per customer and tag the customer has), keyed
by tag first so a run's diff of one tag reads one contiguous range; a second
index by customer serves a customer's tags. Events are the history: as-of
queries replay them, by customer or by tag, in time order.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _check(column: str, values: tuple[str, ...], name: str) -> sa.CheckConstraint:
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=op.f(name))


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    keys = postgresql.ARRAY(sa.String(length=64))
    op.create_table(
        "tag_definition",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=8), server_default="rule", nullable=False),
        sa.Column("value_type", sa.String(length=8), nullable=False),
        sa.Column("enum_values", keys, server_default="{}", nullable=False),
        sa.Column("rule", sa.Text(), nullable=True),
        sa.Column("refresh", sa.String(length=16), server_default="on_change", nullable=False),
        sa.Column("dependencies", keys, server_default="{}", nullable=False),
        sa.Column("permission_fields", keys, server_default="{}", nullable=False),
        sa.Column("status", sa.String(length=16), server_default="draft", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        _check("status", ("draft", "active", "archived"), "ck_tag_definition_status_valid"),
        _check("value_type", ("boolean", "enum", "number"), "ck_tag_definition_value_type_valid"),
        _check("kind", ("rule", "manual"), "ck_tag_definition_kind_valid"),
        _check("refresh", ("on_change", "daily", "manual"), "ck_tag_definition_refresh_valid"),
        sa.CheckConstraint(
            "kind = 'manual' OR rule IS NOT NULL", name=op.f("ck_tag_definition_rule_tag_has_rule")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_definition")),
        sa.UniqueConstraint("key", name=op.f("uq_tag_definition_key")),
    )
    op.create_table(
        "tag_version",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("spec", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tag_definition.id"],
            name=op.f("fk_tag_version_tag_id_tag_definition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tag_id", "version", name=op.f("pk_tag_version")),
    )
    op.create_table(
        "tag_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), server_default="running", nullable=False),
        sa.Column("tag_keys", keys, server_default="{}", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customers", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("counts", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("stages", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("tags", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _check("kind", ("full", "dirty"), "ck_tag_run_kind_valid"),
        _check("status", ("running", "succeeded", "failed"), "ck_tag_run_status_valid"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_run")),
    )
    op.create_index("ix_tag_run_started_at", "tag_run", ["started_at"], unique=False)
    op.create_table(
        "tag_value",
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("value", postgresql.JSONB(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(), server_default="{}", nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=8), server_default="rule", nullable=False),
        sa.Column("set_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        _check("source", ("rule", "manual", "import"), "ck_tag_value_source_valid"),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tag_definition.id"],
            name=op.f("fk_tag_value_tag_id_tag_definition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_tag_value_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tag_run.id"],
            name=op.f("fk_tag_value_run_id_tag_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id", "version"],
            ["tag_version.tag_id", "tag_version.version"],
            name=op.f("fk_tag_value_tag_id_tag_version"),
        ),
        sa.PrimaryKeyConstraint("tag_id", "customer_id", name=op.f("pk_tag_value")),
    )
    op.create_index("ix_tag_value_customer_id", "tag_value", ["customer_id"], unique=False)
    op.create_table(
        "tag_event",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("old_value", postgresql.JSONB(), nullable=True),
        sa.Column("new_value", postgresql.JSONB(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        _check("kind", ("entered", "left", "changed"), "ck_tag_event_kind_valid"),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tag_definition.id"],
            name=op.f("fk_tag_event_tag_id_tag_definition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_tag_event_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["tag_run.id"],
            name=op.f("fk_tag_event_run_id_tag_run"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag_event")),
    )
    op.create_index(
        "ix_tag_event_customer_id_occurred_at", "tag_event", ["customer_id", "occurred_at"]
    )
    op.create_index("ix_tag_event_tag_id_occurred_at", "tag_event", ["tag_id", "occurred_at"])
    op.create_table(
        "tag_dirty_customer",
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_tag_dirty_customer_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_tag_dirty_customer")),
    )


def downgrade() -> None:
    for table in (
        "tag_dirty_customer",
        "tag_event",
        "tag_value",
        "tag_run",
        "tag_version",
        "tag_definition",
    ):
        op.drop_table(table)
