"""Reading import files: CSV (header row, UTF-8 unless told otherwise, BOM tolerated)
and JSON Lines.

A file is cut into chunks of whole rows, still as the bytes read (``read_chunks``):
finding where a row ends takes a count of newlines and quotes, which costs the
process that writes to the database next to nothing, and whichever process prepares
a chunk parses it (``parse_chunk``). Each row keeps its line number so rejections
point into the file. A row the reader cannot make sense of (a CSV row with the wrong
number of fields, a line that is not a JSON object) is still a row, with ``error``
set, so it is rejected like any other bad row rather than stopping the import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO

import orjson

from cdp.errors import InvalidInput
from cdp.ingest.columns import check_header, check_kind
from cdp.ingest.encodings import DEFAULT, decode

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
# A CSV row longer than the header keeps its extra values, in order, under this key.
EXTRA = "_extra"
_BOM = b"\xef\xbb\xbf"


@dataclass
class SourceRow:
    number: int
    values: dict[str, object] = field(default_factory=dict)
    error: str | None = None


@dataclass(frozen=True)
class Chunk:
    """Consecutive whole rows of a file as bytes.

    CSV chunks end where the count of quote characters since the file's first row
    is even: a newline inside a quoted field never ends one. That is exact for CSV
    as written by spreadsheets and RFC 4180 (quotes only around fields, doubled
    inside them); a stray quote in an unquoted field can at worst move a cut to a
    later newline, or make one malformed row read as two.
    """

    data: bytes
    lines_before: int  # physical lines of the file before ``data``, the header included
    header: tuple[str, ...] | None  # CSV column names; ``None`` for JSON Lines
    path: str  # for messages
    encoding: str = DEFAULT

    def halves(self) -> tuple[Chunk, Chunk]:
        """Two chunks of about half the rows each, cut at a row boundary."""
        data = self.data
        cut = data.find(b"\n", len(data) // 2) + 1
        if self.header is not None:
            while 0 < cut < len(data) and data.count(b'"', 0, cut) % 2:
                cut = data.find(b"\n", cut) + 1
        if cut <= 0:
            cut = len(data)
        head, tail = data[:cut], data[cut:]
        second = self.lines_before + head.count(b"\n")
        return Chunk(head, self.lines_before, self.header, self.path, self.encoding), Chunk(
            tail, second, self.header, self.path, self.encoding
        )


def is_jsonl(path: Path) -> bool:
    return path.suffix.lower() in JSONL_SUFFIXES


def _text(chunk: Chunk) -> str:
    return decode(chunk.data, chunk.path, chunk.encoding, chunk.lines_before + 1)


def check_decodes(chunk: Chunk) -> None:
    """``InvalidInput`` (naming the likely encoding) if the chunk is not in its encoding."""
    _text(chunk)


def _csv_rows(chunk: Chunk, header: tuple[str, ...]) -> Iterator[SourceRow]:
    reader = csv.reader(io.StringIO(_text(chunk), newline=""))
    width, before = len(header), chunk.lines_before
    for cells in reader:
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        values = _as_read(header, cells)
        error = None
        if len(cells) != width:
            error = f"expected {width} fields, found {len(cells)}"
        yield SourceRow(before + reader.line_num, values, error)


def _as_read(header: tuple[str, ...], cells: list[str]) -> dict[str, object]:
    """A row's values by column; values beyond the header are kept under ``EXTRA``."""
    values: dict[str, object] = dict(zip(header, cells, strict=False))
    if len(cells) > len(header):
        values[EXTRA] = cells[len(header) :]
    return values


def _jsonl_rows(chunk: Chunk) -> Iterator[SourceRow]:
    lines = io.StringIO(_text(chunk), newline="")
    for number, line in enumerate(lines, start=chunk.lines_before + 1):
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


def parse_chunk(chunk: Chunk) -> list[SourceRow]:
    """The rows of a chunk, blank lines skipped."""
    if chunk.header is None:
        return list(_jsonl_rows(chunk))
    return list(_csv_rows(chunk, chunk.header))


