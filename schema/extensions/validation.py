"""Validation results cached by document identity.

strawberry's ``ValidationCache`` keys an ``lru_cache`` on (schema, document,
rules), and hashing a document walks its whole syntax tree on every request (about
1 % of the CPU of a customer-360 request). The parser cache hands every
request of the same text the same document object, so this cache keys on that
object's identity; an entry keeps its document and schema, so their ids cannot be
reused by others while the entry lives.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

_ENTRIES = 1024
# (id of the document, id of the schema, rules) -> (document, schema, errors)
_validated: OrderedDict[tuple[Any, ...], tuple[DocumentNode, Any, list[GraphQLError]]] = (
    OrderedDict()
)


class DocumentValidationCache(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document, schema = context.graphql_document, context.schema._schema
        if document is None:
            yield
            return
        rules = tuple(context.validation_rules)
        key = (id(document), id(schema), rules)
        entry = _validated.get(key)
        if entry is None or entry[0] is not document or entry[1] is not schema:
            # strawberry's own validation, with the rules it adds.
            errors = validate_document(schema, document, rules)
            entry = _validated[key] = (document, schema, errors)
            if len(_validated) > _ENTRIES:
                _validated.popitem(last=False)
        else:
            _validated.move_to_end(key)
        context.pre_execution_errors = entry[2]
        yield
