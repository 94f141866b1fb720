"""Prometheus metrics and the /metrics endpoint."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

REQUESTS = Counter(
    "cdp_http_requests_total",
    "HTTP requests by method, route and status",
    ["method", "route", "status"],
)
REQUEST_LATENCY = Histogram(
    "cdp_http_request_duration_seconds", "HTTP request latency by route", ["route"]
)
# A completion plan that raised something other than its own refusal: graphql-core
# answered instead (correct, slower), but the plan is broken. Should stay at zero.
PLAN_FAILURES = Counter(
    "cdp_graphql_plan_failures_total",
    "Completion plans that failed unexpectedly and fell back to graphql-core, by type",
    ["type"],
)


async def metrics(_: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
