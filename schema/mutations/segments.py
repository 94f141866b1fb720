"""Segment mutations: save (every edit a version), publish, archive, refresh, export.

Writing a segment needs ``write`` on ``Segment.rule``; its rule may only use fields
the author may filter on. An export needs ``read`` on ``SegmentExport.content``,
then the caller's field plan decides the fields (``cdp.exports``): denied fields
are refused by name, masked ones stay masked, the row scope applies, a marketing
export leaves out customers who opted out, and the export is audited. The answer
carries at most ``first`` rows (1,000 by default, at most 5,000) with a cursor for
the next page; the CLI writes whole segments to files.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cdp.db.engine import finish_then_cancel
from cdp.errors import Forbidden, InvalidInput
from cdp.exports import FORMATS, ExportRequest, export_segment, render
from schema.bounds import bounded
from schema.plan_policy import PlanPolicy
from schema.segments import KEY, RULE, SegmentKey, build_segment
from schema.tag_rights import may_filter
from schema.types.info import Info
from schema.types.segment import Segment
from schema.types.segment_export import SegmentExport
from tagging import segments

MAX_EXPORT_PAGE = 5_000

NameArg = Annotated[
    str, strawberry.argument(description="Display name.", metadata=bounded(max_length=100))
]
DescriptionArg = Annotated[
    str | None,
    strawberry.argument(description="What the segment is for.", metadata=bounded(max_length=2000)),
]


def _require_write(info: Info) -> None:
    info.context.policy.require_write("Segment", ["rule"])


async def _answer(info: Info, key: str) -> Segment:
    """The segment as the caller reads it, after the write committed."""
    ctx = info.context

    async def work() -> Segment:
        async with ctx.lock:
            return await build_segment(info, await segments.get_segment(ctx.session, key))

    return await finish_then_cancel(work())


@strawberry.type
class SegmentMutationMixin:
    @strawberry.mutation(description="Save a new segment as a draft (version 1).")
    async def create_segment(
        self,
        info: Info,
        key: SegmentKey,
        name: NameArg,
        rule: Annotated[str, strawberry.argument(description="A boolean rule.", metadata=RULE)],
        description: DescriptionArg = None,
    ) -> Segment:
        _require_write(info)
        ctx = info.context
        spec = segments.SegmentSpec(key, name, rule, description or "")
        async with ctx.db.write_session() as session:
            await segments.create_segment(
                session, spec, actor=ctx.principal.subject, filterable=may_filter(ctx.policy)
            )
            await session.commit()
        return await _answer(info, key)

    @strawberry.mutation(description="Edit a segment: every change is a new version.")
    async def update_segment(
        self,
        info: Info,
        key: SegmentKey,
        name: Annotated[
            str | None,
            strawberry.argument(description="New name.", metadata=bounded(max_length=100)),
        ] = None,
        rule: Annotated[
            str | None, strawberry.argument(description="New rule.", metadata=RULE)
        ] = None,
        description: DescriptionArg = None,
    ) -> Segment:
        _require_write(info)
        ctx = info.context
        changes = {
            k: v
            for k, v in (("name", name), ("rule", rule), ("description", description))
            if v is not None
        }
        if not changes:
            raise InvalidInput("nothing to change: give a name, rule or description")
        async with ctx.db.write_session() as session:
            await segments.update_segment(
                session,
                key,
                changes,
                actor=ctx.principal.subject,
                filterable=may_filter(ctx.policy),
            )
            await session.commit()
        return await _answer(info, key)

    @strawberry.mutation(description="draft → active: the segment can be refreshed and exported.")
    async def publish_segment(self, info: Info, key: SegmentKey) -> Segment:
        _require_write(info)
        async with info.context.db.write_session() as session:
            await segments.publish_segment(session, key)
            await session.commit()
        return await _answer(info, key)

    @strawberry.mutation(description="→ archived: members are dropped; versions and history stay.")
    async def archive_segment(self, info: Info, key: SegmentKey) -> Segment:
        _require_write(info)
        async with info.context.db.write_session() as session:
            await segments.archive_segment(session, key)
            await session.commit()
        return await _answer(info, key)

    @strawberry.mutation(
        description="Recompute an active segment's members now; who entered and who left "
        "is recorded with the run."
    )
    async def refresh_segment(self, info: Info, key: SegmentKey) -> Segment:
        _require_write(info)
        ctx = info.context
        async with ctx.db.write_session() as session:
            await segments.refresh_segment(session, key, actor=ctx.principal.subject)
            await session.commit()
        return await _answer(info, key)

    @strawberry.mutation(
        description="Export the permitted fields of an active segment's members (as of its "
        "last refresh) in your row scope, as CSV or JSON Lines. Denied fields are refused "
        "(FORBIDDEN_FIELD naming them), masked ones stay masked; a marketing export (the "
        "default) leaves out customers who opted out of marketing. Audited."
    )
    async def export_segment(
        self,
        info: Info,
        key: SegmentKey,
        fields: Annotated[
            list[str],
            strawberry.argument(
                description="Customer fields by their GraphQL names, e.g. customerNo, city.",
                metadata=bounded(max_length=32),
            ),
        ],
        format: Annotated[
            str, strawberry.argument(description="csv or jsonl.", metadata=bounded(max_length=8))
        ] = "csv",
        purpose: Annotated[
            str,
            strawberry.argument(
                description="marketing (default), profiling or partner_sharing: its consent "
                "is required.",
                metadata=bounded(max_length=32),
            ),
        ] = "marketing",
        first: Annotated[
            int,
            strawberry.argument(
                description="Rows at most in this answer.", metadata=bounded(1, MAX_EXPORT_PAGE)
            ),
        ] = 1000,
        after: Annotated[
            str | None,
            strawberry.argument(description="`nextCursor` of the previous page.", metadata=KEY),
        ] = None,
    ) -> SegmentExport:
        ctx = info.context
        # A mutation (it writes the audit trail): refused as one, before anything runs.
        if not ctx.policy.wants("SegmentExport", "content"):
            raise Forbidden("you may not export segments")
        policy = ctx.policy
        if not isinstance(policy, PlanPolicy):
            raise Forbidden("exports need a compiled field policy")
        if format not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}")
        if after is not None and not after.isdigit():
            raise InvalidInput("after: not a cursor of this export")
        request = ExportRequest(
            key,
            tuple(fields),
            purpose=purpose,
            after=None if after is None else int(after),
            limit=first,
        )
        async with ctx.db.write_session() as session:
            done = await export_segment(session, policy.rules.plan, ctx.principal, request)
            await session.commit()
        values = {
            "format": format,
            "fields": list(done.fields),
            "content": render(done.fields, done.rows, format),
            "rows": len(done.rows),
            "members_in_scope": done.members_in_scope,
            "without_consent": done.without_consent,
            "next_cursor": None if done.next_after is None else str(done.next_after),
        }
        return SegmentExport(**policy.project("SegmentExport", values))
