"""Reading import files: CSV (header row, UTF-8, BOM tolerated) and JSON Lines.

Rows come out in batches, each row with its line number so rejections point into
the file. A row the reader cannot make sense of (a CSV row with the wrong number of
fields, a line that is not a JSON object) is still yielded, with ``error`` set, so
it is rejected like any other bad row rather than stopping the import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import orjson

from cdp.errors import InvalidInput
from cdp.ingest.columns import check_header, check_kind

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")


@dataclass
class SourceRow:
    number: int
    values: dict[str, object] = field(default_factory=dict)
    error: str | None = None


def is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES


def _csv_rows(f: IO[str], kind: str) -> Iterator[SourceRow]:
    reader = csv.reader(f)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("the file is empty: a header row is expected") from None
    header = [h.strip().lower() for h in header]
    check_header(kind, header)
    width = len(header)
    for cells in reader:
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        values: dict[str, object] = dict(zip(header, cells, strict=False))
        error = None
        if len(cells) != width:
            error = f"expected {width} fields, found {len(cells)}"
        yield SourceRow(reader.line_num, values, error)


def _jsonl_rows(f: IO[str]) -> Iterator[SourceRow]:
    for number, line in enumerate(f, start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield SourceRow(number, {"line": line.rstrip("\n")}, f"not valid JSON: {exc}")
            continue
        if not isinstance(value, dict):
            yield SourceRow(number, {"line": line.rstrip("\n")}, "a line must be a JSON object")
            continue
        yield SourceRow(number, {str(k).strip().lower(): v for k, v in value.items()})


def read_batches(path: Path, kind: str, batch_size: int) -> Iterator[list[SourceRow]]:
    """Batches of rows; the header is checked before the first batch is yielded."""
    check_kind(kind)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = _jsonl_rows(f) if is_jsonl(path) else _csv_rows(f, kind)
        batch: list[SourceRow] = []
        try:
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{path} is not UTF-8 text: {exc.reason}") from None
        if batch:
            yield batch


def csv_header(path: Path) -> list[str]:
    """The CSV header as the reader sees it (used for the rejects file's raw columns)."""
    if is_jsonl(path):
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:
        first = next(csv.reader(f), [])
    return [h.strip().lower() for h in first]
