"""The rejects file: each rejected row as it was read, under distinct lead columns,
and readable by its owner only, since it holds source rows verbatim."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdp.db.engine import Database
from cdp.ingest.rejects import RejectsWriter
from cdp.ingest.results import ItemResult
from cdp.ingest.runner import import_file

ROW = {"name": "张三", "id_number": "310101198503120013", "phone": "13912345678"}


@pytest.fixture
def open_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable (and writable)."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _write(path: Path) -> None:
    writer = RejectsWriter(path, list(ROW))
    writer.write([ItemResult(1, "rejected", "A", code="phone_invalid", reason="bad", raw=ROW)])
    writer.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_a_new_rejects_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "rejects" / "crm.csv"
    _write(path)
    assert _mode(path) == 0o600
    with path.open(encoding="utf-8") as f:
        assert next(csv.DictReader(f))["id_number"] == ROW["id_number"]


@pytest.mark.usefixtures("open_umask")
def test_an_existing_rejects_file_is_narrowed_and_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("old contents\n" * 10)
    path.chmod(0o644)
    _write(path)
    assert _mode(path) == 0o600
    assert "old contents" not in path.read_text(encoding="utf-8")


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
