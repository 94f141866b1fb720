"""Errors, mapped once: typed domain errors keep their message and get a code;
everything else becomes a generic internal error carrying the request id (the log
has the details under the same id)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from cdp.errors import CdpError
from cdp.logging import request_id_var

log = logging.getLogger("cdp.graphql")


def _mapped(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None:
        # Parse and validation errors: the caller's document is at fault.
        code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
        return _with(error, error.message, {**(error.extensions or {}), "code": code})
    if isinstance(original, CdpError):
        return _with(error, original.message, {"code": original.code, **original.details})
    request_id = request_id_var.get()
    log.error("unhandled error in resolver", exc_info=original, extra={"path": error.path})
    return _with(
        error,
        "Internal server error",
        {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
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


class MapErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [_mapped(e) for e in result.errors]
