"""tag definitions with versions, sparse values, timeline, runs, dirty customers

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 18:20:00.000000

Customers are marked dirty for incremental runs by statement-level triggers on
the tables tag features read (see ``_dirty_triggers``).

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
down_revision: str | None = "0010"
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
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_tag_dirty_customer")),
    )

    _dirty_triggers()
    _forget_triggers()


def _forget_triggers() -> None:
    """Deleting a customer or a definition deletes its tag rows (no per-row FKs)."""
    for table, column, targets in (
        ("customer", "customer_id", ("tag_value", "tag_event", "tag_dirty_customer")),
        ("tag_definition", "tag_id", ("tag_value", "tag_event")),
    ):
        deletes = "\n".join(
            f"DELETE FROM {t} WHERE {column} IN (SELECT id FROM gone);" for t in targets
        )
        op.execute(
            f"""
            CREATE FUNCTION tag_forget_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                {deletes}
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            f"CREATE TRIGGER tag_forget AFTER DELETE ON {table}"
            f" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION tag_forget_{table}()"
        )


# Tables whose rows feed tag features, and the column naming the customer(s) a row
# belongs to. Statement-level triggers with transition tables mark those customers
# dirty once per statement, whatever wrote it (the API, an import's COPY, psql), at
# the cost of one INSERT … SELECT DISTINCT per statement rather than one per row.
_DIRTY_SOURCES = {
    "customer": ("id",),
    "holding": ("customer_id",),
    "transaction": ("customer_id",),
    "interaction_event": ("customer_id",),
    "consent": ("customer_id",),
    "household_member": ("customer_id",),
    "referral": ("referrer_id", "referee_id"),
}
_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def _dirty_triggers() -> None:
    for table, columns in _DIRTY_SOURCES.items():
        picked = " UNION ".join(f"SELECT {c} FROM changed" for c in columns)
        op.execute(
            f"""
            CREATE FUNCTION tag_mark_dirty_{table}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                -- A customer deleted in the same statement (a cascade) is not marked.
                INSERT INTO tag_dirty_customer (customer_id)
                SELECT c.id FROM customer c WHERE c.id IN ({picked})
                ON CONFLICT DO NOTHING;
                RETURN NULL;
            END $$
            """
        )
        for event, side in _EVENTS.items():
            if table == "customer" and event == "delete":
                continue  # the customer is gone; its marks go with it
            op.execute(
                f'CREATE TRIGGER tag_dirty_{event} AFTER {event.upper()} ON "{table}"'
                f" REFERENCING {side} TABLE AS changed"
                f" FOR EACH STATEMENT EXECUTE FUNCTION tag_mark_dirty_{table}()"
            )


def downgrade() -> None:
    for table in ("customer", "tag_definition"):
        op.execute(f"DROP TRIGGER IF EXISTS tag_forget ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS tag_forget_{table}()")
    for table in _DIRTY_SOURCES:
        for event in _EVENTS:
            op.execute(f'DROP TRIGGER IF EXISTS tag_dirty_{event} ON "{table}"')
        op.execute(f"DROP FUNCTION IF EXISTS tag_mark_dirty_{table}()")
    for table in (
        "tag_dirty_customer",
        "tag_event",
        "tag_value",
        "tag_run",
        "tag_version",
        "tag_definition",
    ):
        op.drop_table(table)
