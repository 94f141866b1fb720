"""Choosing the response media type of a GraphQL request from its Accept header.

GraphQL over HTTP defines ``application/graphql-response+json``, whose status codes
tell request errors (400) from field errors (200), and keeps ``application/json``
for legacy clients, which always get 200 for a well-formed request.
"""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
# Legacy first: on a tie the later type must be strictly better to win.
_SUPPORTED = (JSON, GRAPHQL_RESPONSE_JSON)


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((media.lower(), quality))
    return ranges


def _specificity(media_range: str, media_type: str) -> int | None:
    """2 for an exact match, 1 for ``type/*``, 0 for ``*/*``, None when it does not match."""
    if media_range == media_type:
        return 2
    if media_range == "*/*":
        return 0
    kind, _, subtype = media_range.partition("/")
    if subtype == "*" and media_type.startswith(f"{kind}/"):
        return 1
    return None


def negotiate(accept: str | None) -> str | None:
    """The media type to answer with, or None when the client accepts neither.

    No Accept header means a legacy client: ``application/json``. The most specific
    matching range decides each type's quality (RFC 9110). On a tie the type the
    client named wins; when both are named equally, the GraphQL response type (the
    client evidently knows it); when only wildcards matched, ``application/json``.
    """
    if accept is None or not accept.strip():
        return JSON
    ranges = _ranges(accept)
    best: tuple[float, int, bool, str] | None = None
    for media_type in _SUPPORTED:
        matches = [
            (specificity, quality)
            for media_range, quality in ranges
            if (specificity := _specificity(media_range, media_type)) is not None
        ]
        if not matches:
            continue
        specificity, quality = max(matches)
        if quality <= 0:
            continue
        named_graphql = specificity == 2 and media_type == GRAPHQL_RESPONSE_JSON
        candidate = (quality, specificity, named_graphql, media_type)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    return best[3] if best else None
