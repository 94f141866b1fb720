"""Request id, access log and metrics for every HTTP request (pure ASGI, no buffering)."""

from __future__ import annotations

import logging
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cdp.http.metrics import REQUEST_LATENCY, REQUESTS
from cdp.logging import request_id_var

log = logging.getLogger("cdp.access")

_REQUEST_ID_HEADER = "x-request-id"


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == _REQUEST_ID_HEADER.encode():
            text: str = value.decode("latin-1")
            # Accept a caller's id only if it is short and printable.
            if 0 < len(text) <= 64 and text.isprintable():
                return text
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[_REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            path = scope["path"]
            route = path if path in _KNOWN_ROUTES else "other"
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            REQUEST_LATENCY.labels(route).observe(elapsed)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "ms": round(elapsed * 1000, 2),
                },
            )
            request_id_var.reset(token)


# Label metrics by known routes only, so random paths cannot explode label cardinality.
_KNOWN_ROUTES = {"/graphql", "/healthz", "/readyz", "/metrics"}
