"""The rejects file: every rejected row with where and why, plus the row itself.

Columns: ``reject_row, reject_key, reject_field, reject_code, reject_reason`` (named
apart from any input column) and then the row's own columns as they were read (a CSV
input's header, followed by any values a row had beyond it; for JSON Lines one
``raw`` column holding the object), so a fixed file can be re-imported after
deleting the first five columns. A row with several problems names the first one's
field and code and lists every problem in the reason.

The rows are source data as it arrived: ID numbers, phones and e-mails in clear.
So the file is created readable and writable by its owner only (``0600``), and an
existing file is narrowed to that mode before it is truncated and rewritten.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import orjson

from cdp.ingest.readers import EXTRA
from cdp.ingest.results import ItemResult

LEAD = ("reject_row", "reject_key", "reject_field", "reject_code", "reject_reason")
OWNER_ONLY = 0o600


def _open_private(path: Path) -> IO[str]:
    """``path`` opened for writing, truncated, readable by its owner only.

    ``os.open``'s mode applies only to a file it creates (and the umask may narrow
    it further, never widen it), so an existing file is narrowed with ``fchmod``
    on the open descriptor, before anything is written into it.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
    try:
        os.fchmod(fd, OWNER_ONLY)
        return os.fdopen(fd, "w", encoding="utf-8", newline="")
    except BaseException:
        os.close(fd)
        raise


class RejectsWriter:
    def __init__(self, path: Path, raw_columns: list[str]) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self.raw_columns = raw_columns
        self._file: IO[str] = _open_private(path)
        self._csv = csv.writer(self._file)
        self._csv.writerow([*LEAD, *(raw_columns or ["raw"])])
        self.count = 0

    def write(self, items: Iterable[ItemResult]) -> None:
        for it in items:
            raw = it.raw or {}
            if self.raw_columns:
                tail = [_cell(raw.get(c)) for c in self.raw_columns]
                extra = raw.get(EXTRA)
                if isinstance(extra, list):
                    tail += [_cell(v) for v in extra]
            else:
                tail = [orjson.dumps(raw, default=str).decode()]
            lead = [it.row_number, it.source_key or "", it.field or "", it.code, it.reason]
            self._csv.writerow([*lead, *tail])
            self.count += 1

    def close(self) -> None:
        self._file.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return orjson.dumps(value, default=str).decode()
