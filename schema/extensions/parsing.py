"""Parsing with a shared cache, without hiding syntax errors from the error mapping.

Strawberry's ``ParserCache`` parses in its ``on_parse`` hook; a syntax error raised
there escapes the operation before extensions see the result, so it would reach the
caller unmapped. On failure this cache leaves the document unset, and strawberry
parses again inside the operation, where the error becomes a normal result. Failed
documents are not cached anyway, so the second parse costs only for broken input.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache


class CachedParser(ParserCache):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            try:
                context.graphql_document = self.cached_parse_document(
                    context.query, **context.parse_options
                )
            except GraphQLError:
                context.graphql_document = None
        yield
