"""Rows to PostgreSQL COPY text format, so worker processes do the encoding.

Encoding rows is a large share of a load's CPU. Doing it where the rows are built
(in parallel workers) leaves the loading process only shipping bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, bytes):
        return "\\\\x" + value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return "{" + ",".join(str(v) for v in value) + "}"
    return str(value)


def line(row: Iterable[Any]) -> bytes:
    return ("\t".join([field(v) for v in row]) + "\n").encode()


def lines(rows: Iterable[Iterable[Any]]) -> bytes:
    return b"".join(line(row) for row in rows)
