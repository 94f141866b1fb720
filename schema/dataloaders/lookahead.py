"""Look-ahead: which fields a query selects below the current one.

Resolvers that return lists of objects read the selection once and load every
selected relation for the whole list in one statement each, then build objects
whose fields are plain attributes. graphql-core then resolves them with its
default resolver, which is far cheaper than one awaited resolver per field and
object.

Fields are merged across aliases, fragments and inline fragments (whatever their
type condition) and ``@skip``/``@include`` are ignored: a selection may load a
little more than needed, never less.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)


class Selection:
    """Selected field names (GraphQL names) mapped to their own selections."""

    __slots__ = ("fields",)

    def __init__(self) -> None:
        self.fields: dict[str, Selection] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.fields

    def at(self, *path: str) -> Selection:
        """The selection under ``path``, empty when any step is not selected."""
        node = self
        for name in path:
            node = node.fields.get(name, EMPTY)
        return node

    def merged(self, *paths: tuple[str, ...]) -> Selection:
        """Several sub-selections as one (a connection's ``edges.node`` and ``nodes``)."""
        out = Selection()
        for path in paths:
            _merge(out, self.at(*path))
        return out


EMPTY = Selection()


def _merge(into: Selection, other: Selection) -> None:
    for name, child in other.fields.items():
        _merge(into.fields.setdefault(name, Selection()), child)


def selection_of(info: Any) -> Selection:
    """The selection below the field being resolved (``info`` of strawberry or graphql)."""
    raw = getattr(info, "_raw_info", info)
    out = Selection()
    for node in raw.field_nodes:
        _collect(out, node.selection_set, raw.fragments)
    return out


def _collect(
    into: Selection,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
) -> None:
    if selection_set is None:
        return
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            child = into.fields.setdefault(sel.name.value, Selection())
            _collect(child, sel.selection_set, fragments)
        elif isinstance(sel, InlineFragmentNode):
            _collect(into, sel.selection_set, fragments)
        elif isinstance(sel, FragmentSpreadNode):
            fragment = fragments.get(sel.name.value)
            if fragment is not None:
                _collect(into, fragment.selection_set, fragments)
