"""Validation is cached per document object, and still reports what it finds."""

from __future__ import annotations

import strawberry
from graphql import parse
from strawberry.types import ExecutionContext

from schema.extensions.validation import DocumentValidationCache


@strawberry.type
class Query:
    greeting: str = "hello"


SCHEMA = strawberry.Schema(Query, extensions=[DocumentValidationCache])


def test_the_same_document_is_validated_once() -> None:
    document = parse("{ nope }")
    context = ExecutionContext(query="{ nope }", schema=SCHEMA, allowed_operations=())
    context.graphql_document = document
    first = DocumentValidationCache()
    first.execution_context = context
    list(first.on_validate())
    errors = context.pre_execution_errors
    assert errors
    assert "Cannot query field 'nope'" in errors[0].message
    second = DocumentValidationCache()
    second.execution_context = context
    list(second.on_validate())
    assert context.pre_execution_errors is errors


async def test_valid_and_invalid_documents_through_the_schema() -> None:
    ok = await SCHEMA.execute("{ greeting }", root_value=Query())
    assert ok.errors is None
    assert ok.data == {"greeting": "hello"}
    bad = await SCHEMA.execute("{ greeting nope }", root_value=Query())
    assert bad.data is None
    assert bad.errors
    assert "nope" in bad.errors[0].message
