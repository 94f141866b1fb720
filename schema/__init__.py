"""The GraphQL schema (Strawberry, code-first). Only the composition root imports it."""

from schema.build import build_schema

__all__ = ["build_schema"]
