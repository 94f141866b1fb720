"""Request limits on the shape of a document: nesting depth, aliases and tokens.

Strawberry's limiters do the counting; this module stamps their errors with one code,
``QUERY_TOO_COMPLEX``, and names the limit, so a client can tell "simplify the query"
apart from "the query is wrong". The rules are built once per schema: the validation
cache keys on the rule classes, and a fresh class per request would never hit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from graphql import (
    ASTValidationRule,
    GraphQLError,
    GraphQLSyntaxError,
    TypeInfo,
    ValidationContext,
)
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter, SchemaExtension

LIMIT_CODE = "QUERY_TOO_COMPLEX"


def limit_error(
    message: str,
    *,
    limit: str,
    maximum: int,
    actual: int | None = None,
    nodes: Sequence[object] | None = None,
    argument: str | None = None,
) -> GraphQLError:
    extensions: dict[str, object] = {"code": LIMIT_CODE, "limit": limit, "maximum": maximum}
    if actual is not None:
        extensions["actual"] = actual
    if argument is not None:
        extensions["argument"] = argument
    return GraphQLError(message, nodes=nodes, extensions=extensions)  # type: ignore[arg-type]


def _typed(rule: type[ASTValidationRule], limit: str, maximum: int) -> type[ASTValidationRule]:
    """Wraps a limiter rule so that every error it reports carries the limit code.

    Strawberry's limiters do all their work in ``__init__``; running them against a
    context of our own lets us rewrite their errors without copying their logic.
    """

    class TypedLimit(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

            def report(error: GraphQLError) -> None:
                context.report_error(
                    limit_error(error.message, limit=limit, maximum=maximum, nodes=error.nodes)
                )

            schema, document = context.schema, context.document
            rule(ValidationContext(schema, document, TypeInfo(schema), report))

    TypedLimit.__name__ = f"{limit.capitalize()}Limit"
    return TypedLimit


def limit_rules(*, max_depth: int, max_aliases: int) -> tuple[type[ASTValidationRule], ...]:
    [depth] = QueryDepthLimiter(max_depth=max_depth).validation_rules
    [aliases] = MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules
    return (_typed(depth, "depth", max_depth), _typed(aliases, "aliases", max_aliases))


class AddRules(SchemaExtension):
    """Adds a fixed tuple of validation rules (the same classes on every request)."""

    def __init__(self, rules: tuple[type[ASTValidationRule], ...]) -> None:
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            *self.rules,
        )
        yield


# graphql-core stops lexing at the token limit and reports it as a syntax error.
_TOO_MANY_TOKENS = re.compile(r"Document contains more than (\d+) tokens")


def token_limit_error(error: GraphQLSyntaxError) -> GraphQLError | None:
    """The typed limit error for a document cut off at the token limit, else None."""
    match = _TOO_MANY_TOKENS.search(error.message)
    if match is None:
        return None
    maximum = int(match.group(1))
    return limit_error(
        f"The document has more than {maximum} tokens.", limit="tokens", maximum=maximum
    )
