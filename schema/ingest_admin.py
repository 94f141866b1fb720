"""``importRuns`` and ``quarantinedRows``: what ingestion did, for administrators.

The same reads as ``cdp import runs`` and ``cdp quarantine list``. Whoever the
policy shows no field of the type is refused outright (``FORBIDDEN``), like the
audit log; the default policy grants them to ``admin`` only.
"""

from __future__ import annotations

from typing import Annotated

import orjson
import strawberry
from strawberry.types.base import get_object_definition

from cdp.errors import Forbidden, InvalidInput
from cdp.ingest.quarantined import QuarantinedRow as Quarantined
from cdp.ingest.quarantined import list_quarantined
from cdp.ingest.runs import RunRow, list_runs
from schema.types.import_run import ImportCount, ImportRun
from schema.types.info import Info
from schema.types.quarantined_row import QuarantinedRow

_MAX = 100


def _require(info: Info, type_: type) -> None:
    policy = info.context.policy
    name = get_object_definition(type_, strict=True).name
    fields = [f.python_name for f in get_object_definition(type_, strict=True).fields]
    if not any(policy.wants(name, f) for f in fields):
        raise Forbidden(f"only administrators may read {name}")


def _run(row: RunRow, info: Info) -> ImportRun:
    policy = info.context.policy
    counts = [
        ImportCount(**policy.project("ImportCount", {"name": k, "value": int(v)}))
        for k, v in sorted(row.counts.items())
    ]
    values = {
        "id": strawberry.ID(str(row.id)), "source": row.source, "kind": row.kind,
        "origin": row.origin, "status": row.status, "started_at": row.started_at,
        "finished_at": row.finished_at, "counts": counts,
    }  # fmt: skip
    return ImportRun(**policy.project("ImportRun", values))


def _quarantined(row: Quarantined, info: Info) -> QuarantinedRow:
    run = row.import_run_id
    values = {
        "id": strawberry.ID(str(row.id)),
        "import_run_id": strawberry.ID(str(run)) if run is not None else None,
        "source": row.source, "kind": row.kind, "row_number": row.row_number,
        "source_key": row.source_key, "field": row.field, "reason_code": row.reason_code,
        "reason": row.reason, "payload": orjson.dumps(row.payload).decode(),
        "quarantined_at": row.created_at, "resolved_at": row.resolved_at,
    }  # fmt: skip
    return QuarantinedRow(**info.context.policy.project("QuarantinedRow", values))


First = Annotated[int, strawberry.argument(description=f"At most this many (1–{_MAX}).")]


@strawberry.type
class IngestAdminQueryMixin:
    @strawberry.field(description="Import runs, newest first (administrators only).")
    async def import_runs(
        self,
        info: Info,
        source: Annotated[
            str | None, strawberry.argument(description="Only runs of this source.")
        ] = None,
        first: First = 20,
    ) -> list[ImportRun]:
        _require(info, ImportRun)
        ctx = info.context
        _check_first(first)
        if source is not None:
            ctx.policy.require_filter("ImportRun", ["source"])
        async with ctx.lock:
            rows = await list_runs(ctx.session, first, source)
        return [_run(r, info) for r in rows]

    @strawberry.field(
        description="Rejected rows in quarantine, newest first (administrators only)."
    )
    async def quarantined_rows(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Only rows of this import run.")
        ] = None,
        source: Annotated[
            str | None, strawberry.argument(description="Only rows of this source.")
        ] = None,
        include_resolved: Annotated[
            bool, strawberry.argument(description="Also rows a retry has resolved.")
        ] = False,
        first: First = 50,
    ) -> list[QuarantinedRow]:
        _require(info, QuarantinedRow)
        ctx = info.context
        _check_first(first)
        used = [name for name, v in (("importRunId", run_id), ("source", source)) if v is not None]
        if include_resolved:
            used.append("resolvedAt")
        ctx.policy.require_filter("QuarantinedRow", used)
        run = _run_number(run_id)
        async with ctx.lock:
            rows = await list_quarantined(
                ctx.session, run_id=run, source=source, include_resolved=include_resolved,
                limit=first,
            )  # fmt: skip
        return [_quarantined(r, info) for r in rows]


def _check_first(first: int) -> None:

    if not 1 <= first <= _MAX:
        raise InvalidInput(f"first must be between 1 and {_MAX}", argument="first")


def _run_number(run_id: strawberry.ID | None) -> int | None:

    if run_id is None:
        return None
    if not str(run_id).isdigit():
        raise InvalidInput(f"runId: {run_id!r} is not an import run number", argument="runId")
    return int(run_id)
