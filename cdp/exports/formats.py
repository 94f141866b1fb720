"""Export rows as CSV or JSON Lines, and files written readable by their owner only."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from cdp.errors import InvalidInput

FORMATS = ("csv", "jsonl")


def render(fields: Sequence[str], rows: Iterable[dict[str, Any]], fmt: str) -> str:
    """CSV with a header line of the field names, or one JSON object per line."""
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()
    if fmt == "jsonl":
        return "".join(orjson.dumps(r).decode() + "\n" for r in rows)
    raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")


def write_private(path: Path, content: str) -> None:
    """Write ``content`` to a file only its owner can read (it holds personal data).

    The mode is set when the file is created, so there is no moment at which the
    data sits in a file others can open; an existing file is truncated and its mode
    tightened too.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            fd = -1
            handle.write(content)
    finally:
        if fd >= 0:
            os.close(fd)
