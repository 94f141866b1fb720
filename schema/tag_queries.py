"""Tag definitions: the list (a Relay connection) and one tag by key.

Definitions are reference data, not about any customer, so no row scope applies;
each field is governed by ``TagDefinition.*`` lines (the rule text by
``TagDefinition.rule``), and filtering by ``TagDefinition.*`` filter lines.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cdp.errors import NotFound
from cdp.keyset import AnyRow
from schema.permissions import FieldPolicy
from schema.relay import Connection, connection, window
from schema.types.info import Info
from schema.types.tag_definition import TAG_KEY, TagDefinitionFilter, TagDefinitionType
from tagging.definition_pages import (
    TAG_ORDERING,
    DefinitionFilter,
    definition_by_key,
    definitions_count,
    definitions_page,
)


def definition(row: AnyRow, policy: FieldPolicy) -> TagDefinitionType:
    values = {
        "key": row.key,
        "name": row.name_zh,
        "name_en": row.name_en,
        "category": row.category,
        "description": row.description,
        "owner": row.owner,
        "kind": row.kind,
        "value_type": row.value_type,
        "enum_values": list(row.enum_values or ()),
        "rule": row.rule,
        "refresh": row.refresh,
        "dependencies": list(row.dependencies or ()),
        "inputs": list(row.permission_fields or ()),
        "status": row.status,
        "version": row.version,
        "updated_at": row.updated_at,
    }
    return TagDefinitionType(pk=row.id, **policy.project("TagDefinition", values))


def _domain_filter(info: Info, f: TagDefinitionFilter | None) -> DefinitionFilter:
    if f is None:
        return DefinitionFilter()
    used = [
        name
        for name, given in (
            ("category", f.categories),
            ("status", f.statuses),
            ("key", f.search),
        )
        if given
    ]
    if f.search:
        used += ["name", "nameEn"]
    info.context.policy.require_filter("TagDefinition", used)
    return DefinitionFilter(f.categories, f.statuses, f.search)


@strawberry.type
class TagQueryMixin:
    @strawberry.field(description="Tag definitions by key, a page at a time.")
    async def tag_definitions(
        self,
        info: Info,
        filter: Annotated[
            TagDefinitionFilter | None,
            strawberry.argument(description="Which definitions; all when omitted."),
        ] = None,
        first: Annotated[
            int | None,
            strawberry.argument(description="Page size (at most the maximum)."),
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="Return items after this cursor.")
        ] = None,
    ) -> Connection[TagDefinitionType]:
        ctx = info.context
        # A role that reads nothing of definitions is refused outright, not shown husks.
        ctx.policy.require_read("TagDefinition", "key")
        criteria = _domain_filter(info, filter)
        win = window(
            TAG_ORDERING,
            first=first,
            after=after,
            last=None,
            before=None,
            max_size=ctx.settings.max_page_size,
            audience=ctx.policy.audience,
        )
        async with ctx.lock:
            page = await definitions_page(ctx.session, criteria, win)
        nodes = [definition(r, ctx.policy) for r in page.rows]

        async def count() -> int:
            async with ctx.lock:
                return await definitions_count(ctx.session, criteria)

        return connection(
            page, nodes, TAG_ORDERING, count, with_edges=True, audience=ctx.policy.audience
        )

    @strawberry.field(description="One tag definition by key.")
    async def tag(
        self,
        info: Info,
        key: Annotated[str, strawberry.argument(description="The tag key.", metadata=TAG_KEY)],
    ) -> TagDefinitionType:
        ctx = info.context
        ctx.policy.require_read("TagDefinition", "key")
        async with ctx.lock:
            row = await definition_by_key(ctx.session, key)
        if row is None:
            raise NotFound(f"no tag {key!r}")
        return definition(row, ctx.policy)
