"""A boolean rule → the set of customers it selects, as one SQL ``SELECT``.

The feature query is restricted to what the rule reads (its aggregates and the
customer fields it names), so a preview of ``aum >= 600万`` scans holdings once
and reads no other source. Only customers who granted ``profiling`` are ever
selected, as only they carry computed tags: a segment is profiling too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from cdp.db.models import Customer
from tagging.compiler import FeatureColumns, compile_rule
from tagging.engine.evaluate import profiling_allowed, stored_tag_values
from tagging.features import feature_query
from tagging.language import TypedRule


def members_query(
    rule: TypedRule,
    *,
    scope: ColumnElement[bool] | None = None,
    as_of: datetime | None = None,
) -> Select[Any]:
    """``SELECT customer_id`` of the customers the rule selects, inside ``scope``.

    ``scope`` is a predicate over the ``customer`` table (a caller's row scope;
    ``None``: every customer).
    """
    compiled = compile_rule(rule)
    customer_ids = None if scope is None else select(Customer.id).where(scope)
    specs = sorted(compiled.aggregates, key=lambda s: s.name)
    features = feature_query(
        specs,
        as_of=as_of or datetime.now(UTC),
        customer_ids=customer_ids,
        tag_values=stored_tag_values(customer_ids) if rule.dependencies else None,
        attributes=sorted(compiled.attributes),
    ).subquery("segment_features")
    f = FeatureColumns(features)
    return select(f.customer_id.label("customer_id")).where(
        compiled.value(f).is_(True), profiling_allowed(f.customer_id)
    )
