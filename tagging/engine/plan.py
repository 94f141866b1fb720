"""Which tags a run evaluates, compiled, in dependency layers.

A tag that reads another (``has_tag``, ``tag``) must see that tag's new value, so
tags are evaluated layer by layer: layer 0 reads no tag of the run, layer n reads
only tags of earlier layers. Tags outside the run (``--tag KEY``) are read as they
are stored now. Rules were checked when saved; they are checked again here
because the catalogue or a dependency may have changed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDefinition
from cdp.errors import Conflict, NotFound
from tagging.compiler import CompiledRule, compile_rule
from tagging.definitions import value_kind
from tagging.language import TypedRule, ValueType, check_rule


@dataclass(frozen=True)
class PlannedTag:
    id: int
    key: str
    version: int
    value_type: str
    dependencies: tuple[str, ...]
    compiled: CompiledRule


async def active_rule_tags(
    session: AsyncSession, keys: Sequence[str] | None = None
) -> list[TagDefinition]:
    everyone = list(
        await session.scalars(
            select(TagDefinition)
            .where(TagDefinition.status == "active", TagDefinition.kind == "rule")
            .order_by(TagDefinition.key)
        )
    )
    if not keys:
        return everyone
    by_key = {d.key: d for d in everyone}
    missing = [k for k in keys if k not in by_key]
    if missing:
        found = set(
            await session.scalars(select(TagDefinition.key).where(TagDefinition.key.in_(missing)))
        )
        unknown = sorted(set(missing) - found)
        if unknown:
            raise NotFound(f"no tag {', '.join(unknown)}")
        raise Conflict(f"not active rule tags: {', '.join(sorted(missing))}")
    return [by_key[k] for k in sorted(set(keys))]


async def plan_run(
    session: AsyncSession, keys: Sequence[str] | None = None, *, incremental: bool = False
) -> list[list[PlannedTag]]:
    """The run's tags, compiled, grouped in dependency layers.

    ``incremental`` leaves out tags ranked over the whole book (``ntile``,
    ``percent_rank``): one customer's change moves other customers' ranks, so
    recomputing only the changed customers would be wrong, and ranking means a
    pass over every customer. They follow in full runs (the daily one); tags that
    read them read their stored values.
    """
    chosen = await active_rule_tags(session, keys)
    known = {
        d.key: value_kind(d)
        for d in await session.scalars(
            select(TagDefinition).where(TagDefinition.status != "archived")
        )
    }
    planned: dict[str, PlannedTag] = {}
    for d in chosen:
        assert d.rule is not None
        typed, compiled = _compile(d, known)
        if incremental and compiled.ranks_all_customers:
            continue
        planned[d.key] = PlannedTag(
            id=d.id,
            key=d.key,
            version=d.version,
            value_type=d.value_type,
            dependencies=tuple(sorted(set(typed.dependencies))),
            compiled=compiled,
        )
    return layers(planned)


# Compiled rules by (tag, version, rule, the tags it may read): a server process's
# worker compiles each rule once, not on every dirty run. Bounded by clearing.
_COMPILED: dict[tuple[Any, ...], tuple[TypedRule, CompiledRule]] = {}
_COMPILED_MAX = 10_000


def _compile(d: TagDefinition, known: dict[str, ValueType]) -> tuple[TypedRule, CompiledRule]:
    assert d.rule is not None
    reads = tuple(sorted((k, known[k]) for k in d.dependencies if k in known))
    key = (d.id, d.version, d.rule, d.value_type, tuple(d.enum_values), reads)
    cached = _COMPILED.get(key)
    if cached is None:
        typed = check_rule(d.rule, value_type=value_kind(d), known_tags=known)
        if len(_COMPILED) >= _COMPILED_MAX:
            _COMPILED.clear()
        cached = _COMPILED[key] = (typed, compile_rule(typed))
    return cached


def layers(planned: dict[str, PlannedTag]) -> list[list[PlannedTag]]:
    depth: dict[str, int] = {}

    def level(key: str, trail: tuple[str, ...] = ()) -> int:
        if key in depth:
            return depth[key]
        if key in trail:  # saved definitions are acyclic; a cycle here is corruption
            raise Conflict(f"tag dependencies form a cycle: {' → '.join((*trail, key))}")
        inside = [d for d in planned[key].dependencies if d in planned]
        depth[key] = 1 + max((level(d, (*trail, key)) for d in inside), default=-1)
        return depth[key]

    for key in planned:
        level(key)
    grouped: list[list[PlannedTag]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for key in sorted(planned):
        grouped[depth[key]].append(planned[key])
    return grouped
