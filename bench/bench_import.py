"""Customer import throughput: ``import_file`` end to end against a plain COPY.

Generates N customer rows (deterministic, valid ID numbers, some noise in
spellings), writes them as CSV, imports them into a fresh database and, in the
same run, COPYs the same rows into a scratch table as the floor. Creates and drops
its own database on the server named by ``CDP_BENCH_DATABASE_URL``.

    .venv/bin/python bench/bench_import.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.table import Table
from scratch import plain_dsn, scratch_database
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.idcard import make_number

HEADER = [
    "source_key", "name", "gender", "birth_date", "id_type", "id_number", "phone", "email",
    "province", "city", "occupation", "annual_income", "risk_level", "risk_assessed_at",
    "investor_class", "advisor_no", "branch", "onboarded_at", "updated_at",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
CITIES = [
    ("上海市", "上海市", "310101"),
    ("北京市", "北京市", "110101"),
    ("广东省", "深圳市", "440305"),
]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i in range(rows):
            birth = date(1950, 1, 1) + timedelta(days=rnd.randrange(20_000))
            province, city, region = CITIES[i % 3]
            male = rnd.random() < 0.5
            number = make_number(region, birth, (i % 500) * 2 + (1 if male else 0))
            phone = f"1{rnd.choice('3589')}{rnd.randrange(10**9):09d}"
            w.writerow([
                f"K{i:08d}",
                rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN),
                rnd.choice(["男", "M", "1"]) if male else rnd.choice(["女", "F", "2"]),
                birth.strftime(rnd.choice(["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d"])),
                "身份证",
                number.lower() if i % 10 == 0 else number,
                rnd.choice([phone, f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}", f"0086{phone}"]),
                f"u{i}@example.com",
                province,
                city,
                rnd.choice(["教师", "工程师", "医生", "个体经营", ""]),
                rnd.choice([f"{rnd.randrange(5, 500)}万", f"{rnd.randrange(50_000, 5_000_000):,}"]),
                f"C{rnd.randrange(1, 6)}",
                "2024-03-01",
                rnd.choice(["普通", "专业"]),
                "",
                f"{city}分行",
                "2020-01-01 09:00:00",
                "2024-06-01T10:00:00+08:00",
            ])  # fmt: skip


async def main(rows: int) -> None:
    os.environ.setdefault("CDP_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    from cdp.db.engine import Database
    from cdp.ingest import import_file

    async with scratch_database() as url:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "customers.csv"
            generate(path, rows)
            db = Database(create_async_engine(url, pool_size=2))
            try:
                t0 = time.perf_counter()
                report = await import_file(
                    db, path, source="core_banking", kind="customers", rejects_path=None,
                    progress=None,
                )  # fmt: skip
                ours = time.perf_counter() - t0
            finally:
                await db.dispose()
            conn = await asyncpg.connect(plain_dsn(url))
            try:
                cols = ", ".join(f"{c} text" for c in HEADER)
                await conn.execute(f"CREATE TABLE scratch ({cols})")
                t0 = time.perf_counter()
                with path.open("rb") as f:
                    await conn.copy_to_table("scratch", source=f, format="csv", header=True)
                copy = time.perf_counter() - t0
                customers = await conn.fetchval("SELECT count(*) FROM customer")
            finally:
                await conn.close()

    table = Table(title=f"customer import, {rows:,} rows")
    for c in ("method", "rows", "seconds", "rows/s", "ratio to COPY"):
        table.add_column(c, justify="right")
    table.add_row("COPY into text table", f"{rows:,}", f"{copy:.2f}", f"{rows / copy:,.0f}", "1.0")
    table.add_row(
        "cdp import_file", f"{rows:,}", f"{ours:.2f}", f"{rows / ours:,.0f}", f"{ours / copy:.1f}"
    )
    Console().print(table)
    Console().print(f"counts: {report.summary()}; golden customers: {customers:,}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().rows))
