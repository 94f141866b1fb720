from __future__ import annotations

import strawberry


@strawberry.type(
    description="A page of a segment export: the members' permitted fields as CSV or JSON "
    "Lines. Masked fields stay masked; the export is in the audit trail."
)
class SegmentExport:
    format: str = strawberry.field(description="csv or jsonl.")
    fields: list[str] = strawberry.field(description="The exported Customer fields, in order.")
    content: str = strawberry.field(
        description="The rows (CSV with a header line on every page, or JSON Lines)."
    )
    rows: int = strawberry.field(description="Rows in this page.")
    members_in_scope: int = strawberry.field(
        description="Members of the segment in the caller's row scope."
    )
    without_consent: int = strawberry.field(
        description="Of those, left out because they did not consent to the purpose."
    )
    next_cursor: str | None = strawberry.field(
        description="Pass as `after` for the next page; null on the last page."
    )
