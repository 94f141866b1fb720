from __future__ import annotations

from pathlib import Path

from cdp.ingest.readers import read_batches


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
