"""Segment reads: definitions, previews and overlaps, in the caller's scope and rights.

Database work runs to its end even when graphql-core cancels a sibling field
(``finish_then_cancel``): a statement cancelled half-way would leave the
request's connection unusable.

Every count runs inside the caller's row scope and is withheld (null) below
``CDP_MIN_GROUP_SIZE`` for roles that may not read customers' numbers
(``Customer.customerNo``), so a narrow rule cannot single a person out. A rule
may only read fields its author may filter on (``FORBIDDEN_FILTER`` naming them),
and the fields it read are recorded in the audit trail as used to filter
(``Customer.aum@filter``), for the customers it returned: a search for a value
through repeated previews leaves the same trace as a filtered list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import strawberry

from cdp.customers.repository import CustomerRepository
from cdp.db.engine import finish_then_cancel
from cdp.errors import ForbiddenFilter, InvalidInput
from policies.sensitive import SENSITIVE_FIELDS
from schema.bounds import bounded
from schema.dataloaders import assemble
from schema.dataloaders.lookahead import selection_of
from schema.permissions import FieldPolicy
from schema.tag_rights import may_filter
from schema.types.info import Info
from schema.types.segment import Segment, SegmentConnection
from schema.types.segment_overlap import SegmentOverlap
from schema.types.segment_preview import SegmentPreview
from schema.types.segment_run import SegmentRun
from schema.types.segment_version import SegmentVersion
from tagging import segments
from tagging.definitions import MAX_RULE, get_tag

KEY = bounded(max_length=64)
RULE = bounded(max_length=MAX_RULE)
MAX_SEGMENT_PAGE = 100

SegmentKey = Annotated[str, strawberry.argument(description="The segment's key.", metadata=KEY)]
RuleArg = Annotated[
    str,
    strawberry.argument(description="A boolean rule in the tag rule language.", metadata=RULE),
]


def withhold(policy: FieldPolicy, min_group_size: int, n: int) -> int | None:
    """``n``, or null for a small group (but not none) when the caller may not read
    customers' numbers in clear, i.e. may not see individuals."""
    if 0 < n < min_group_size and not policy.in_clear("Customer", "customerNo"):
        return None
    return n


def withheld(info: Info, n: int) -> int | None:
    ctx = info.context
    return withhold(ctx.policy, ctx.settings.min_group_size, n)


def note_rule_use(info: Info, fields: tuple[str, ...] | list[str], ids: list[int]) -> None:
    """The rule's sensitive fields selected customers: audited as a filter would be."""
    info.context.audit.note_use([f for f in fields if f in SENSITIVE_FIELDS], "filter", ids)


def require_counting(info: Info, fields: list[str]) -> None:
    """A count of a saved group reveals what its rule reads: the caller must be allowed
    to filter on those fields as if writing the rule (``FORBIDDEN_FILTER`` otherwise)."""
    may = may_filter(info.context.policy)
    refused = sorted(f for f in fields if not may(f))
    if refused:
        raise ForbiddenFilter(f"you may not filter on {', '.join(refused)}", fields=refused)


def _may_count(info: Info, segment: Any) -> bool:
    may = may_filter(info.context.policy)
    return all(may(f) for f in segment.permission_fields)


async def _scoped_runs(info: Info, segment: Any) -> list[SegmentRun]:
    ctx = info.context
    if not _may_count(info, segment):
        return []
    points = await segments.history(
        ctx.session, segment, scope=ctx.policy.scope("customer"), limit=30
    )
    policy = ctx.policy
    return [
        SegmentRun(
            **policy.project(
                "SegmentRun",
                {
                    "run_id": p.run_id,
                    "started_at": p.started_at,
                    "version": p.version,
                    "size": withheld(info, p.members),
                    "entered": withheld(info, p.entered),
                    "left": withheld(info, p.left),
                },
            )
        )
        for p in points
    ]


async def build_segment(info: Info, segment: Any) -> Segment:
    ctx = info.context
    policy = ctx.policy
    versions = [
        SegmentVersion(
            **policy.project(
                "SegmentVersion",
                {
                    "version": v.version,
                    "name": v.spec.get("name", ""),
                    "rule": v.spec.get("rule", ""),
                    "description": v.spec.get("description", ""),
                    "created_by": v.created_by,
                    "created_at": v.created_at,
                },
            )
        )
        for v in await segments.versions(ctx.session, segment)
    ]
    size: int | None = None
    if _may_count(info, segment):
        n = await segments.member_count(ctx.session, segment, scope=policy.scope("customer"))
        size = withheld(info, n)
    values = {
        "key": segment.key,
        "name": segment.name,
        "description": segment.description,
        "owner": segment.owner,
        "rule": segment.rule,
        "status": segment.status,
        "version": segment.version,
        "refreshed_at": segment.refreshed_at,
        "size": size,
        "versions": versions,
        "history": await _scoped_runs(info, segment),
    }
    return Segment(**policy.project("Segment", values))


