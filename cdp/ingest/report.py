"""How an import run and the merge list look on a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from cdp.ingest.merges import MergeRow, UndoResult
from cdp.ingest.runner import ImportReport


def render_import(report: ImportReport, console: Console) -> None:
    counts = report.summary()
    table = Table(title=f"import run {report.run_id}: {report.kind} from {report.source}")
    for column in counts:
        table.add_column(column, justify="right")
    table.add_row(
        *[f"[bold red]{v}[/]" if k == "rejected" and v else str(v) for k, v in counts.items()]
    )
    console.print(table)
    rate = report.read / report.seconds if report.seconds else 0.0
    console.print(f"{report.read} rows in {report.seconds:.2f}s ({rate:,.0f} rows/s)")
    for warning, n in sorted(report.warnings.items()):
        if n:
            console.print(f"[yellow]warning:[/] {n} row(s) {warning.replace('_', ' ')}")
    if report.switchboards:
        phones = ", ".join(sorted(report.switchboards)[:10])
        console.print(
            f"[yellow]switchboard phones (shared by too many people, not matched on):[/] "
            f"{len(report.switchboards)}: {phones}"
        )
    if counts["rejected"]:
        render_rejected(report, console)


def render_rejected(report: ImportReport, console: Console) -> None:
    table = Table(title=f"[bold red]{report.counts['rejected']} rejected row(s)[/]")
    for column in ("row", "source_key", "field", "code", "reason"):
        table.add_column(column)
    for it in report.rejected_sample:
        table.add_row(
            str(it.row_number), it.source_key or "", it.field or "", it.code or "", it.reason or ""
        )
    console.print(table)
    if report.counts["rejected"] > len(report.rejected_sample):
        console.print(f"(first {len(report.rejected_sample)} shown)")
    where = report.rejects_path or "the quarantine table"
    console.print(f"[bold red]rejected rows were kept in[/] {where} (and in quarantine)")


def render_merges(rows: Sequence[MergeRow], console: Console) -> None:
    table = Table(title="identity merges")
    for column in ("merge", "customer", "source", "source_key", "rule", "merged", "undone"):
        table.add_column(column)
    for m in rows:
        undone = ""
        if m.undone_at is not None:
            undone = f"{m.undone_at:%Y-%m-%d %H:%M} → customer {m.split_customer_no}"
        table.add_row(
            str(m.id), m.survivor_no, m.source, m.source_key, m.rule,
            f"{m.merged_at:%Y-%m-%d %H:%M}", undone,
        )  # fmt: skip
    console.print(table)


def render_undo(result: UndoResult, console: Console) -> None:
    moved = ", ".join(f"{n} {kind}" for kind, n in result.moved.items() if n) or "nothing"
    console.print(
        f"merge {result.merge_id} undone: the record is now customer "
        f"{result.split_customer_no}; customer {result.survivor_no} recomputed; moved {moved}"
    )
