"""quarantined rows are stored encrypted; a stored policy masks ID numbers safely

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 18:00:00.000000

A quarantined row is the source record as it arrived, ID numbers, phones and
e-mails included, and it sat in a ``jsonb`` column in clear. It moves to
``payload_enc``: the JSON text encrypted with AES-256-GCM under the master key,
as customers' ID numbers are. Existing rows are encrypted here, so upgrading
needs the encryption key (``CDP_ENCRYPTION_KEY`` or ``CDP_DATA_DIR/secret.key``),
and downgrading decrypts them back into ``payload``.

Policy validation now refuses a role that reads the ID number masked while it
reads or filters on the birth date (``policies/identity.py``), and a process
denies everything while its stored policy is invalid. The policy in
``casbin_rule`` was seeded from the default policy of its day, in which advisors
and front-end apps did just that; so every role with its own
``Customer.idNumber, read, mask`` line is given the ``id_number_masked`` base role
(added with its lines if missing), as the default policy now does. Downgrading
gives each role holding it its own ID-number mask line back and removes the role.
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
    _adopt_id_number_masked()


_MASKED_ROLE = "id_number_masked"
_MASKED_ROLE_LINES = (
    ("Customer.idNumber", "read", "mask"),
    ("Customer.idNumber", "filter", "deny"),
    ("Customer.birthDate", "read", "mask"),
    ("Customer.birthDate", "filter", "deny"),
)
_RULE = sa.table(
    "casbin_rule", *(sa.column(name) for name in ("ptype", "v0", "v1", "v2", "v3", "v4", "v5"))
)


def _row(line: tuple[str, ...]) -> dict[str, str | None]:
    # Every row names every column: executemany needs one statement shape.
    keys = ("ptype", "v0", "v1", "v2", "v3", "v4", "v5")
    return dict.fromkeys(keys) | dict(zip(keys, line, strict=False))


def _adopt_id_number_masked() -> None:
    bind = op.get_bind()
    stored = {
        tuple(v for v in row if v is not None)
        for row in bind.execute(sa.text("SELECT ptype, v0, v1, v2, v3 FROM casbin_rule")).all()
    }
    masking = sorted(
        line[1]
        for line in stored
        if line[0] == "p"
        and line[2:] == ("Customer.idNumber", "read", "mask")
        and line[1] != _MASKED_ROLE
    )
    wanted: list[tuple[str, ...]] = []
    if masking:
        wanted += [("p", _MASKED_ROLE, *rule) for rule in _MASKED_ROLE_LINES]
    wanted += [("g", role, _MASKED_ROLE) for role in masking]
    missing = [line for line in wanted if line not in stored]
    if missing:
        op.bulk_insert(_RULE, [_row(line) for line in missing])
        bind.execute(sa.text("NOTIFY cdp_policy"))


def _give_up_id_number_masked() -> None:
    """The roles that held ``id_number_masked`` mask the ID number themselves again."""
    bind = op.get_bind()
    members = sorted(
        role
        for (role,) in bind.execute(
            sa.text("SELECT v0 FROM casbin_rule WHERE ptype = 'g' AND v1 = :role"),
            {"role": _MASKED_ROLE},
        ).all()
    )
    own = {
        role
        for (role,) in bind.execute(
            sa.text(
                "SELECT v0 FROM casbin_rule WHERE ptype = 'p' AND v1 = 'Customer.idNumber' "
                "AND v2 = 'read' AND v3 = 'mask'"
            )
        ).all()
    }
    lines = [
        ("p", role, "Customer.idNumber", "read", "mask") for role in members if role not in own
    ]
    if lines:
        op.bulk_insert(_RULE, [_row(line) for line in lines])
    bind.execute(
        sa.text(
            "DELETE FROM casbin_rule WHERE (ptype = 'p' AND v0 = :role) "
            "OR (ptype = 'g' AND v1 = :role)"
        ),
        {"role": _MASKED_ROLE},
    )
    bind.execute(sa.text("NOTIFY cdp_policy"))


def downgrade() -> None:
    _give_up_id_number_masked()
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
