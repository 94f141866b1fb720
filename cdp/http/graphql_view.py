"""Strawberry's ASGI view held to the GraphQL-over-HTTP specification.

What strawberry does already: POST JSON, GET with query parameters, the IDE, batching
off. What this adds:

- the response media type follows the Accept header (406 when neither JSON type is
  acceptable), see ``cdp.http.negotiation``;
- request errors (the document does not parse or validate, variables do not coerce,
  a limit is exceeded) carry no ``data`` entry and, with
  ``application/graphql-response+json``, status 400; legacy ``application/json``
  keeps 200 as the spec asks;
- a mutation over GET is 405 with ``Allow: POST``; a POST body that is not JSON is
  415; malformed parameters are 400;
- transport errors are GraphQL-shaped JSON too, so clients parse one format.

It knows nothing of the schema: the app passes it one and builds the context.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.http.parse_content_type import parse_content_type
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult

from cdp.http.negotiation import GRAPHQL_RESPONSE_JSON, JSON, negotiate

ContextT = TypeVar("ContextT")

_MEDIA_TYPE = "graphql_media_type"
_SUB_RESPONSE = "graphql_sub_response"
_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


class RequestRejected(HTTPException):
    """A request refused before it runs, with its own ``extensions.code``
    (``BAD_USER_INPUT`` for a malformed header, say)."""

    def __init__(self, status_code: int, reason: str, code: str) -> None:
        super().__init__(status_code, reason)
        self.code = code


class _MethodNotAllowed(HTTPException):
    def __init__(self, reason: str, allow: str) -> None:
        super().__init__(405, reason)
        self.allow = allow


def _is_request_error(result: ExecutionResult) -> bool:
    # Execution errors always have a path; errors without one were raised before any
    # field ran, so the request as a whole failed.
    return (
        result.data is None
        and bool(result.errors)
        and all(error.path is None for error in result.errors or ())
    )


def _is_internal(result: ExecutionResult) -> bool:
    return any(
        (error.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR"
        for error in result.errors or ()
    )


class GraphQLView(GraphQL[ContextT, None]):
    def encode_json(self, data: object) -> bytes:
        # orjson writes a 50-customer page in a twentieth of the stdlib's time. It
        # refuses what the stdlib accepts (integers beyond 64 bits inside a JSON
        # scalar, non-string keys), so those rare documents take the stdlib path.
        try:
            return orjson.dumps(data)
        except orjson.JSONEncodeError:
            return json.dumps(data).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        try:
            response = await self._respond(request)
        except HTTPException as error:
            response = self._error_response(request, error)
        await response(scope, receive, send)

    async def _respond(self, request: Request) -> Response:
        adapter = self.request_adapter_class(request)
        if not self.should_render_graphql_ide(adapter):
            media_type = negotiate(request.headers.get("accept"))
            if media_type is None:
                raise HTTPException(
                    406, f"Accept {GRAPHQL_RESPONSE_JSON} or {JSON} for GraphQL responses."
                )
            setattr(request.state, _MEDIA_TYPE, media_type)
        return await self.run(request)

    def _error_response(self, request: Request, error: HTTPException) -> Response:
        media_type = getattr(request.state, _MEDIA_TYPE, JSON)
        if isinstance(error, RequestRejected):
            code = error.code
        else:
            code = _CODES.get(error.status_code, "BAD_REQUEST")
        body = {"errors": [{"message": error.reason, "extensions": {"code": code}}]}
        headers = {"allow": error.allow} if isinstance(error, _MethodNotAllowed) else {}
        if error.status_code == 405 and not headers:
            headers = {"allow": "GET, POST"}
        return Response(
            self.encode_json(body),
            status_code=error.status_code,
            headers=headers,
            media_type=f"{media_type}; charset=utf-8",
        )

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # Without an IDE, a browser's GET is an ordinary (query-less) request: 400,
        # not strawberry's 404, which would say the endpoint is missing.
        return self.graphql_ide is not None and super().should_render_graphql_ide(request)

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.graphql_ide_html)

    async def get_sub_response(self, request: Request | Any) -> Response:
        # The response under construction; process_result sets its status and
        # create_response its media type, neither of which sees the request.
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = getattr(request.state, _MEDIA_TYPE, JSON)
        setattr(request.state, _SUB_RESPONSE, sub_response)
        return sub_response

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST":
            media_type, params = parse_content_type(request.content_type or "")
            charset = params.get("charset", "utf-8").lower()
            if media_type != JSON or charset != "utf-8":
                raise HTTPException(415, f"Send the request as {JSON} (UTF-8).")
        data = await super().parse_http_body(request)
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item.operation_name, str | None):
                raise HTTPException(400, "The operationName must be a string or null.")
        return data

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(400, "Expected a JSON object.")
        return parsed

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as error:
            if isinstance(error.__cause__, InvalidOperationTypeError):
                reason = "Only queries may be sent with GET; use POST."
                raise _MethodNotAllowed(reason, "POST") from error
            raise

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = process_result(result)
        if _is_request_error(result):
            # No execution took place, so there is no data entry at all (GraphQL spec).
            response.pop("data", None)
            sub_response: Response = getattr(request.state, _SUB_RESPONSE)
            if sub_response.media_type == GRAPHQL_RESPONSE_JSON:
                sub_response.status_code = 500 if _is_internal(result) else 400
        return response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        response = Response(
            self.encode_json(response_data),
            status_code=sub_response.status_code or 200,
            media_type=f"{sub_response.media_type or JSON}; charset=utf-8",
        )
        response.headers.raw.extend(sub_response.headers.raw)
        response.background = sub_response.background
        return response
