"""The audit step of a GraphQL request: the stated purpose, and the entry of what it read.

Before execution, ``request_purpose`` reads the ``X-Purpose`` header (a malformed
value refuses the request with 400, ``BAD_USER_INPUT``). After execution,
``settle`` looks at what the request read of sensitive data (``SensitiveReads``):

- nothing: the result goes out as it is, and nothing is recorded;
- a role that must state a purpose stated none: the data never leaves; the result
  becomes a single ``PURPOSE_REQUIRED`` error without ``data`` (a request error,
  so the view answers 400 to ``application/graphql-response+json`` clients);
- otherwise one ``AuditEntry`` is handed to the process's ``AuditWriter``. If that
  fails (a value too long to store, the writer shutting down) the data is withheld
  too, as an internal error: a sensitive read is never served unrecorded.
"""

from __future__ import annotations

import logging
from collections.abc import Collection

from graphql import GraphQLError
from starlette.requests import Request
from strawberry.types import ExecutionResult

from cdp.errors import CdpError, InvalidInput, PurposeRequired
from cdp.http.graphql_view import RequestRejected
from cdp.principal import Principal
from policies.audit import AuditWriter, SensitiveReads, parse_purpose, purpose_required
from policies.audit.purpose import PURPOSE_HEADER

log = logging.getLogger(__name__)


def request_purpose(request: Request) -> str | None:
    """The purpose the request states in ``X-Purpose``; ``None`` when it has none."""
    try:
        return parse_purpose(request.headers.get(PURPOSE_HEADER))
    except InvalidInput as error:
        raise RequestRejected(400, error.message, error.code) from error


def _withheld(error: CdpError | None, request_id: str | None) -> ExecutionResult:
    if error is not None:
        extensions: dict[str, object] = {"code": error.code}
        message = error.message
    else:
        extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        message = "Internal server error"
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions=extensions)])


async def settle(
    result: ExecutionResult,
    reads: SensitiveReads,
    *,
    principal: Principal,
    purpose: str | None,
    operation: str | None,
    required_roles: Collection[str],
    policy_version: str,
    request_id: str | None,
    writer: AuditWriter,
) -> ExecutionResult:
    """The result to send, after recording the request's sensitive reads (see module doc)."""
    if not reads:
        return result
    if purpose is None and purpose_required(principal.roles, required_roles):
        refused = PurposeRequired(
            "this request reads sensitive customer data: state its purpose in the X-Purpose header"
        )
        return _withheld(refused, request_id)
    try:
        entry = reads.entry(
            principal=principal,
            operation=operation,
            purpose=purpose,
            policy_version=policy_version,
            request_id=request_id,
        )
        assert entry is not None  # reads is not empty
        await writer.record(entry)
    except Exception:
        log.exception("sensitive read not recorded; data withheld")
        return _withheld(None, request_id)
    return result
