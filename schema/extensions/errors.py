"""Errors, mapped once into ``extensions.code``.

- typed domain errors (``CdpError``) keep their message and get their code;
- a document that does not parse: ``GRAPHQL_PARSE_FAILED``;
- a document that fails validation: ``GRAPHQL_VALIDATION_FAILED``;
- variables that cannot be coerced to their declared types: ``BAD_USER_INPUT``;
- a request over a limit (depth, aliases, tokens, cost): ``QUERY_TOO_COMPLEX``;
- a statement cancelled by the statement timeout: ``TIMEOUT`` (ask for less);
- the database unreachable (server down or restarting, connection lost, no free
  connection): ``UNAVAILABLE``, so that callers retry rather than report a bug;
- anything else becomes a generic internal error carrying the request id (the log has
  the details under the same id).

With ``hide_suggestions`` (production), "Did you mean …" hints are cut from messages:
they would tell a stranger the names of fields, arguments and types.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode
from strawberry.extensions import SchemaExtension

from cdp.db.timeout import is_statement_timeout
from cdp.db.unavailable import is_unavailable
from cdp.errors import CdpError, Timeout, Unavailable
from cdp.logging import request_id_var
from schema.extensions.limits import token_limit_error

log = logging.getLogger("cdp.graphql")

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL = "INTERNAL_SERVER_ERROR"

_SUGGESTION = re.compile(r"\s*Did you mean .*\Z", re.DOTALL)


def _is_variable_error(error: GraphQLError) -> bool:
    # During execution, graphql-core reports coercion failures at the variable's
    # definition; some carry the scalar's own exception as original error, which is
    # still the caller's input. (Validation also points at definitions, e.g. an unused
    # variable, hence this is asked only of errors raised once execution began.)
    return bool(error.nodes) and all(
        isinstance(node, VariableDefinitionNode) for node in error.nodes or ()
    )


def _mapped(error: GraphQLError, executing: bool) -> GraphQLError:
    original = error.original_error
    extensions = error.extensions or {}
    if isinstance(original, CdpError):
        return _with(error, original.message, {"code": original.code, **original.details})
    if isinstance(error, GraphQLSyntaxError):
        limited = token_limit_error(error)
        if limited is not None:
            return _with(error, limited.message, limited.extensions or {})
        return _with(error, error.message, {**extensions, "code": PARSE_FAILED})
    if executing and _is_variable_error(error):
        return _with(error, error.message, {**extensions, "code": BAD_USER_INPUT})
    if original is None and error.path is None:
        # Validation rules, including the limits, which bring their own code.
        code = extensions.get("code", VALIDATION_FAILED)
        return _with(error, error.message, {**extensions, "code": code})
    if is_statement_timeout(original):
        log.warning("statement timeout", extra={"path": error.path})
        return _with(
            error,
            "The query took too long and was cancelled; ask for less "
            "(fewer items, a narrower filter).",
            {"code": Timeout.code, "requestId": request_id_var.get()},
        )
    if is_unavailable(original):
        # Not a fault here: the database is down or unreachable; the caller retries.
        log.warning("database unavailable", exc_info=original, extra={"path": error.path})
        return _with(
            error,
            "The database is unavailable; retry later.",
            {"code": Unavailable.code, "requestId": request_id_var.get()},
        )
    log.error("unhandled GraphQL error", exc_info=original, extra={"path": error.path})
    return _with(
        error, "Internal server error", {"code": INTERNAL, "requestId": request_id_var.get()}
    )


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def _without_suggestions(error: GraphQLError) -> GraphQLError:
    message = _SUGGESTION.sub("", error.message)
    return error if message == error.message else _with(error, message, error.extensions or {})


class MapErrors(SchemaExtension):
    def __init__(self, *, hide_suggestions: bool = False) -> None:
        self.hide_suggestions = hide_suggestions
        self.executing = False

    def on_execute(self) -> Iterator[None]:
        self.executing = True
        yield

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            mapped = [_mapped(e, self.executing) for e in result.errors]
            if self.hide_suggestions:
                mapped = [_without_suggestions(e) for e in mapped]
            result.errors = mapped
