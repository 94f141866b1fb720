"""Rows rendered in PostgreSQL's COPY text format.

Customer imports write most rows as text the worker process rendered already, so
the process that talks to the database only joins strings: no per-value encoding
on the path the database waits on. Rendering here must give the values the typed
columns would get from the same Python values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

NULL = r"\N"
_SPECIAL = re.compile(r"[\\\t\n\r]")


def needs_escape(value: str) -> bool:
    return _SPECIAL.search(value) is not None


def text(value: str | None) -> str:
    if value is None:
        return NULL
    if _SPECIAL.search(value) is None:
        return value
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def bytea(value: bytes | None) -> str:
    # The hex form's leading backslash is itself escaped in COPY text.
    return NULL if value is None else "\\\\x" + value.hex()


def value(v: Any) -> str:
    """Any column value: text, bytea, boolean, number, date or timestamp (tz-aware)."""
    if v is None:
        return NULL
    if isinstance(v, str):
        return text(v)
    if isinstance(v, bytes | bytearray | memoryview):
        return bytea(bytes(v))
    if isinstance(v, bool):
        return "t" if v else "f"
    if isinstance(v, int | Decimal):
        return str(v)
    if isinstance(v, date):  # datetime too: isoformat keeps the offset
        return v.isoformat()
    raise TypeError(f"no COPY text form for {type(v).__name__}")


def line(values: Iterable[Any]) -> str:
    """One row. Text almost never needs escaping, so the row is rendered without
    looking into each string and then checked once as a whole: a string that
    needs escaping shows as a backslash, tab or line break beyond those the
    separators, NULLs and bytea prefixes account for. Only such rows are rendered
    value by value."""
    row = tuple(values)
    parts: list[str] = []
    append = parts.append
    marks = 0  # backslashes the rendering itself writes: one per NULL, two per bytea
    for v in row:
        kind = type(v)
        if kind is str:
            append(v)
        elif v is None:
            append(NULL)
            marks += 1
        elif kind is bytes:
            append("\\\\x" + v.hex())
            marks += 2
        else:
            rendered = value(v)
            append(rendered)
            marks += rendered.count("\\")
    out = "\t".join(parts)
    if (
        out.count("\\") == marks
        and out.count("\t") == len(parts) - 1
        and "\n" not in out
        and "\r" not in out
    ):
        return out
    return "\t".join(map(value, row))
