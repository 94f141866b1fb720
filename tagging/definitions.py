"""Tag definitions: create, edit (every edit a new version), publish, archive.

A rule is type-checked when it is saved, never at run time: a definition in the
table always holds a rule that parsed, type-checked against its value type, used
only fields its author may filter on, and kept the ``has_tag`` graph acyclic.
The engine evaluates ``active`` definitions only; a ``draft`` can be edited and
previewed, an ``archived`` one keeps its history but no longer has values.

Services flush, the caller's boundary commits.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import TagDefinition, TagEvent, TagValue, TagVersion
from cdp.db.models.tag import TAG_KINDS, TAG_REFRESH_POLICIES, TAG_VALUE_TYPES
from cdp.errors import Conflict, InvalidInput, NotFound
from tagging.language import check_rule, find_cycle
from tagging.language.errors import TagCycle
from tagging.language.types import ValueType

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
MAX_NAME = 100
MAX_RULE = 20_000
MAX_ENUM_VALUES = 32


@dataclass(frozen=True)
class TagSpec:
    """The editable fields of a definition, as a user or the library file gives them."""

    key: str
    name_zh: str
    name_en: str
    category: str
    value_type: str = "boolean"
    rule: str | None = None
    enum_values: tuple[str, ...] = ()
    description: str = ""
    refresh: str = "on_change"
    kind: str = "rule"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["enum_values"] = list(self.enum_values)
        return data


@dataclass(frozen=True)
class Checked:
    """What saving learnt from the rule: the tags it reads and the fields it needs."""

    dependencies: tuple[str, ...] = ()
    permission_fields: tuple[str, ...] = field(default_factory=tuple)


def _check_fields(spec: TagSpec) -> None:
    if not KEY_PATTERN.match(spec.key):
        raise InvalidInput(
            f"tag key {spec.key!r} must be 2-64 characters: a lower-case letter, then "
            "lower-case letters, digits or _"
        )
    for label, text in (("name_zh", spec.name_zh), ("name_en", spec.name_en)):
        if not text.strip() or len(text) > MAX_NAME:
            raise InvalidInput(f"{label} must be 1-{MAX_NAME} characters")
    if not spec.category.strip() or len(spec.category) > 32:
        raise InvalidInput("category must be 1-32 characters")
    if spec.value_type not in TAG_VALUE_TYPES:
        raise InvalidInput(f"value type must be one of {', '.join(TAG_VALUE_TYPES)}")
    if spec.refresh not in TAG_REFRESH_POLICIES:
        raise InvalidInput(f"refresh must be one of {', '.join(TAG_REFRESH_POLICIES)}")
    if spec.kind not in TAG_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(TAG_KINDS)}")
    if spec.value_type == "enum":
        values = spec.enum_values
        if not values or len(values) > MAX_ENUM_VALUES:
            raise InvalidInput(f"an enum tag needs 1-{MAX_ENUM_VALUES} values")
        if len(set(values)) != len(values) or any(not v or len(v) > 64 for v in values):
            raise InvalidInput("enum values must be distinct, 1-64 characters each")
    elif spec.enum_values:
        raise InvalidInput("only an enum tag has enum values")
    if spec.kind == "rule":
        if not spec.rule or not spec.rule.strip():
            raise InvalidInput("a rule tag needs a rule")
        if len(spec.rule) > MAX_RULE:
            raise InvalidInput(f"a rule is at most {MAX_RULE:,} characters")
    elif spec.rule:
        raise InvalidInput("a manual tag has no rule")


async def _known_tags(session: AsyncSession, excluding: str) -> dict[str, TagDefinition]:
    rows = await session.scalars(
        select(TagDefinition).where(
            TagDefinition.status != "archived", TagDefinition.key != excluding
        )
    )
    return {d.key: d for d in rows}


def value_kind(definition: TagDefinition | TagSpec) -> ValueType:
    """A tag's type as the rule language knows it: enum tags carry their labels."""
    if definition.value_type == "enum":
        return ValueType.enum(*definition.enum_values)
    if definition.value_type == "number":
        return ValueType.number()
    return ValueType.boolean()


async def check_spec(
    session: AsyncSession, spec: TagSpec, *, filterable: Callable[[str], bool] | None = None
) -> Checked:
    """Validate a spec as saving would, without saving anything.

    ``filterable`` says whether the author may filter on a ``Type.field`` (``None``:
    no restriction, for operators loading the library).
    """
    _check_fields(spec)
    if spec.kind == "manual":
        return Checked()
    assert spec.rule is not None
    known = await _known_tags(session, spec.key)
    typed = check_rule(
        spec.rule,
        value_type=value_kind(spec),
        filterable=filterable,
        known_tags={k: value_kind(d) for k, d in known.items()},
    )
    dependencies = tuple(sorted(set(typed.dependencies)))
    edges = {k: list(d.dependencies) for k, d in known.items()}
    edges[spec.key] = list(dependencies)
    cycle = find_cycle(edges)
    if cycle:
        raise TagCycle(f"has_tag dependencies would form a cycle: {' → '.join(cycle)}", cycle=cycle)
    return Checked(dependencies, tuple(sorted(set(typed.permission_fields))))


