from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from cdp.db.engine import Database
from cdp.errors import InvalidInput
from cdp.ingest import import_file
from cdp.ingest.merges import undo_merge

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = "甲乙丙丁戊己庚辛壬癸"
MakeDb = Callable[[], Awaitable[Database]]


async def _count(db: Database, sql: str) -> int:
    async with db.read_session() as s:
        return int((await s.execute(text(sql))).scalar() or 0)


async def _imp(db: Database, name: str, source: str, kind: str, rejects: Path | None = None):  # type: ignore[no-untyped-def]
    return await import_file(
        db, EXAMPLES / name, source=source, kind=kind, rejects_path=rejects, progress=None
    )


async def _seed_product(db: Database) -> None:
    async with db.write_session() as s:
        await s.execute(
            text(
                "INSERT INTO product (code, name, category, risk_rating, launched_at) "
                "VALUES ('FUND001', '稳健一号', 'mutual_fund', 3, '2023-01-01')"
            )
        )


async def test_examples_end_to_end(fresh_database: MakeDb, tmp_path: Path) -> None:
    db = await fresh_database()
    await _seed_product(db)
    rejects = tmp_path / "rejects.csv"
    core = await _imp(db, "customers_core_banking.csv", "core_banking", "customers", rejects)
    assert core.summary() == {
        "read": 8,
        "created": 3,
        "updated": 0,
        "merged": 0,
        "unchanged": 0,
        "rejected": 5,
    }
    with rejects.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["reject_row"], r["reject_code"]) for r in rows] == [
        ("5", "id_number_checksum"),
        ("6", "id_birth_date_mismatch"),
        ("7", "required"),
        ("8", "gender_invalid"),
        ("9", "phone_invalid"),
    ]
    assert rows[0]["name"] == "赵六"  # the raw row follows
    crm = await _imp(db, "customers_crm.jsonl", "crm", "customers")
    assert crm.summary()["merged"] == 3
    assert crm.summary()["rejected"] == 3
    assert await _count(db, "SELECT count(*) FROM customer") == 3
    assert await _count(db, "SELECT count(*) FROM quarantine") == 8
    for name, kind, ok, bad in [
        ("holdings.csv", "holdings", 2, 2),
        ("transactions.csv", "transactions", 2, 2),
        ("events.jsonl", "events", 2, 1),
        ("consents.csv", "consents", 3, 1),
    ]:
        report = await _imp(db, name, "core_banking", kind)
        assert (report.counts["created"], report.counts["rejected"]) == (ok, bad), name
    assert await _count(db, "SELECT count(*) FROM consent WHERE NOT granted") == 1
    assert await _count(db, "SELECT count(*) FROM consent_event") == 3

    # A second run of every file changes nothing.
    again = await _imp(db, "customers_core_banking.csv", "core_banking", "customers")
    assert again.summary()["unchanged"] == 3
    for name, kind in [
        ("holdings.csv", "holdings"),
        ("transactions.csv", "transactions"),
        ("events.jsonl", "events"),
        ("consents.csv", "consents"),
    ]:
        report = await _imp(db, name, "core_banking", kind)
        assert report.counts["created"] + report.counts["updated"] == 0, name
    status = await _count(db, "SELECT count(*) FROM import_run WHERE status = 'completed'")
    assert status == 11


async def test_undo_splits_record_and_moves_its_rows(fresh_database: MakeDb) -> None:
    db = await fresh_database()
    await _seed_product(db)
    await _imp(db, "customers_core_banking.csv", "core_banking", "customers")
    await _imp(db, "customers_crm.jsonl", "crm", "customers")
    (tmp := Path(EXAMPLES.parent / ".cdp-test-tx.csv"))
    tmp.write_text(
        "source_key,customer_key,product_code,kind,amount,channel,occurred_at\n"
        "X1,CRM-1,FUND001,申购,100,app,2024-05-01\n",
        encoding="utf-8",
    )
    try:
        await import_file(
            db, tmp, source="crm", kind="transactions", rejects_path=None, progress=None
        )
    finally:
        tmp.unlink()
    async with db.read_session() as s:
        merge_id, survivor = (
            await s.execute(
                text(
                    "SELECT m.id, m.survivor_id FROM identity_merge m JOIN source_record r "
                    "ON r.id = m.source_record_id WHERE r.source_key = 'CRM-1'"
                )
            )
        ).one()
    async with db.write_session() as s:
        result = await undo_merge(s, merge_id)
    assert result.moved["transactions"] == 1
    assert await _count(db, "SELECT count(*) FROM customer") == 4
    assert (
        await _count(
            db, f'SELECT count(*) FROM "transaction" WHERE customer_id = {result.split_customer_id}'
        )
        == 1
    )
    occupation = await _scalar(db, f"SELECT occupation FROM customer WHERE id = {survivor}")
    assert occupation == "工程师"


async def _scalar(db: Database, sql: str) -> object:
    async with db.read_session() as s:
        return (await s.execute(text(sql))).scalar()


async def test_failed_batch_leaves_nothing_half_written(
    fresh_database: MakeDb, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await fresh_database()
    path = tmp_path / "c.csv"
    path.write_text("source_key,name\n" + "".join(f"K{i},客户{c}\n" for i, c in enumerate(NAMES)))
    import cdp.ingest.customer_store as store

    async def boom(*_: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(store, "insert_merges", boom)
    with pytest.raises(RuntimeError):
        await import_file(
            db, path, source="crm", kind="customers", rejects_path=None, progress=None, batch_size=4
        )
    assert await _count(db, "SELECT count(*) FROM customer") == 0
    assert await _count(db, "SELECT count(*) FROM source_record") == 0
    assert await _count(db, "SELECT count(*) FROM import_run WHERE status = 'failed'") == 1
    monkeypatch.undo()
    report = await import_file(
        db, path, source="crm", kind="customers", rejects_path=None, progress=None, batch_size=4
    )
    assert report.counts["created"] == 10


async def test_missing_columns_are_listed(fresh_database: MakeDb, tmp_path: Path) -> None:
    db = await fresh_database()
    path = tmp_path / "bad.csv"
    path.write_text("\ufeffid,phone\n1,13800138000\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="source_key, name"):
        await import_file(
            db, path, source="crm", kind="customers", rejects_path=None, progress=None
        )
    with pytest.raises(InvalidInput, match="unknown kind"):
        await import_file(db, path, source="crm", kind="people", rejects_path=None, progress=None)


async def test_batches_prepared_in_a_worker_give_the_same_results(
    fresh_database: MakeDb, tmp_path: Path
) -> None:
    outcomes = []
    for batch_size in (100, 2):  # one batch in-process; several through the worker
        db = await fresh_database()
        seen: list[object] = []
        for name, source in (("customers_core_banking.csv", "core_banking"),
                             ("customers_crm.jsonl", "crm")):  # fmt: skip
            report = await import_file(
                db, EXAMPLES / name, source=source, kind="customers",
                rejects_path=tmp_path / f"{batch_size}-{source}.csv", progress=None,
                batch_size=batch_size,
            )  # fmt: skip
            seen += [report.summary(), [(i.row_number, i.code) for i in report.rejected_sample]]
        seen.append(await _count(db, "SELECT count(DISTINCT customer_id) FROM source_record"))
        # Rejected rows quote their raw values, which the worker path parses again
        # in the writing process on demand.
        seen += [(tmp_path / f"{batch_size}-{s}.csv").read_text() for s in ("core_banking", "crm")]
        outcomes.append(seen)
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][-3] == 3
    assert "id_number_checksum" in str(outcomes[0][-2])
