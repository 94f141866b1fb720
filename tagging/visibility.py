"""Who may read a tag's values: never more than whoever may read what its rule reads.

A tag's value is derived from the fields its rule reads (``permission_fields``,
GraphQL names such as ``Customer.aum``), and from the values of the tags it reads
with ``has_tag``/``tag``. So a caller may read a tag's values only when the caller
reads **every** one of those fields in clear, through the whole dependency chain:
a masked field does not count (a tag over the e-mail's domain would undo the mask),
and a denied one obviously not. A manual tag reads nothing, so it follows only the
``Tag`` fields of the policy. The evidence of a value consists of the same fields'
values, so whoever may read the value may read its evidence.

The decision is per (role set, tag), made once per request from the definitions
(a few hundred rows at most), never per value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDefinition


@dataclass(frozen=True)
class TagInputs:
    """What one tag's values derive from: its own fields and the tags it reads."""

    key: str
    fields: frozenset[str]
    dependencies: frozenset[str]


async def tag_inputs(session: AsyncSession) -> dict[str, TagInputs]:
    """Every definition's inputs, by key."""
    rows = await session.execute(
        select(TagDefinition.key, TagDefinition.permission_fields, TagDefinition.dependencies)
    )
    return {
        key: TagInputs(key, frozenset(fields or ()), frozenset(deps or ()))
        for key, fields, deps in rows
    }


def derived_fields(key: str, inputs: Mapping[str, TagInputs]) -> frozenset[str]:
    """The fields the tag's values derive from, through its dependencies (a DAG, but
    walked with a seen-set so that a damaged one cannot loop)."""
    seen: set[str] = set()
    fields: set[str] = set()
    stack = [key]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        tag = inputs.get(current)
        if tag is None:
            continue
        fields |= tag.fields
        stack.extend(tag.dependencies)
    return frozenset(fields)


def readable_tags(
    inputs: Mapping[str, TagInputs], reads_in_clear: Callable[[str], bool]
) -> frozenset[str]:
    """The keys whose values a caller may read: every derived field read in clear."""
    return frozenset(
        key for key in inputs if all(reads_in_clear(field) for field in derived_fields(key, inputs))
    )


def unreadable_fields(
    keys: Iterable[str], inputs: Mapping[str, TagInputs], reads_in_clear: Callable[[str], bool]
) -> list[str]:
    """The fields among ``keys``' inputs the caller does not read in clear, sorted."""
    return sorted({f for k in keys for f in derived_fields(k, inputs) if not reads_in_clear(f)})
