from __future__ import annotations

from pathlib import Path

import pytest

from cdp.errors import InvalidInput
from cdp.ingest.readers import parse_chunk, read_batches, read_chunks, split_chunk


def test_jsonl_bad_lines_are_rows_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"source_key": "A", "name": "甲"}\n\n[1]\n{oops\n', encoding="utf-8")
    (batch,) = list(read_batches(path, "customers", 10))
    assert [(r.number, r.error is None) for r in batch] == [(1, True), (3, False), (4, False)]


def test_csv_bom_and_ragged_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("\ufeffSource_Key,Name\nA,甲\nB,乙,extra\n", encoding="utf-8")
    (batch,) = list(read_batches(path, "customers", 10))
    assert batch[0].values == {"source_key": "A", "name": "甲"}
    assert batch[1].error == "expected 2 fields, found 3"
    # Kept as read: the value beyond the header is not dropped.
    assert batch[1].values == {"source_key": "B", "name": "乙", "_extra": ["extra"]}


def _whole_file(path: Path) -> list[tuple[int, dict[str, object], str | None]]:
    (batch,) = list(read_batches(path, "customers", 10_000))
    return [(r.number, r.values, r.error) for r in batch]


def test_chunks_cut_only_between_rows(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = ["source_key,name,occupation"]
    for i in range(40):
        # Every third row has a quoted field running over two or three lines, with
        # doubled quotes inside, so many cuts fall inside a quoted field.
        tail = (
            f'"line one\nline ""two""{chr(10) + "three" if i % 2 else ""}"' if i % 3 == 0 else "x"
        )
        rows.append(f"K{i},名{i},{tail}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    whole = _whole_file(path)
    assert len(whole) == 40
    assert all(error is None for _, _, error in whole)
    assert whole[0][1]["occupation"] == 'line one\nline "two"'
    for lines in (1, 2, 3, 7):
        chunks = list(read_chunks(path, "customers", lines))
        assert [(r.number, r.values, r.error) for c in chunks for r in parse_chunk(c)] == whole
        halves = [h for c in chunks for h in c.halves()]
        assert [(r.number, r.values, r.error) for h in halves for r in parse_chunk(h)] == whole


def test_jsonl_chunks_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [f'{{"source_key": "K{i}", "name": "名"}}' if i % 4 else "" for i in range(30)]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    whole = _whole_file(path)
    assert [n for n, _, _ in whole] == [i + 1 for i in range(30) if i % 4]
    for size in (1, 4, 9):
        chunks = list(read_chunks(path, "customers", size))
        parsed = [(r.number, r.values, r.error) for c in chunks for r in parse_chunk(c)]
        assert parsed == whole
        halves = [h for c in chunks for h in c.halves()]
        assert [(r.number, r.values, r.error) for h in halves for r in parse_chunk(h)] == whole


def test_bad_utf8_in_a_later_chunk_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"source_key,name\nA,x\nB,\xff\xfe\n")
    chunks = read_chunks(path, "customers", 1)
    assert parse_chunk(next(chunks))[0].values == {"source_key": "A", "name": "x"}
    with pytest.raises(InvalidInput, match="is not UTF-8 text"):
        parse_chunk(next(chunks))


def test_split_chunk_sorts_the_rows_parse_chunk_reads(tmp_path: Path) -> None:
    csv_path = tmp_path / "c.csv"
    csv_path.write_text('source_key,name\nA,甲\n\n  \nB,乙,extra\n"C\nD",丙\nE\n', encoding="utf-8")
    jsonl_path = tmp_path / "c.jsonl"
    jsonl_path.write_text('{"source_key": "A", "name": "甲"}\n\n[1]\n{oops\n', encoding="utf-8")
    for path in (csv_path, jsonl_path):
        (chunk,) = list(read_chunks(path, "customers", 100))
        rows = parse_chunk(chunk)
        numbers, values, unreadable = split_chunk(chunk)
        assert numbers == [r.number for r in rows if r.error is None]
        assert values == [r.values for r in rows if r.error is None]
        assert unreadable == [r for r in rows if r.error is not None]
        assert unreadable
    assert split_chunk(next(read_chunks(csv_path, "customers", 100)))[0] == [2, 7]
