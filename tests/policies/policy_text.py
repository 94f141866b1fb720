"""Policy lines from text written inline in tests."""

from __future__ import annotations

from policies.lines import PolicyLine, parse_policy


def lines(text: str) -> list[PolicyLine]:
    """Policy lines from an indented literal."""
    return parse_policy("\n".join(row.strip() for row in text.strip().splitlines()))
