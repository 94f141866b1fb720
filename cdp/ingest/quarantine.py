"""Rejected rows go to the quarantine table, in the same transaction as the good ones.

The row itself is kept as it arrived, so an operator can see what was wrong with
it; it holds personal data (ID numbers, phones, e-mails, often exactly the ones
that failed validation) and is stored encrypted as customers' ID numbers are
(AES-256-GCM under the master key, ``cdp.crypto``). ``open_payload`` reads one back.

A row is quarantined once per source and content: ``content_hash`` is a keyed hash
(the payload holds personal data, so no plain digest of it is stored) of the kind,
the source key and the row as read, not of its line number, so re-importing a file
adds nothing new for rows already waiting there. The rows are sent with COPY to a
temporary table and inserted from it, skipping those already present.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from cdp.crypto import Cipher, get_cipher
from cdp.ingest.pg import copy_rows
from cdp.ingest.results import ItemResult

_COLUMNS = (
    "import_run_id", "source", "kind", "row_number", "source_key", "field", "reason_code",
    "reason", "payload_enc", "content_hash",
)  # fmt: skip
_STAGE = "quarantine_incoming"


def seal_payload(raw: dict[str, Any] | None, cipher: Cipher | None = None) -> bytes:
    """A rejected row as encrypted JSON (values JSON cannot hold become strings)."""
    text = orjson.dumps(raw or {}, default=str).decode()
    return (cipher or get_cipher()).encrypt(text)


def open_payload(blob: bytes, cipher: Cipher | None = None) -> dict[str, Any]:
    """The row ``seal_payload`` encrypted."""
    value: dict[str, Any] = orjson.loads((cipher or get_cipher()).decrypt(blob))
    return value


def content_hash(kind: str, source_key: str | None, raw: dict[str, Any] | None) -> bytes:
    """What makes two rejected rows of one source the same row."""
    content = orjson.dumps(
        [kind, source_key or "", raw or {}], default=str, option=orjson.OPT_SORT_KEYS
    )
    return get_cipher().keyed_hash(content.decode())


async def quarantine(
    pg: Any, run_id: int | None, source: str, kind: str, items: Sequence[ItemResult]
) -> None:
    cipher = get_cipher()
    rows = [
        (
            run_id,
            source,
            kind,
            i.row_number,
            (i.source_key or "")[:128] or None,
            i.field,
            i.code or "row_invalid",
            i.reason or "",
            seal_payload(i.raw, cipher),
            content_hash(kind, i.source_key, i.raw),
        )
        for i in items
        if i.status == "rejected"
    ]
    if not rows:
        return
    columns = ", ".join(_COLUMNS)
    # The columns' types, none of the table's constraints; one per connection.
    await pg.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} ON COMMIT DELETE ROWS "
        f"AS SELECT {columns} FROM quarantine WITH NO DATA"
    )
    await copy_rows(pg, _STAGE, _COLUMNS, rows)
    await pg.execute(
        f"INSERT INTO quarantine ({columns}) SELECT {columns} FROM {_STAGE} "
        "ORDER BY row_number ON CONFLICT (source, content_hash) "
        "WHERE content_hash IS NOT NULL DO NOTHING"
    )
    await pg.execute(f"DELETE FROM {_STAGE}")
