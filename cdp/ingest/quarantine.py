"""Rejected rows go to the quarantine table, in the same transaction as the good ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from cdp.ingest.pg import copy_rows
from cdp.ingest.results import ItemResult

_COLUMNS = (
    "import_run_id", "source", "kind", "row_number", "source_key", "field", "reason_code",
    "reason", "payload",
)  # fmt: skip


def _json_safe(raw: dict[str, Any] | None) -> str:
    return orjson.dumps(raw or {}, default=str).decode()


async def quarantine(
    pg: Any, run_id: int | None, source: str, kind: str, items: Sequence[ItemResult]
) -> None:
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
            _json_safe(i.raw),
        )
        for i in items
        if i.status == "rejected"
    ]
    if rows:
        # jsonb values travel as JSON text (the session's codec adds the binary header).
        await copy_rows(pg, "quarantine", _COLUMNS, rows)
