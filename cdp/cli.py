"""The ``cdp`` command line: serve, migrate, seed, import, and the one-command demo.

A composition root like ``cdp/app.py``: domain packages contribute their commands,
this module only assembles them.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from cdp.auth.commands import demo_key, keys_app, tokens_app
from cdp.auth.mint import demo_secret, mint
from cdp.config import get_settings
from cdp.db import migrate
from cdp.db.engine import database_url
from cdp.exports.commands import segments_app
from cdp.http.workers import StartupError
from cdp.http.workers import serve as serve_workers
from cdp.ingest.admin_commands import import_app, quarantine_app
from cdp.ingest.commands import merges_app
from cdp.logging import configure_logging
from cdp.runtime import open_database, run_command
from cdp.seed.commands import seed, seed_sources
from graph.commands import graph_app
from graph.communities import communities, label
from graph.state import build_state, snapshot_dir, write_state
from policies.audit.commands import audit_app
from policies.commands import check as policy_check
from tagging.commands import load_library, run_tags_once, tags_app
from tagging.worker import full_run_due

app = typer.Typer(
    help="cdp: customer-data platform for wealth-management firms.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
policy_app = typer.Typer(help="Field-level permission policies.", no_args_is_help=True)
policy_app.command("check")(policy_check)
app.add_typer(policy_app, name="policy")
app.add_typer(merges_app, name="merges")
app.add_typer(keys_app, name="keys")
app.add_typer(tokens_app, name="tokens")
app.add_typer(audit_app, name="audit")
app.add_typer(graph_app, name="graph")
app.add_typer(tags_app, name="tags")
app.add_typer(segments_app, name="segments")
app.command("seed", help="Fill an empty database with a deterministic demo data set.")(seed)
app.command("seed-sources", help="Write two source-system files with planted duplicates.")(
    seed_sources
)
app.add_typer(import_app, name="import")
app.add_typer(quarantine_app, name="quarantine")

console = Console()


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Migrate the database up to REVISION (default: the newest)."""

    async def go() -> str | None:
        url = database_url(get_settings())
        await migrate.upgrade(url, revision)
        return await migrate.current(url)

    console.print(f"database at revision [bold]{run_command(go())}[/]")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Migrate the database down to REVISION."""

    async def go() -> str | None:
        url = database_url(get_settings())
        await migrate.downgrade(url, revision)
        return await migrate.current(url)

    console.print(f"database at revision [bold]{run_command(go()) or 'base (empty)'}[/]")


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one available."""
    current = run_command(migrate.current(database_url(get_settings())))
    head = migrate.head()
    state = "up to date" if current == head else "needs `cdp db upgrade`"
    console.print(f"current: [bold]{current or 'none'}[/]  head: [bold]{head}[/]  ({state})")


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Bind address (default from CDP_HOST)."),
    port: int | None = typer.Option(None, help="Port (default from CDP_PORT)."),
    workers: int | None = typer.Option(None, help="Worker processes (default CDP_WORKERS)."),
) -> None:
    """Serve the GraphQL API, /healthz, /readyz and /metrics."""
    if host:
        # The app's settings decide what the bind address implies (an open /metrics on
        # loopback only), and workers read settings from the environment.
        os.environ["CDP_HOST"] = host
        get_settings.cache_clear()
    settings = get_settings()
    config: dict[str, Any] = {
        "app": "cdp.app:create_app",
        "factory": True,
        "loop": "uvloop",
        "http": "httptools",
        # The app configures logging itself (configure_logging in create_app).
        "log_config": None,
        "access_log": False,
    }
    # The supervisor logs before any app exists (workers, restarts).
    configure_logging(settings.log_level, settings.log_json)
    try:
        code = serve_workers(
            config, host or settings.host, port or settings.port, workers or settings.workers
        )
    except StartupError as e:
        Console(stderr=True).print(f"cdp serve: {e}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    raise typer.Exit(code)


@app.command()
def demo(
    customers: int = typer.Option(20_000, help="Customers to generate on first run."),
    seed_value: int = typer.Option(42, "--seed", help="Random seed of the data set."),
    port: int | None = typer.Option(None, help="Port (default from CDP_PORT)."),
) -> None:
    """Migrate, seed a demo data set if the database is empty, and serve it."""
    from datetime import timedelta

    from cdp.customers.repository import CustomerRepository
    from cdp.seed import seed_database
    from cdp.seed.chunk import customer_no

    settings = get_settings()
    if settings.jwt_secret is None or not settings.jwt_secret.get_secret_value():
        # Front-end teams try the JWT path too: a development secret of this data
        # directory, handed to the server (and its workers) through the environment.
        os.environ["CDP_JWT_SECRET"] = demo_secret(Path(settings.data_dir))
        get_settings.cache_clear()
        settings = get_settings()
    token = mint(settings, "demo-frontend", ["frontend"], ttl=timedelta(hours=12))

    async def prepare() -> tuple[str, list[str], str]:
        url = database_url(settings)
        await migrate.upgrade(url)
        async with open_database(settings) as db:
            key = await demo_key(db, Path(settings.data_dir) / "demo-admin.key")
            async with db.read_session() as session:
                samples = await CustomerRepository(session).sample_customer_nos(3)
            if not samples:
                console.print(f"seeding {customers:,} demo customers (seed {seed_value}) …")
                await seed_database(db, customers=customers, seed=seed_value)
                async with db.read_session() as session:
                    samples = await CustomerRepository(session).sample_customer_nos(3)
            await load_library(db, "demo")
            if await full_run_due(db, datetime.now(UTC)):
                console.print("computing the tag library for every customer …")
                await run_tags_once(db)
            # The graph fields answer from a stored snapshot; a first demo builds one,
            # later ones catch up from the database as the server always does.
            if not (snapshot_dir(settings) / "current").exists():
                console.print("building the knowledge graph …")
                state = await build_state(db, settings)
                label(state.core, communities(state.core))
                write_state(state, settings)
            # The README's example customer is the first of every seeded data set;
            # a database filled by `cdp import` instead shows one of its own.
            first = customer_no(1)
            async with db.read_session() as session:
                found = await CustomerRepository(session).by_customer_no(first, aum=False)
        example = first if found is not None or not samples else samples[0]
        return example, [s for s in samples if s != example], key

    example, others, key = run_command(prepare())
    url = f"http://{settings.host}:{port or settings.port}"
    for line in demo_banner(url, key, token, example, others, settings.data_dir):
        console.print(line, soft_wrap=True, highlight=False)
    serve(host=None, port=port, workers=1)


def demo_banner(
    url: str, key: str, token: str, example: str, others: list[str], data_dir: Path
) -> list[str]:
    """What `cdp demo` prints: where to go, the credentials, and the README's first query."""
    return [
        "[bold]cdp demo[/]",
        f"  GraphiQL   {url}/graphql",
        f"  health     {url}/healthz    readiness {url}/readyz    metrics {url}/metrics",
        f"  admin key  {key}   (local demo only; saved in {data_dir}/demo-admin.key)",
        "  in GraphiQL, open Headers and paste:",
        f'    {{"Authorization": "Bearer {key}"}}',
        f'  with curl:  curl -H "Authorization: Bearer {key}" -H "Content-Type: application/json" '
        f"""-d '{{"query": "{{ __typename }}"}}' {url}/graphql""",
        "  then try in GraphiQL:",
        f'    {{ customer(customerNo: "{example}") {{ name age city riskLevelLabel tier aum',
        "        holdings { product { code name category riskRating } marketValue } } }",
        f"  customers with the largest AUM: {', '.join(others) or '-'}",
        "  the same customer as another role sees it (masked name and phone, no ID number):",
        "    cdp keys create --name demo-marketer --role marketer   (then use that key)",
        "  a front-end JWT (role frontend, 12 hours), signed with the development secret in "
        f"{data_dir}/jwt-secret.dev unless CDP_JWT_SECRET is set:",
        f"    {token}",
        "  more: cdp tokens create --sub NAME --role ROLE [--advisor ID] [--ttl 12h]; "
        "a browser app on another origin needs CDP_CORS_ORIGINS=http://localhost:5173",
    ]


if __name__ == "__main__":
    app()
