"""Assembles the schema with its extensions."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, QueryDepthLimiter, ValidationCache

from schema.extensions.errors import MapErrors
from schema.mutations import Mutation
from schema.query import Query


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            # Factories: a fresh extension per request (the caches are module-level).
            lambda: QueryDepthLimiter(max_depth=10),
            lambda: ParserCache(maxsize=1024),
            lambda: ValidationCache(maxsize=1024),
            MapErrors,
        ],
    )
