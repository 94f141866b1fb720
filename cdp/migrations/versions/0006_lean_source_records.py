"""source records keep their payload as written: json, without copies of its match keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 09:00:00.000000

Writing lineage is the larger half of what an import costs the database. A record's
payload is written once per change and read only to recompute a customer (a merge,
its undo, survivorship over a customer's records), so it is stored as ``json``,
which keeps the text instead of converting it to ``jsonb``'s binary form on every
write. The ID-number hash, phone hash and e-mail columns were copies of values the
payload holds (the ID hash in hex, the phone in clear, the e-mail) that nothing reads
since matching moved to golden customers; they go.

Downgrading restores the columns from the payload, except the phone hash, which
needs the encryption key and is left empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("source_record", "id_number_hash")
    op.drop_column("source_record", "phone_hash")
    op.drop_column("source_record", "email")
    op.alter_column(
        "source_record",
        "payload",
        type_=postgresql.JSON(),
        existing_type=postgresql.JSONB(),
        postgresql_using="payload::json",
    )


def downgrade() -> None:
    op.alter_column(
        "source_record",
        "payload",
        type_=postgresql.JSONB(),
        existing_type=postgresql.JSON(),
        postgresql_using="payload::jsonb",
    )
    op.add_column("source_record", sa.Column("id_number_hash", sa.LargeBinary(), nullable=True))
    op.add_column("source_record", sa.Column("phone_hash", sa.LargeBinary(), nullable=True))
    op.add_column("source_record", sa.Column("email", sa.String(length=254), nullable=True))
    op.execute(
        "UPDATE source_record SET id_number_hash = decode(payload->>'id_number_hash', 'hex'), "
        "email = payload->>'email'"
    )
