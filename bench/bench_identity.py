"""Identity resolution quality: pairwise precision and recall against ground truth.

Imports a ``core_banking`` and a ``crm`` customer file into a fresh database and
compares the resulting golden customers with ``truth.csv`` (source, source_key,
person_id). A pair of records is predicted same-person when both resolved to one
customer; rejected records count as unmatched. Without file arguments, the
generator's source-file writer (``cdp.seed``) is run into a temporary directory.

    .venv/bin/python bench/bench_identity.py [--people 10000]
    .venv/bin/python bench/bench_identity.py CORE.csv CRM.csv TRUTH.csv
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import importlib
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from scratch import scratch_database
from sqlalchemy.ext.asyncio import create_async_engine


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def score(truth: dict[tuple[str, str], str], got: dict[tuple[str, str], int]) -> dict[str, float]:
    """Pairwise precision/recall via cluster sizes (no pair enumeration)."""
    cells: Counter[tuple[int, str]] = Counter()
    predicted: Counter[int] = Counter()
    actual: Counter[str] = Counter()
    for n, (record, person) in enumerate(truth.items()):
        customer = got.get(record, -1 - n)  # rejected: a singleton of its own
        cells[(customer, person)] += 1
        predicted[customer] += 1
        actual[person] += 1
    tp = sum(pairs(c) for c in cells.values())
    pp = sum(pairs(c) for c in predicted.values())
    ap = sum(pairs(c) for c in actual.values())
    return {
        "true pairs": ap,
        "predicted pairs": pp,
        "correct pairs": tp,
        "precision": tp / pp if pp else 1.0,
        "recall": tp / ap if ap else 1.0,
    }


def generated_files(out: Path, people: int) -> tuple[Path, Path, Path]:
    try:
        sources = importlib.import_module("cdp.seed.sources")
    except ImportError:
        sys.exit("cdp.seed is not available: run `cdp seed-sources DIR` and pass the three files")
    written = sources.write_source_files(out, people=people)
    return written.paths["core_banking"], written.paths["crm"], written.paths["truth"]


async def main(args: argparse.Namespace) -> None:
    os.environ.setdefault("CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    from cdp.db.engine import Database
    from cdp.ingest import import_file

    with tempfile.TemporaryDirectory() as tmp:
        if args.files:
            core, crm, truth_path = (Path(p) for p in args.files)
        else:
            core, crm, truth_path = generated_files(Path(tmp), args.people)
        with truth_path.open(encoding="utf-8") as f:
            truth = {(r["source"], r["source_key"]): r["person_id"] for r in csv.DictReader(f)}
        async with scratch_database() as url:
            db = Database(create_async_engine(url, pool_size=2))
            reports = []
            try:
                for path, source in ((core, "core_banking"), (crm, "crm")):
                    t0 = time.perf_counter()
                    report = await import_file(
                        db, path, source=source, kind="customers", rejects_path=None,
                        progress=None,
                    )  # fmt: skip
                    reports.append((source, report, time.perf_counter() - t0))
                async with db.read_session() as s:
                    conn = await s.connection()
                    rows: Sequence[Any] = (
                        await conn.exec_driver_sql(
                            "SELECT source, source_key, customer_id FROM source_record"
                        )
                    ).all()
            finally:
                await db.dispose()

    console = Console()
    runs = Table(title="imports")
    for column in ("source", "read", "created", "merged", "rejected", "seconds"):
        runs.add_column(column, justify="right")
    for source, report, secs in reports:
        counts = report.summary()
        runs.add_row(source, *(str(counts[k]) for k in ("read", "created", "merged", "rejected")),
                     f"{secs:.2f}")  # fmt: skip
    console.print(runs)
    got = {(r[0], r[1]): int(r[2]) for r in rows}
    result = score(truth, got)
    table = Table(title="pairwise identity resolution vs truth")
    for column in ("true pairs", "predicted pairs", "correct pairs", "precision", "recall"):
        table.add_column(column, justify="right")
    table.add_row(
        *(str(result[k]) for k in ("true pairs", "predicted pairs", "correct pairs")),
        f"{result['precision']:.4f} (target ≥ 0.99)",
        f"{result['recall']:.4f} (target ≥ 0.95)",
    )
    console.print(table)
    for source, report, _ in reports:
        if report.switchboards:
            console.print(f"{source}: switchboard phones {sorted(report.switchboards)}")
        if report.rejected_sample:
            codes = Counter(i.code for i in report.rejected_sample)
            console.print(f"{source}: rejected (sample) {dict(codes)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", help="core_banking.csv crm.csv truth.csv")
    parser.add_argument("--people", type=int, default=10_000)
    ns = parser.parse_args()
    if ns.files and len(ns.files) != 3:
        parser.error("pass exactly three files: core_banking.csv crm.csv truth.csv")
    asyncio.run(main(ns))
