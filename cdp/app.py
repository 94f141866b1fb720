"""The Starlette application: GraphQL at /graphql plus health, readiness and metrics.

Every route but the probes (and, as configured, /metrics) needs credentials; see
``cdp.http.auth``.

This is a composition root: it wires settings, the database and the schema.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from cdp.auth.authenticator import Authenticator
from cdp.auth.ratelimit import RateLimiter
from cdp.config import Settings, get_settings
from cdp.db.engine import Database, api_database, database_url
from cdp.errors import Unavailable
from cdp.http import graphiql
from cdp.http.auth import AuthMiddleware
from cdp.http.graph_refresh import start_refresh, stop_refresh
from cdp.http.graphql_view import GraphQLView
from cdp.http.health import healthz, readyz
from cdp.http.metrics import metrics
from cdp.http.middleware import RequestContextMiddleware
from cdp.http.read_audit import request_purpose, settle
from cdp.logging import configure_logging, request_id_var
from cdp.principal import Principal
from graph.service import GraphService
from policies.audit import AuditWriter, UnwrittenAuditEntries
from policies.holder import PolicyHolder
from policies.pg_store import PgPolicyStore
from policies.watcher import PolicyWatcher, listen_dsn
from schema import build_schema
from schema.context import Context
from schema.mutations.policy import policy_fields
from schema.plan_policy import PlanPolicy, PolicyRules, schema_fields
from tagging.worker import TagWorker

# How long shutdown waits for the database to take the last audit entries; past it
# they are logged at ERROR level in full instead (see ``AuditWriter.aclose``).
AUDIT_SHUTDOWN_TIMEOUT = 30.0


class _GraphQL(GraphQLView[Context]):
    def __init__(self, settings: Settings) -> None:
        production = settings.env == "production"
        schema = build_schema(settings)
        super().__init__(schema, graphql_ide=None if production else "graphiql")
        self.settings = settings
        self.ide_page = None if production else graphiql.page()
        # The field rules of each role set, per policy version (see schema.plan_policy).
        self.rules = PolicyRules(schema_fields(schema._schema))

    async def render_graphql_ide(self, request: Any) -> Response:
        # Strawberry's page loads GraphiQL from a CDN; this one from cdp itself.
        return HTMLResponse(self.ide_page or "")

    async def get_context(self, request: Any, response: Any) -> Context:
        principal: Principal = request.state.principal
        holder: PolicyHolder = request.app.state.policy
        return Context(
            session=request.state.session,
            db=request.app.state.db,
            settings=self.settings,
            request_id=request_id_var.get(),
            principal=principal,
            policy=PlanPolicy(self.rules.rules(holder.plan(principal.roles)), principal),
            purpose=request_purpose(request),
            graph=request.app.state.graph,
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Any,
        context: Context,
        root_value: Any,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        result = await super().execute_single(
            request=request,
            request_adapter=request_adapter,
            sub_response=sub_response,
            context=context,
            root_value=root_value,
            request_data=request_data,
        )
        # Audit what the request read of sensitive data, or withhold it (see settle),
        # under the policy version this request was actually served with.
        return await settle(
            result,
            context.audit,
            principal=context.principal,
            purpose=context.purpose,
            operation=context.operation,
            required_roles=self.settings.purpose_required_roles,
            policy_version=context.policy.version,
            request_id=context.request_id,
            writer=request.app.state.audit_writer,
        )


class _SessionScope:
    """Gives each GraphQL request its own read session, closed when the response is sent.

    While the permission policy cannot be read, every request is refused here with
    ``UNAVAILABLE``: plans would deny every field and row anyway (fail closed), and
    a caller is better told why than handed a page of FORBIDDEN_FIELD errors.
    """

    def __init__(self, app: _GraphQL) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        holder: PolicyHolder = scope["app"].state.policy
        if holder.policy is None:
            refusal = JSONResponse(
                {
                    "errors": [
                        {
                            "message": "the permission policy cannot be read; "
                            "every request is refused until it can",
                            "extensions": {
                                "code": Unavailable.code,
                                "requestId": request_id_var.get(),
                            },
                        }
                    ]
                },
                status_code=503,
            )
            await refusal(scope, receive, send)
            return
        db: Database = scope["app"].state.db
        async with db.read_session() as session:
            scope.setdefault("state", {})["session"] = session
            await self.app(scope, receive, send)


# What a browser app may send and read across origins.
_CORS_HEADERS = ["authorization", "content-type", "accept", "x-purpose", "x-request-id"]
_CORS_EXPOSED = ["x-request-id", "retry-after", "www-authenticate"]


def _cors(settings: Settings) -> list[Middleware]:
    """CORS for the configured origins, outermost: a browser's preflight carries no
    credentials, so it is answered before authentication would refuse it."""
    origins = settings.cors_origin_list
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=_CORS_HEADERS,
            expose_headers=_CORS_EXPOSED,
            max_age=600,
        )
    ]


def _ide_assets(settings: Settings) -> list[Mount]:
    """GraphiQL's scripts and styles, wherever the page is served (not in production)."""
    if settings.env == "production":
        return []
    return [Mount(graphiql.ASSETS_PATH, StaticFiles(directory=graphiql.STATIC_DIR), name="ide")]


