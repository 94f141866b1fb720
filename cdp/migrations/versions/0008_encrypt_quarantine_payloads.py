"""quarantined rows are stored encrypted

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:00:00.000000

A quarantined row is the source record as it arrived, ID numbers, phones and
e-mails included, and it sat in a ``jsonb`` column in clear. It moves to
``payload_enc``: the JSON text encrypted with AES-256-GCM under the master key,
as customers' ID numbers are. Existing rows are encrypted here, so upgrading
needs the encryption key (``CDP_ENCRYPTION_KEY`` or ``CDP_DATA_DIR/secret.key``),
and downgrading decrypts them back into ``payload``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1_000


def upgrade() -> None:
    from cdp.crypto import get_cipher

    cipher = get_cipher()
    op.add_column("quarantine", sa.Column("payload_enc", sa.LargeBinary(), nullable=True))
    bind = op.get_bind()
    last = 0
    while True:
        # ``payload::text`` is the JSON as PostgreSQL prints it, which
        # ``cdp.ingest.quarantine.open_payload`` parses like the JSON it writes.
        rows = bind.execute(
            sa.text(
                "SELECT id, payload::text FROM quarantine WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last, "n": _BATCH},
        ).all()
        if not rows:
            break
        sealed = [{"id": pk, "blob": cipher.encrypt(text)} for pk, text in rows]
        bind.execute(sa.text("UPDATE quarantine SET payload_enc = :blob WHERE id = :id"), sealed)
        last = rows[-1][0]
    op.alter_column("quarantine", "payload_enc", nullable=False)
    op.drop_column("quarantine", "payload")


def downgrade() -> None:
    from cdp.crypto import get_cipher

    cipher = get_cipher()
    op.add_column("quarantine", sa.Column("payload", postgresql.JSONB(), nullable=True))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, payload_enc FROM quarantine WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": _BATCH},
        ).all()
        if not rows:
            break
        opened = [{"id": pk, "payload": cipher.decrypt(blob)} for pk, blob in rows]
        bind.execute(
            sa.text("UPDATE quarantine SET payload = CAST(:payload AS jsonb) WHERE id = :id"),
            opened,
        )
        last = rows[-1][0]
    op.alter_column("quarantine", "payload", nullable=False)
    op.drop_column("quarantine", "payload_enc")
