"""Files in another encoding: named, refused with the fix, or read when told."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from cdp.db.engine import Database
from cdp.errors import InvalidInput
from cdp.ingest.encodings import check_encoding
from cdp.ingest.runner import import_file
from cdp.ingest.runs import held_run, reap_abandoned

MakeDb = Callable[[], Awaitable[Database]]
ROWS = "source_key,name,city\nG1,张三,上海市\nG2,李四,北京市\n"


async def _import(db: Database, path: Path, **options: object) -> object:
    return await import_file(
        db, path, source="crm", kind="customers", rejects_path=None, progress=None,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


async def test_gbk_is_named_and_read_when_told(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(ROWS.encode("gbk"))
    with pytest.raises(InvalidInput) as refused:
        await _import(db, path)
    message = str(refused.value)
    assert "is not UTF-8 text (line 2" in message
    assert "GBK" in message
    assert "--encoding gbk" in message
    assert "iconv -f GB18030 -t UTF-8" in message
    async with db.write_session() as session:
        # Refused before a run was recorded.
        assert (await session.execute(text("SELECT count(*) FROM import_run"))).scalar() == 0
    report = await _import(db, path, encoding="gbk")
    assert report.summary()["created"] == 2  # type: ignore[attr-defined]
    async with db.write_session() as session:
        names = (await session.execute(text("SELECT name FROM customer ORDER BY name"))).scalars()
        assert sorted(names) == sorted(["张三", "李四"])


def test_encodings_that_cannot_be_cut_as_bytes_are_refused() -> None:
    assert check_encoding("GBK") == "gbk"
    with pytest.raises(InvalidInput, match="not supported for imports"):
        check_encoding("utf-16")
    with pytest.raises(InvalidInput, match="unknown encoding"):
        check_encoding("klingon")


async def test_a_later_chunk_that_does_not_decode_fails_the_run(
    fresh_database: MakeDb, tmp_path: Path
) -> None:
    # Two batches, so the second is decoded in a worker process after the run began.
    db = await fresh_database()
    path = tmp_path / "mixed.csv"
    path.write_bytes(ROWS.encode() + "G3,王五,杭州市\n".encode("gbk"))
    with pytest.raises(InvalidInput, match="line 4"):
        await _import(db, path, batch_size=2)
    async with db.write_session() as session:
        status = (await session.execute(text("SELECT status FROM import_run"))).scalar_one()
    assert status == "failed"


async def test_a_run_whose_process_died_is_marked_failed(
    fresh_database: MakeDb, tmp_path: Path
) -> None:
    db = await fresh_database()
    async with db.write_session() as session:
        # What a killed import leaves: a running run no process holds.
        await session.execute(
            text("INSERT INTO import_run (source, kind, origin) VALUES ('crm', 'customers', 'x')")
        )
    path = tmp_path / "ok.csv"
    path.write_text(ROWS, encoding="utf-8")
    await _import(db, path)
    async with db.write_session() as session:
        rows = (
            await session.execute(text("SELECT status, counts FROM import_run ORDER BY id"))
        ).all()
    assert [r[0] for r in rows] == ["failed", "completed"]
    assert rows[0][1] == {"abandoned": 1}


async def test_a_run_in_progress_is_left_alone(fresh_database: MakeDb) -> None:
    db = await fresh_database()
    async with held_run(db, "crm", "customers", "busy.csv") as run_id:
        assert await reap_abandoned(db) == []
    assert await reap_abandoned(db) == [run_id]
