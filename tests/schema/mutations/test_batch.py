"""The batch-level write check of the ingestion mutations."""

from __future__ import annotations

from schema import build_schema
from schema.mutations.batch import WRITES, written_columns
from schema.plan_policy import schema_fields


def test_an_empty_batch_needs_a_field_of_its_type() -> None:
    # The batch-level check names the fields every item must set; were none of them
    # a field of the written type, an empty batch would need no right at all.
    fields = schema_fields(build_schema()._schema)
    for kind, type_name in WRITES.items():
        attributes = set(fields[type_name].attributes)
        assert written_columns(kind, []) & attributes, kind


def test_the_items_fields_are_checked_too() -> None:
    rows: list[dict[str, object]] = [{"source_key": "k", "name": "n", "phone": "1"}, {"city": "c"}]
    assert written_columns("customers", rows) == {"source_key", "name", "source", "phone", "city"}
