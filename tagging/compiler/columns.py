"""``FeatureColumns``: the columns of a feature row, by attribute and spec name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause

from tagging.language import typed


class FeatureColumns:
    """The feature query used as a subquery or temporary table.

    ``attr`` gives a customer field's column, ``feature`` a spec's column (by its
    stable ``name``), both under the labels ``feature_query`` gives them.
    """

    def __init__(self, source: FromClause) -> None:
        self.source = source

    @property
    def customer_id(self) -> ColumnElement[Any]:
        return self.source.c["customer_id"]

    def attr(self, name: str) -> ColumnElement[Any]:
        return self.source.c[name]

    def row(self, name: str) -> ColumnElement[Any]:
        raise TypeError(f"row field {name!r} outside an aggregate")

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]:
        return self.source.c[spec.name]
