"""Segment definitions: create, edit (every edit a new version), publish, archive.

A segment's rule is a boolean rule of the tag language over tags and customer
attributes. It is checked when saved, as a tag's is: it parses, gives a boolean,
names only tags that exist, and uses only fields its author may filter on (so a
segment count cannot reveal a field its author may not filter by). Services
flush; the caller's boundary commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import SegmentDefinition, SegmentMember, SegmentVersion, TagDefinition
from cdp.errors import Conflict, InvalidInput, NotFound
from tagging.definitions import KEY_PATTERN, MAX_NAME, MAX_RULE, value_kind
from tagging.language import TypedRule, ValueType, check_rule


@dataclass(frozen=True)
class SegmentSpec:
    """The editable fields of a segment."""

    key: str
    name: str
    rule: str
    description: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _check_fields(spec: SegmentSpec) -> None:
    # PostgreSQL text cannot hold NUL: refused here, before any statement runs.
    if any("\x00" in text for text in (spec.key, spec.name, spec.rule, spec.description)):
        raise InvalidInput("text may not contain the NUL character")
    if not KEY_PATTERN.match(spec.key):
        raise InvalidInput(
            f"segment key {spec.key!r} must be 2-64 characters: a lower-case letter, then "
            "lower-case letters, digits or _"
        )
    if not spec.name.strip() or len(spec.name) > MAX_NAME:
        raise InvalidInput(f"name must be 1-{MAX_NAME} characters")
    if len(spec.description) > 2000:
        raise InvalidInput("description is at most 2,000 characters")
    if not spec.rule.strip():
        raise InvalidInput("a segment needs a rule")
    if len(spec.rule) > MAX_RULE:
        raise InvalidInput(f"a rule is at most {MAX_RULE:,} characters")


async def known_tags(session: AsyncSession) -> dict[str, ValueType]:
    """Tags a segment rule may name: every tag that is not archived."""
    rows = await session.scalars(select(TagDefinition).where(TagDefinition.status != "archived"))
    return {d.key: value_kind(d) for d in rows}


async def check_segment_rule(
    session: AsyncSession, rule: str, *, filterable: Callable[[str], bool] | None
) -> TypedRule:
    """The rule checked as a boolean rule; ``filterable`` as in ``check_rule``."""
    if len(rule) > MAX_RULE:
        raise InvalidInput(f"a rule is at most {MAX_RULE:,} characters")
    return check_rule(
        rule,
        value_type=ValueType.boolean(),
        filterable=filterable,
        known_tags=await known_tags(session),
    )


async def get_segment(session: AsyncSession, key: str) -> SegmentDefinition:
    segment = await session.scalar(select(SegmentDefinition).where(SegmentDefinition.key == key))
    if segment is None:
        raise NotFound(f"no segment {key!r}")
    return segment


async def list_segments(
    session: AsyncSession, *, after: str | None = None, limit: int = 50
) -> list[SegmentDefinition]:
    """Segments in key order, from after the key ``after`` (keyset pagination)."""
    stmt = select(SegmentDefinition).order_by(SegmentDefinition.key).limit(limit)
    if after is not None:
        stmt = stmt.where(SegmentDefinition.key > after)
    return list(await session.scalars(stmt))


async def versions(session: AsyncSession, segment: SegmentDefinition) -> list[SegmentVersion]:
    return list(
        await session.scalars(
            select(SegmentVersion)
            .where(SegmentVersion.segment_id == segment.id)
            .order_by(SegmentVersion.version)
        )
    )


def _apply(segment: SegmentDefinition, spec: SegmentSpec, rule: TypedRule) -> None:
    segment.name = spec.name
    segment.description = spec.description
    segment.rule = spec.rule
    segment.dependencies = sorted(rule.dependencies)
    segment.permission_fields = sorted(rule.permission_fields)


async def create_segment(
    session: AsyncSession,
    spec: SegmentSpec,
    *,
    actor: str,
    filterable: Callable[[str], bool] | None = None,
) -> SegmentDefinition:
    """A new draft at version 1."""
    _check_fields(spec)
    rule = await check_segment_rule(session, spec.rule, filterable=filterable)
    exists = await session.scalar(
        select(SegmentDefinition.id).where(SegmentDefinition.key == spec.key)
    )
    if exists:
        raise Conflict(f"segment {spec.key!r} exists; edit it instead")
    segment = SegmentDefinition(key=spec.key, owner=actor, status="draft", version=1)
    _apply(segment, spec, rule)
    session.add(segment)
    await session.flush()
    session.add(
        SegmentVersion(segment_id=segment.id, version=1, spec=spec.as_json(), created_by=actor)
    )
    await session.flush()
    return segment


def spec_of(segment: SegmentDefinition) -> SegmentSpec:
    return SegmentSpec(segment.key, segment.name, segment.rule, segment.description)


async def update_segment(
    session: AsyncSession,
    key: str,
    changes: Mapping[str, Any],
    *,
    actor: str,
    filterable: Callable[[str], bool] | None = None,
) -> SegmentDefinition:
    """Apply ``changes`` (name, rule, description) as a new version; no-op edits make none."""
    segment = await get_segment(session, key)
    if segment.status == "archived":
        raise Conflict(f"segment {key!r} is archived")
    unknown = set(changes) - {"name", "rule", "description"}
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    current = spec_of(segment)
    spec = replace(current, **dict(changes))
    if spec == current:
        return segment
    _check_fields(spec)
    rule = await check_segment_rule(session, spec.rule, filterable=filterable)
    segment.version += 1
    _apply(segment, spec, rule)
    session.add(
        SegmentVersion(
            segment_id=segment.id, version=segment.version, spec=spec.as_json(), created_by=actor
        )
    )
    await session.flush()
    return segment


async def publish_segment(session: AsyncSession, key: str) -> SegmentDefinition:
    """draft → active: an active segment can be refreshed and exported."""
    segment = await get_segment(session, key)
    if segment.status != "draft":
        raise Conflict(f"segment {key!r} is {segment.status}, only a draft can be published")
    segment.status = "active"
    await session.flush()
    return segment


async def archive_segment(session: AsyncSession, key: str) -> SegmentDefinition:
    """→ archived: members are dropped (no more exports); versions and history stay."""
    segment = await get_segment(session, key)
    if segment.status != "archived":
        await session.execute(delete(SegmentMember).where(SegmentMember.segment_id == segment.id))
        segment.status = "archived"
        segment.members = 0
        await session.flush()
    return segment