Readable = tuple[list[int], list[dict[str, object]], list[SourceRow]]


def split_chunk(chunk: Chunk) -> Readable:
    """A chunk's readable rows as line numbers and values, and its unreadable rows.

    The same rows as ``parse_chunk``, without an object per readable row: this is
    what a worker does with every row of a file.
    """
    if chunk.header is None:
        rows = parse_chunk(chunk)
        good = [r for r in rows if r.error is None]
        bad = [r for r in rows if r.error is not None]
        return [r.number for r in good], [r.values for r in good], bad
    header = chunk.header
    reader = csv.reader(io.StringIO(_text(chunk), newline=""))
    width, before = len(header), chunk.lines_before
    numbers: list[int] = []
    values: list[dict[str, object]] = []
    unreadable: list[SourceRow] = []
    for cells in reader:
        # A header has at least the two required columns, so a row of its width
        # is never a blank line.
        if len(cells) == width:
            numbers.append(before + reader.line_num)
            values.append(dict(zip(header, cells, strict=True)))
        elif cells and (len(cells) > 1 or cells[0].strip()):
            row = _as_read(header, cells)
            error = f"expected {width} fields, found {len(cells)}"
            unreadable.append(SourceRow(before + reader.line_num, row, error))
    return numbers, values, unreadable


def _whole_rows(f: IO[bytes], lines: list[bytes]) -> bytes:
    """``lines`` and, while a quoted field is still open, the lines that continue it."""
    odd = sum(line.count(b'"') for line in lines) % 2
    while odd:
        more = f.readline()
        if not more:
            break  # an unterminated quote: the CSV reader decides what the rest is
        lines.append(more)
        odd ^= more.count(b'"') % 2
    return b"".join(lines)


def _header(f: IO[bytes], kind: str, path: Path, encoding: str) -> tuple[tuple[str, ...], int]:
    """The checked column names, and how many lines they took."""
    first = f.readline()
    if not first:
        raise InvalidInput("the file is empty: a header row is expected")
    data = _whole_rows(f, [first])
    text = decode(data, str(path), encoding, 1)
    cells = next(csv.reader(io.StringIO(text, newline="")), [])
    header = tuple(h.strip().lower() for h in cells)
    check_header(kind, list(header))
    return header, data.count(b"\n")


def read_chunks(path: Path, kind: str, lines: int, encoding: str = DEFAULT) -> Iterator[Chunk]:
    """Chunks of about ``lines`` lines; the header is checked before the first is yielded.

    ``encoding`` must be one ``encodings.check_encoding`` accepts; the byte-order mark
    is skipped only for UTF-8.
    """
    check_kind(kind)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    name = str(path)
    with path.open("rb") as f:
        if encoding != DEFAULT or f.read(len(_BOM)) != _BOM:
            f.seek(0)
        header: tuple[str, ...] | None = None
        before = 0
        if not is_jsonl(path):
            header, before = _header(f, kind, path, encoding)
        while True:
            part = list(islice(f, lines))
            if not part:
                return
            data = b"".join(part) if header is None else _whole_rows(f, part)
            yield Chunk(data, before, header, name, encoding)
            before += data.count(b"\n")


def read_batches(
    path: Path, kind: str, batch_size: int, encoding: str = DEFAULT
) -> Iterator[list[SourceRow]]:
    """Batches of the rows of about ``batch_size`` lines each, parsed in this process."""
    for chunk in read_chunks(path, kind, batch_size, encoding):
        yield parse_chunk(chunk)


def csv_header(path: Path, kind: str, encoding: str = DEFAULT) -> list[str]:
    """The CSV header as the reader sees it (used for the rejects file's raw columns)."""
    if is_jsonl(path):
        return []
    first = next(read_chunks(path, kind, 1, encoding), None)
    if first is not None and first.header is not None:
        return list(first.header)
    with path.open("rb") as f:  # a header and no rows
        if encoding != DEFAULT or f.read(len(_BOM)) != _BOM:
            f.seek(0)
        return list(_header(f, kind, path, encoding)[0])
