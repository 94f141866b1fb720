"""Tag definitions a page at a time, by key, filtered by category, status and text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.db.engine import read
from cdp.db.models import TagDefinition, TagVersion
from cdp.keyset import AnyRow

TAG_ORDERING = keyset.Ordering("key", TagDefinition.key, TagDefinition.id, "key", str)

DEFINITION_COLUMNS = (
    TagDefinition.id,
    TagDefinition.key,
    TagDefinition.name_zh,
    TagDefinition.name_en,
    TagDefinition.category,
    TagDefinition.description,
    TagDefinition.owner,
    TagDefinition.kind,
    TagDefinition.value_type,
    TagDefinition.enum_values,
    TagDefinition.rule,
    TagDefinition.refresh,
    TagDefinition.dependencies,
    TagDefinition.permission_fields,
    TagDefinition.status,
    TagDefinition.version,
    TagDefinition.updated_at,
)


@dataclass(frozen=True)
class DefinitionFilter:
    categories: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    search: str | None = None


def _where(f: DefinitionFilter) -> Any:
    conditions: list[Any] = [TagDefinition.id.is_not(None)]
    if f.categories:
        conditions.append(TagDefinition.category.in_(f.categories))
    if f.statuses:
        conditions.append(TagDefinition.status.in_(f.statuses))
    if f.search:
        # A bound parameter, its wildcards escaped: the text is searched for as typed.
        escaped = f.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        conditions.append(
            or_(
                TagDefinition.key.ilike(pattern, escape="\\"),
                TagDefinition.name_zh.ilike(pattern, escape="\\"),
                TagDefinition.name_en.ilike(pattern, escape="\\"),
            )
        )
    return conditions


async def definitions_page(
    session: AsyncSession, f: DefinitionFilter, win: keyset.Window
) -> keyset.Page[AnyRow]:
    stmt = select(*DEFINITION_COLUMNS).where(*_where(f))
    rows = (await read(session, keyset.apply(stmt, TAG_ORDERING, win))).all()
    return keyset.page(rows, win)


async def definitions_count(session: AsyncSession, f: DefinitionFilter) -> int:
    stmt = select(func.count()).select_from(TagDefinition).where(*_where(f))
    return int((await read(session, stmt)).scalar_one())


async def definition_by_key(session: AsyncSession, key: str) -> AnyRow | None:
    stmt = select(*DEFINITION_COLUMNS).where(TagDefinition.key == key)
    return (await read(session, stmt)).first()


async def versions_of(session: AsyncSession, tag_id: int) -> Sequence[AnyRow]:
    """Every saved version of a definition, newest first."""
    stmt = (
        select(TagVersion.version, TagVersion.spec, TagVersion.created_by, TagVersion.created_at)
        .where(TagVersion.tag_id == tag_id)
        .order_by(TagVersion.version.desc())
    )
    return (await read(session, stmt)).all()
