"""``importRuns`` and ``quarantinedRows`` over HTTP: what imports left, for admins only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from cdp.db.engine import Database
from cdp.ingest.runner import import_file
from tests.conftest import AppClient

RUNS = """query($source: String) { importRuns(source: $source, first: 5) {
  id source kind origin status startedAt finishedAt counts { name value } } }"""
ROWS = """query($run: ID) { quarantinedRows(runId: $run, first: 10) {
  id importRunId source kind rowNumber sourceKey field reasonCode reason payload
  quarantinedAt resolvedAt } }"""


async def _import(db: Database, tmp_path: Path) -> int:
    path = tmp_path / "in.csv"
    path.write_text(
        "source_key,name,phone,extra\nA,张三,13800138000,x\nB,李四,123,y,surplus\n",
        encoding="utf-8",
    )
    report = await import_file(
        db, path, source="crm", kind="customers", rejects_path=None, progress=None
    )
    return report.run_id


async def _data(client: httpx.AsyncClient, query: str, **variables: object) -> dict[str, Any]:
    body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


async def test_admin_reads_runs_and_quarantine(
    client: httpx.AsyncClient, db: Database, tmp_path: Path
) -> None:
    run_id = await _import(db, tmp_path)
    [run] = (await _data(client, RUNS, source="crm"))["importRuns"]
    assert run["id"] == str(run_id)
    assert (run["status"], run["kind"], run["origin"]) == (
        "completed",
        "customers",
        str(tmp_path / "in.csv"),
    )
    counts = {c["name"]: c["value"] for c in run["counts"]}
    assert (counts["read"], counts["created"], counts["rejected"]) == (2, 1, 1)
    [row] = (await _data(client, ROWS, run=str(run_id)))["quarantinedRows"]
    assert row["importRunId"] == str(run_id)
    assert (row["rowNumber"], row["sourceKey"]) == (3, "B")
    assert row["resolvedAt"] is None
    # The row as read, its surplus value included.
    assert json.loads(row["payload"]) == {
        "source_key": "B", "name": "李四", "phone": "123", "extra": "y", "_extra": ["surplus"],
    }  # fmt: skip


async def test_other_roles_are_refused(app_client: AppClient) -> None:
    async with app_client(roles=["auditor"]) as auditor:
        for query in (RUNS, ROWS):
            body = (await auditor.post("/graphql", json={"query": query})).json()
            assert body["data"] is None
            [error] = body["errors"]
            assert error["extensions"]["code"] == "FORBIDDEN"


async def test_bad_arguments_are_bad_user_input(client: httpx.AsyncClient) -> None:
    for query in (
        "{ importRuns(first: 0) { id } }",
        "{ quarantinedRows(first: 101) { id } }",
        '{ quarantinedRows(runId: "nope") { id } }',
    ):
        body = (await client.post("/graphql", json={"query": query})).json()
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", query
