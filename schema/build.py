"""Assembles the schema with its extensions: limits, caches, error mapping.

Order matters only where one extension reads what another sets: the token limit is a
parse option, so it must be in place before parsing; the validation cache validates
with every rule added by the extensions before it.
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxTokensLimiter
from strawberry.types import ExecutionContext

from cdp.config import Settings, get_settings
from schema.execution.executor import PlannedExecutor
from schema.extensions.cost import QueryCost
from schema.extensions.errors import MapErrors
from schema.extensions.limits import AddRules, limit_rules
from schema.extensions.operation import NameOperation
from schema.extensions.parsing import CachedParser
from schema.extensions.validation import DocumentValidationCache
from schema.mutations import Mutation
from schema.query import Query

_CACHE_SIZE = 1024


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry would log every error, including each caller's typo, at error
        # level. MapErrors logs the unexpected ones, with the request id.
        return None


def build_schema(settings: Settings | None = None) -> strawberry.Schema:
    """The schema, limited by ``settings``; the SDL does not depend on them."""
    settings = settings or get_settings()
    production = settings.env == "production"
    rules = limit_rules(max_depth=settings.max_depth, max_aliases=settings.max_aliases)
    if production:
        rules = (*rules, NoSchemaIntrospectionCustomRule)
    extensions: list[Any] = [
        # Factories: a fresh extension per request (the caches are module-level).
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: CachedParser(maxsize=_CACHE_SIZE),
        lambda: AddRules(rules),
        DocumentValidationCache,
        # A connection asked for no size returns a page of the maximum size.
        lambda: QueryCost(
            max_cost=settings.max_cost,
            default_page_size=settings.max_page_size,
            max_list_items=settings.max_list_items,
            max_filter_width=settings.max_filter_width,
        ),
        lambda: MapErrors(hide_suggestions=production),
        NameOperation,
    ]
    return _Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        # Plain-attribute subtrees completed by compiled plans, see schema.execution.
        execution_context_class=PlannedExecutor,
    )
