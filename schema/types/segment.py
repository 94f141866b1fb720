from __future__ import annotations

from datetime import datetime

import strawberry

from schema.types.segment_run import SegmentRun
from schema.types.segment_version import SegmentVersion


@strawberry.type(
    description="A named boolean rule over tags and customer attributes, with its versions, "
    "its materialised members (refreshed on request) and their history."
)
class Segment:
    key: str = strawberry.field(description="Stable key, e.g. `hnw_shanghai`.")
    name: str = strawberry.field(description="Display name.")
    description: str = strawberry.field(description="What the segment is for.")
    owner: str = strawberry.field(description="Who created it.")
    rule: str = strawberry.field(description="The boolean rule (tag rule language).")
    status: str = strawberry.field(description="draft, active or archived.")
    version: int = strawberry.field(description="The current version.")
    refreshed_at: datetime | None = strawberry.field(
        description="When the members were last refreshed; null before the first refresh."
    )
    size: int | None = strawberry.field(
        description="Members at the last refresh, in the caller's row scope (null when "
        "withheld for a small group)."
    )
    versions: list[SegmentVersion] = strawberry.field(description="Every version, oldest first.")
    history: list[SegmentRun] = strawberry.field(
        description="The last 30 refresh runs, oldest first."
    )


@strawberry.type(description="A page of segments in key order.")
class SegmentConnection:
    nodes: list[Segment] = strawberry.field(description="The segments of this page.")
    end_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )
    has_next_page: bool = strawberry.field(description="Whether another page follows.")
