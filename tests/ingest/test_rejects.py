"""The rejects file keeps each rejected row as it was read, under distinct lead columns."""

from __future__ import annotations

import csv
from pathlib import Path

from cdp.db.engine import Database
from cdp.ingest.runner import import_file


async def test_rejected_rows_are_kept_as_read(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "source_key,name,phone\nA,张三,13800138000\nB,李四,13900139000,surplus,more\nC,王五,123\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    report = await import_file(
        db, source, source="crm", kind="customers", rejects_path=rejects, progress=None
    )
    assert report.summary()["rejected"] == 2
    with rejects.open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert len(header) == len(set(header))
    assert header[5:] == ["source_key", "name", "phone"]
    assert rows[0][:2] == ["3", "B"]
    assert rows[0][5:] == ["B", "李四", "13900139000", "surplus", "more"]
    assert rows[1][:4] == ["4", "C", "phone", "phone_invalid"]
    assert rows[1][5:] == ["C", "王五", "123"]
