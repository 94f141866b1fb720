"""Rejected rows go to the quarantine table, in the same transaction as the good ones.

The row itself is kept as it arrived, so an operator can see what was wrong with
it; it holds personal data (ID numbers, phones, e-mails, often exactly the ones
that failed validation) and is stored encrypted as customers' ID numbers are
(AES-256-GCM under the master key, ``cdp.crypto``). ``open_payload`` reads one back.
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
    "reason", "payload_enc",
)  # fmt: skip


def seal_payload(raw: dict[str, Any] | None, cipher: Cipher | None = None) -> bytes:
    """A rejected row as encrypted JSON (values JSON cannot hold become strings)."""
    text = orjson.dumps(raw or {}, default=str).decode()
    return (cipher or get_cipher()).encrypt(text)


def open_payload(blob: bytes, cipher: Cipher | None = None) -> dict[str, Any]:
    """The row ``seal_payload`` encrypted."""
    value: dict[str, Any] = orjson.loads((cipher or get_cipher()).decrypt(blob))
    return value


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
        )
        for i in items
        if i.status == "rejected"
    ]
    if rows:
        await copy_rows(pg, "quarantine", _COLUMNS, rows)
