"""Authentication and rate limits in front of every route but the open ones.

Pure ASGI, once per request: the caller's ``Principal`` goes into the request
state, where the GraphQL view puts it into the context. Refusals are
GraphQL-shaped JSON like every other transport error: 401 ``UNAUTHENTICATED``
with ``WWW-Authenticate``, 429 ``RATE_LIMITED`` with ``Retry-After``.

Open without credentials: /healthz and /readyz (probes); /metrics when
``metrics_open`` says so (by default when bound to loopback); and, in
development only, the GraphiQL page itself, which is static HTML — the queries it
sends carry the headers the user enters; outside production, GraphiQL's own
scripts and styles under /graphiql/ (public code, served by cdp).
"""

from __future__ import annotations

import ipaddress
import logging

import orjson
from starlette.datastructures import Headers, QueryParams
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from cdp.auth.authenticator import Authenticator
from cdp.auth.base import RateLimited, Unauthenticated
from cdp.auth.ratelimit import RateLimiter
from cdp.config import Settings
from cdp.db.engine import Database
from cdp.http.graphiql import ASSETS_PATH
from cdp.http.negotiation import JSON, negotiate
from cdp.principal import Principal

log = logging.getLogger("cdp.auth")

_PROBES = frozenset({"/healthz", "/readyz"})
ANONYMOUS = Principal(subject="anonymous", kind="anonymous", roles=frozenset())


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def metrics_open(settings: Settings) -> bool:
    if settings.metrics_open is not None:
        return settings.metrics_open
    return _is_loopback(settings.host)


def _error(
    headers: Headers, status: int, message: str, extensions: dict[str, object], **extra: str
) -> Response:
    media_type = negotiate(headers.get("accept")) or JSON
    body = {"errors": [{"message": message, "extensions": extensions}]}
    return Response(
        orjson.dumps(body),
        status_code=status,
        headers=extra,
        media_type=f"{media_type}; charset=utf-8",
    )


class AuthMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        authenticator: Authenticator,
        limiter: RateLimiter,
    ) -> None:
        self.app = app
        self.authenticator = authenticator
        self.limiter = limiter
        self.open_paths = _PROBES | ({"/metrics"} if metrics_open(settings) else frozenset())
        self.open_ide = settings.env == "development"
        # GraphiQL's own scripts and styles: public code, served wherever the page is.
        self.open_assets = settings.env != "production"

    def _is_open(self, scope: Scope, headers: Headers) -> bool:
        if scope["path"] in self.open_paths:
            return True
        if (
            self.open_assets
            and scope["path"].startswith(ASSETS_PATH + "/")
            and scope["method"] in ("GET", "HEAD")
        ):
            return True
        return (
            self.open_ide
            and scope["path"] == "/graphql"
            and scope["method"] == "GET"
            and "text/html" in headers.get("accept", "")
            and "query" not in QueryParams(scope.get("query_string", b""))
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self._is_open(scope, headers):
            # The GraphQL view builds its context before it renders the IDE page; the
            # page runs nothing, and a principal without roles is granted nothing.
            scope.setdefault("state", {})["principal"] = ANONYMOUS
            await self.app(scope, receive, send)
            return
        db: Database = scope["app"].state.db
        authorization = headers.get("authorization")
        try:
            principal = await self.authenticator.authenticate(db, authorization)
            self.limiter.check(principal)
        except Unauthenticated as exc:
            challenge = 'Bearer realm="cdp"' + (', error="invalid_token"' if authorization else "")
            response = _error(
                headers,
                401,
                exc.message,
                {"code": exc.code},
                **{"www-authenticate": challenge},
            )
        except RateLimited as exc:
            response = _error(
                headers,
                429,
                exc.message,
                {"code": exc.code, "retryAfter": exc.retry_after},
                **{"retry-after": str(exc.retry_after)},
            )
        except Exception:  # the key store is unreachable: say so, never a traceback
            log.exception("authentication could not complete")
            response = _error(
                headers, 503, "Authentication is unavailable; retry later.", {"code": "UNAVAILABLE"}
            )
        else:
            scope.setdefault("state", {})["principal"] = principal
            await self.app(scope, receive, send)
            if self.authenticator.touch_due(principal):
                await self._touch(db, principal.key_id)
            return
        await response(scope, receive, send)

    async def _touch(self, db: Database, key_id: int | None) -> None:
        # After the response: a failed write of a last-used time is not the caller's
        # problem, and must not turn a served request into an error.
        if key_id is None:
            return
        try:
            await self.authenticator.touch(db, key_id)
        except Exception:
            log.warning("could not record an API key's last use", exc_info=True)