def overlap_of(info: Info, o: Any) -> SegmentOverlap:
    either = withheld(info, o.either)
    values = {
        "a": withheld(info, o.a),
        "b": withheld(info, o.b),
        "both": withheld(info, o.both),
        "either": either,
        "jaccard": o.jaccard if None not in (withheld(info, o.both), either) else None,
    }
    return SegmentOverlap(**info.context.policy.project("SegmentOverlap", values))


def _group(kind: str, key: str) -> tuple[segments.GroupKind, str]:
    if kind == "segment":
        return "segment", key
    if kind == "tag":
        return "tag", key
    raise InvalidInput(f"kind must be segment or tag, not {kind!r}")


@strawberry.type
class SegmentQueryMixin:
    @strawberry.field(description="Segments in key order, a page at a time (at most 100).")
    async def segments(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="Page size.", metadata=bounded(1, 100))
        ] = 20,
        after: Annotated[
            str | None,
            strawberry.argument(description="`endCursor` of the previous page.", metadata=KEY),
        ] = None,
    ) -> SegmentConnection:
        ctx = info.context
        ctx.policy.require_read("Segment", "key")

        async def work() -> tuple[list[Any], list[Segment]]:
            async with ctx.lock:
                rows = await segments.list_segments(ctx.session, after=after, limit=first + 1)
                return rows, [await build_segment(info, s) for s in rows[:first]]

        rows, nodes = await finish_then_cancel(work())
        more = len(rows) > first
        return SegmentConnection(
            nodes=nodes, end_cursor=rows[first - 1].key if more else None, has_next_page=more
        )

    @strawberry.field(description="One segment by key, with versions, size and history.")
    async def segment(self, info: Info, key: SegmentKey) -> Segment:
        ctx = info.context
        ctx.policy.require_read("Segment", "key")

        async def work() -> Segment:
            async with ctx.lock:
                found = await segments.get_segment(ctx.session, key)
                return await build_segment(info, found)

        return await finish_then_cancel(work())

    @strawberry.field(
        description="Count and first 20 customers a boolean rule selects, in your row scope; "
        "nothing is saved. The rule may only use fields you may filter on."
    )
    async def preview_segment(self, info: Info, rule: RuleArg) -> SegmentPreview:
        ctx = info.context
        ctx.policy.require_read("SegmentPreview", "count")
        sel = selection_of(info).at("customers")

        async def work() -> tuple[segments.Preview, Sequence[Any]]:
            async with ctx.lock:
                found = await segments.preview(
                    ctx.session,
                    rule,
                    filterable=may_filter(ctx.policy),
                    scope=ctx.policy.scope("customer"),
                )
                note_rule_use(info, found.permission_fields, list(found.customer_ids))
                rows = await CustomerRepository(ctx.session).by_ids(
                    found.customer_ids, scope=ctx.policy.row_scope
                )
                return found, rows

        found, rows = await finish_then_cancel(work())
        order = {pk: i for i, pk in enumerate(found.customer_ids)}
        rows = sorted(rows, key=lambda r: order[r.id])
        customers = await assemble.customers(ctx, rows, sel) if sel else []
        values = {"count": withheld(info, found.count), "customers": customers}
        return SegmentPreview(**ctx.policy.project("SegmentPreview", values))

    @strawberry.field(
        description="Overlap of two groups, each a segment (its members at the last refresh) "
        "or a tag (customers who have it), counted in your row scope."
    )
    async def segment_overlap(
        self,
        info: Info,
        a: SegmentKey,
        b: Annotated[str, strawberry.argument(description="The other key.", metadata=KEY)],
        b_kind: Annotated[
            str,
            strawberry.argument(
                description="`segment` or `tag`: what `b` names.", metadata=bounded(max_length=8)
            ),
        ] = "segment",
    ) -> SegmentOverlap:
        ctx = info.context
        ctx.policy.require_read("SegmentOverlap", "both")
        kind = _group(b_kind, b)

        async def work() -> Any:
            async with ctx.lock:
                first = await segments.get_segment(ctx.session, a)
                other: Any = (
                    await segments.get_segment(ctx.session, b)
                    if kind[0] == "segment"
                    else await get_tag(ctx.session, b)
                )
                require_counting(info, [*first.permission_fields, *other.permission_fields])
                return await segments.overlap(
                    ctx.session, ("segment", a), kind, scope=ctx.policy.scope("customer")
                )

        return overlap_of(info, await finish_then_cancel(work()))