def create_app(settings: Settings | None = None, database: Database | None = None) -> Starlette:
    settings = settings or get_settings()
    configure_logging(settings.log_level, settings.log_json)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = api_database(settings, database_url(settings)) if database is None else database
        app.state.db = db
        # The policy this process enforces, kept current by the watcher (fails closed).
        # It reads committed rows through the engine's pool: refreshes run in the
        # background, and must not share a connection a request is using (as all
        # sessions of a connection-bound test ``Database`` do).
        engine = db.bind if isinstance(db.bind, AsyncEngine) else db.bind.engine
        policy_store = PgPolicyStore(Database(engine))
        holder = PolicyHolder(policy_store, policy_fields(graphql.app.schema))
        await holder.refresh()
        watcher = PolicyWatcher(listen_dsn(db.bind), holder.refresh)
        await watcher.start()
        app.state.policy = holder
        app.state.policy_watcher = watcher
        # One audit writer per process; like the policy store it writes through the
        # engine's pool, never on a connection a request is using.
        writer = AuditWriter(Database(engine), flush_interval=settings.audit_flush_seconds)
        writer.start()
        app.state.audit_writer = writer
        # Tags of changed customers follow within seconds. Only on a pool: a test's
        # connection-bound database is not shared with a background loop.
        tags = None
        if settings.tag_worker_seconds > 0 and isinstance(db.bind, AsyncEngine):
            tags = TagWorker(db, interval=settings.tag_worker_seconds)
            tags.start()
        # The knowledge graph: the stored snapshot, memory-mapped and caught up.
        # Requests share the process's object (graph/README.md, "Serving: the GraphQL fields").
        app.state.graph = GraphService(db, settings)
        graph_refresh = start_refresh(
            app.state.graph, settings, pooled=isinstance(db.bind, AsyncEngine)
        )
        try:
            yield
        finally:
            await stop_refresh(graph_refresh)
            if tags is not None:
                await tags.stop()
            await watcher.stop()
            # Requests have finished: write what they recorded before the pool goes.
            # Entries given up on were each logged in full, to be replayed from there.
            with suppress(UnwrittenAuditEntries):
                await writer.aclose(timeout=AUDIT_SHUTDOWN_TIMEOUT)
            if database is None:
                await db.dispose()

    graphql = _SessionScope(_GraphQL(settings))

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
            *_ide_assets(settings),
        ],
        # Outermost first: refusals still get a request id, a log line and metrics.
        middleware=[
            *_cors(settings),
            Middleware(RequestContextMiddleware),
            Middleware(
                AuthMiddleware,
                settings=settings,
                authenticator=Authenticator(settings),
                limiter=RateLimiter(settings),
            ),
        ],
        lifespan=lifespan,
    )
    return app
