"""Tells the request context which operation runs, for the audit trail.

A client need not send ``operationName`` when its document holds one named
operation; strawberry knows the name once the document is parsed, and this hands
it to the context before any resolver runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from schema.context import Context


class NameOperation(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.operation = self.execution_context.operation_name
        yield
