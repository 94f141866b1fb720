"""Segments: named boolean rules over tags and attributes, previews, members, overlap.

See ``docs/segments.md``. Every function takes the caller's session; the caller's
boundary commits.
"""

from tagging.segments.definitions import (
    SegmentSpec,
    archive_segment,
    check_segment_rule,
    create_segment,
    get_segment,
    list_segments,
    publish_segment,
    update_segment,
    versions,
)
from tagging.segments.membership import (
    HistoryPoint,
    history,
    member_count,
    members_of,
    refresh_segment,
)
from tagging.segments.overlap import GroupKind, overlap
from tagging.segments.preview import PREVIEW_SIZE, Preview, count_only, preview
from tagging.segments.query import members_query

__all__ = [
    "PREVIEW_SIZE",
    "GroupKind",
    "HistoryPoint",
    "Preview",
    "SegmentSpec",
    "archive_segment",
    "check_segment_rule",
    "count_only",
    "create_segment",
    "get_segment",
    "history",
    "list_segments",
    "member_count",
    "members_of",
    "members_query",
    "overlap",
    "preview",
    "publish_segment",
    "refresh_segment",
    "update_segment",
    "versions",
]