async def get_tag(session: AsyncSession, key: str) -> TagDefinition:
    definition = await session.scalar(select(TagDefinition).where(TagDefinition.key == key))
    if definition is None:
        raise NotFound(f"no tag {key!r}")
    return definition


async def list_tags(
    session: AsyncSession, *, statuses: Sequence[str] | None = None
) -> list[TagDefinition]:
    stmt = select(TagDefinition).order_by(TagDefinition.category, TagDefinition.key)
    if statuses:
        stmt = stmt.where(TagDefinition.status.in_(statuses))
    return list(await session.scalars(stmt))


def _columns(spec: TagSpec, checked: Checked) -> dict[str, Any]:
    return {
        "name_zh": spec.name_zh,
        "name_en": spec.name_en,
        "category": spec.category,
        "description": spec.description,
        "kind": spec.kind,
        "value_type": spec.value_type,
        "enum_values": list(spec.enum_values),
        "rule": spec.rule,
        "refresh": spec.refresh,
        "dependencies": list(checked.dependencies),
        "permission_fields": list(checked.permission_fields),
    }


async def create_tag(
    session: AsyncSession,
    spec: TagSpec,
    *,
    actor: str,
    filterable: Callable[[str], bool] | None = None,
) -> TagDefinition:
    """A new draft at version 1."""
    checked = await check_spec(session, spec, filterable=filterable)
    if await session.scalar(select(TagDefinition.id).where(TagDefinition.key == spec.key)):
        raise Conflict(f"tag {spec.key!r} exists; edit it instead")
    definition = TagDefinition(key=spec.key, owner=actor, status="draft", version=1)
    for name, value in _columns(spec, checked).items():
        setattr(definition, name, value)
    session.add(definition)
    await session.flush()
    session.add(TagVersion(tag_id=definition.id, version=1, spec=spec.as_json(), created_by=actor))
    await session.flush()
    return definition


def spec_of(definition: TagDefinition) -> TagSpec:
    return TagSpec(
        key=definition.key,
        name_zh=definition.name_zh,
        name_en=definition.name_en,
        category=definition.category,
        value_type=definition.value_type,
        rule=definition.rule,
        enum_values=tuple(definition.enum_values),
        description=definition.description,
        refresh=definition.refresh,
        kind=definition.kind,
    )


async def update_tag(
    session: AsyncSession,
    key: str,
    changes: Mapping[str, Any],
    *,
    actor: str,
    filterable: Callable[[str], bool] | None = None,
) -> TagDefinition:
    """Apply ``changes`` (spec fields) as a new version; no-op edits make no version.

    The key cannot change (values and history hang off it). An active tag stays
    active: its next run computes with the new version.
    """
    definition = await get_tag(session, key)
    if definition.status == "archived":
        raise Conflict(f"tag {key!r} is archived")
    unknown = set(changes) - set(TagSpec.__dataclass_fields__) | ({"key"} & set(changes))
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    current = spec_of(definition)
    values = dict(changes)
    if "enum_values" in values:
        values["enum_values"] = tuple(values["enum_values"])
    spec = replace(current, **values)
    if spec == current:
        return definition
    checked = await check_spec(session, spec, filterable=filterable)
    definition.version += 1
    for name, value in _columns(spec, checked).items():
        setattr(definition, name, value)
    session.add(
        TagVersion(
            tag_id=definition.id, version=definition.version, spec=spec.as_json(), created_by=actor
        )
    )
    await session.flush()
    return definition


async def publish_tag(session: AsyncSession, key: str) -> TagDefinition:
    """draft → active; a tag can only read tags that are active themselves."""
    definition = await get_tag(session, key)
    if definition.status != "draft":
        raise Conflict(f"tag {key!r} is {definition.status}, only a draft can be published")
    if definition.dependencies:
        active = set(
            await session.scalars(
                select(TagDefinition.key).where(
                    TagDefinition.key.in_(definition.dependencies),
                    TagDefinition.status == "active",
                )
            )
        )
        missing = sorted(set(definition.dependencies) - active)
        if missing:
            raise Conflict(f"tag {key!r} reads tags that are not active: {', '.join(missing)}")
    definition.status = "active"
    await session.flush()
    return definition


async def archive_tag(session: AsyncSession, key: str, *, actor: str) -> TagDefinition:
    """→ archived: no more values (each removal is a ``left`` event); history stays."""
    definition = await get_tag(session, key)
    if definition.status == "archived":
        return definition
    readers = list(
        await session.scalars(
            select(TagDefinition.key).where(
                TagDefinition.dependencies.contains([key]), TagDefinition.status != "archived"
            )
        )
    )
    if readers:
        raise Conflict(f"tags {', '.join(sorted(readers))} read {key!r}; archive them first")
    removed = (
        delete(TagValue)
        .where(TagValue.tag_id == definition.id)
        .returning(TagValue.customer_id, TagValue.value)
        .cte("removed")
    )
    await session.execute(
        insert(TagEvent).from_select(
            ["tag_id", "customer_id", "kind", "old_value", "version", "actor"],
            select(
                literal(definition.id),
                removed.c.customer_id,
                literal("left"),
                removed.c.value,
                literal(definition.version),
                literal(actor),
            ),
        )
    )
    await session.execute(
        update(TagDefinition).where(TagDefinition.id == definition.id).values(status="archived")
    )
    await session.refresh(definition)
    return definition
