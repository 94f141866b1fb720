"""Import runs, the quarantine and merges from the command line, by customer number."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from cdp.cli import app
from cdp.config import get_settings
from cdp.db.migrate import upgrade
from tests.conftest import DatabaseFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


@pytest.fixture
async def migrated_url(database_factory: DatabaseFactory) -> str:
    url = await database_factory.create("cdp_cli")
    await upgrade(url)
    return url


@pytest.fixture
def cli(migrated_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[CliRunner]:
    monkeypatch.setenv("CDP_DATABASE_URL", migrated_url)
    monkeypatch.setenv("CDP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "250")  # tables unwrapped, so rows can be read back
    get_settings.cache_clear()
    yield runner
    monkeypatch.undo()
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _row_of(output: str, first_cell: str) -> list[str]:
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell!r} in\n{output}")


def test_reimport_quarantines_nothing_twice(cli: CliRunner, tmp_path: Path) -> None:
    path = str(EXAMPLES / "customers_core_banking.csv")
    for _ in range(2):
        _ok("import", path, "--source", "core_banking")
    listed = _ok("quarantine", "list", "--limit", "100")
    ids = re.findall(r"^│ (\d+) +│", listed, flags=re.M)
    assert len(ids) == 5  # the file's five bad rows, once
    runs = _ok("import", "runs")
    assert _row_of(runs, "1")[3] == "completed"
    assert "rejected 5" in _row_of(runs, "2")[6]
    # A changed row is new content: quarantined again.
    changed = tmp_path / "changed.csv"
    lines = (EXAMPLES / "customers_core_banking.csv").read_text(encoding="utf-8").splitlines()
    header, bad = lines[0], next(line for line in lines if line.startswith("CB008"))
    changed.write_text(f"{header}\n{bad.replace('12345', '123456')}\n", encoding="utf-8")
    _ok("import", str(changed), "--source", "core_banking")
    assert len(re.findall(r"^│ (\d+) +│", _ok("quarantine", "list"), flags=re.M)) == 6


def _execute(url: str, sql: str) -> None:
    async def go() -> None:
        conn = await asyncpg.connect(
            make_url(url).set(drivername="postgresql").render_as_string(False)
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(go())


def test_show_and_retry_resolve_a_row_once_its_product_exists(
    cli: CliRunner, migrated_url: str
) -> None:
    _ok("import", str(EXAMPLES / "customers_core_banking.csv"), "--source", "core_banking")
    _ok("import", str(EXAMPLES / "holdings.csv"), "--source", "core_banking", "--kind", "holdings")
    listed = _ok("quarantine", "list", "--source", "core_banking")
    # CB001's FUND001 holding waits for its product (the file's line 2).
    rows = [[c.strip() for c in line.strip("│ ").split("│")] for line in listed.splitlines()]
    [first] = [r[0] for r in rows if len(r) == 8 and r[4] == "2" and r[6] == "unknown_product"]
    shown = _ok("quarantine", "show", first)
    assert "FUND001" in shown
    assert "code: unknown_product" in shown
    assert _row_of(_ok("quarantine", "retry", first), first)[1] == "rejected"
    assert _row_of(_ok("quarantine", "list"), first)  # still waiting, once
    _execute(
        migrated_url,
        "INSERT INTO product (code, name, category, risk_rating, launched_at) "
        "VALUES ('FUND001', '稳健一号', 'mutual_fund', 3, '2023-01-01')",
    )
    assert _row_of(_ok("quarantine", "retry", first), first)[1] == "created"
    assert first not in re.findall(r"^│ (\d+) +│", _ok("quarantine", "list"), flags=re.M)
    assert _row_of(_ok("quarantine", "list", "--resolved"), first)
    again = _ok("quarantine", "retry", first)
    assert _row_of(again, first)[1:] == ["not_retried", "already resolved"]
    missing = runner.invoke(app, ["quarantine", "show", "999999"])
    assert missing.exit_code == 3
    assert "no quarantined row 999999" in missing.output


def test_merges_list_by_customer_number(cli: CliRunner) -> None:
    _ok("import", str(EXAMPLES / "customers_core_banking.csv"), "--source", "core_banking")
    _ok("import", str(EXAMPLES / "customers_crm.jsonl"), "--source", "crm")
    listed = _ok("merges", "list")
    numbers = set(re.findall(r"\b[GC]\d{10}\b", listed))
    assert numbers
    number = sorted(numbers)[0]
    mine = _ok("merges", "list", "--customer", number)
    assert number in mine
    assert set(re.findall(r"\b[GC]\d{10}\b", mine)) == {number}
    merge_id = re.findall(r"^│ (\d+) +│", mine, flags=re.M)[0]
    undone = _ok("merges", "undo", merge_id)
    assert re.search(rf"customer {number} recomputed", undone)
    assert re.search(r"is now customer G\d{10}", undone)
    unknown = runner.invoke(app, ["merges", "list", "--customer", "C9999999999"])
    assert unknown.exit_code == 3
    assert "no customer C9999999999" in unknown.output
