"""A customer's tag history: the timeline of changes and the tags held on a date.

Only events of tags whose values the caller may read (``tagging.visibility``) are
listed, selected in SQL so that pages come back full.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.relay import PageInfo

from cdp.errors import InvalidInput
from schema.relay import open_cursor, seal_cursor
from schema.tag_rights import may_filter
from schema.types.info import Info
from schema.types.tag import Tag, tag_value_text
from tagging.store import tags_as_of
from tagging.timeline_pages import timeline_page
from tagging.visibility import readable_tags


@strawberry.type(description="One change of a customer's tag value.")
class TagEvent:
    key: str | None = strawberry.field(description="The tag key.")
    kind: str | None = strawberry.field(description="entered, left or changed.")
    old_value: str | None = strawberry.field(description="The value before; null on entered.")
    new_value: str | None = strawberry.field(description="The value after; null on left.")
    version: int | None = strawberry.field(description="The definition version that decided.")
    run_id: int | None = strawberry.field(description="The run that decided; null if a person.")
    actor: str | None = strawberry.field(description="Who set a manual value or archived it.")
    occurred_at: datetime | None = strawberry.field(description="When the change was recorded.")


@strawberry.type(description="A page of a customer's tag timeline, newest first.")
class TagEventConnection:
    nodes: list[TagEvent] = strawberry.field(description="The events.")
    page_info: PageInfo = strawberry.field(description="Whether more (older) events follow.")


def _text(value: Any) -> str | None:
    return None if value is None else tag_value_text(value)


async def _readable(info: Info) -> frozenset[str]:
    ctx = info.context
    inputs = await ctx.loaders.tag_inputs.load(None)
    return readable_tags(inputs, may_filter(ctx.policy))


async def timeline_of(
    info: Info,
    customer_id: int,
    first: int | None,
    after: str | None,
    since: datetime | None,
    until: datetime | None,
) -> TagEventConnection:
    ctx = info.context
    ctx.policy.require_read("Customer", "tagTimeline")
    size = ctx.settings.max_page_size if first is None else first
    if not 0 <= size <= ctx.settings.max_page_size:
        raise InvalidInput(f"first must be 0-{ctx.settings.max_page_size}", argument="first")
    cursor = open_cursor(after, ctx.policy.audience)
    before_id = None
    if cursor is not None:
        if not cursor.startswith("tag-event:") or not cursor[10:].isdigit():
            raise InvalidInput("invalid cursor", argument="after")
        before_id = int(cursor[10:])
    readable = await _readable(info)
    async with ctx.lock:
        rows = await timeline_page(
            ctx.session,
            customer_id,
            size=size,
            keys=sorted(readable),
            before_id=before_id,
            since=since,
            until=until,
        )
    kept = rows[:size]
    nodes = [
        TagEvent(
            **ctx.policy.project(
                "TagEvent",
                {
                    "key": r.key,
                    "kind": r.kind,
                    "old_value": _text(r.old_value),
                    "new_value": _text(r.new_value),
                    "version": r.version,
                    "run_id": r.run_id,
                    "actor": r.actor,
                    "occurred_at": r.occurred_at,
                },
            )
        )
        for r in kept
    ]

    def seal(row: Any) -> str:
        return seal_cursor(f"tag-event:{row.id}", ctx.policy.audience)

    page = PageInfo(
        has_next_page=len(rows) > size,
        has_previous_page=before_id is not None,
        start_cursor=seal(kept[0]) if kept else None,
        end_cursor=seal(kept[-1]) if kept else None,
    )
    return TagEventConnection(nodes=nodes, page_info=page)


async def as_of(info: Info, customer_id: int, day: date) -> list[Tag]:
    ctx = info.context
    ctx.policy.require_read("Customer", "tagsAsOf")
    readable = await _readable(info)
    async with ctx.lock:
        held = await tags_as_of(ctx.session, customer_id, day)
    return [
        Tag(**ctx.policy.project("Tag", _as_of_values(key, value)))
        for key, value in held.items()
        if key in readable
    ]


def _as_of_values(key: str, value: Any) -> dict[str, Any]:
    """A past value: its key and value; the rest is what it is now, not then."""
    return {
        "key": key,
        "name": None,
        "name_en": None,
        "category": None,
        "value": tag_value_text(value),
        "since": None,
        "version": None,
        "source": None,
        "explanation": None,
        "evidence": None,
    }
