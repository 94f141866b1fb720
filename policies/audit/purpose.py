"""Why a caller reads sensitive data: the ``X-Purpose`` header and who must give one.

PIPL lets partners receive personal information only for a stated purpose, so a
sensitive read by a role in ``purpose_required_roles`` needs one; the purpose is
stored with the audit entry. It is a short label chosen by the caller
(``claims_review``, ``kyc-refresh``), not free text: printable ASCII, at most as
long as the ``audit_log.purpose`` column.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from cdp.errors import InvalidInput

PURPOSE_HEADER: Final = "x-purpose"
MAX_PURPOSE_LENGTH: Final = 64


def parse_purpose(raw: str | None) -> str | None:
    """The purpose a request states, ``None`` when it states none.

    Raises ``InvalidInput`` for an empty, overlong or non-printable value, so a
    caller learns about a typo instead of having its reads refused or recorded
    under a mangled purpose.
    """
    if raw is None:
        return None
    value = raw.strip()
    if not value:
        raise InvalidInput("X-Purpose is empty; omit the header or state a purpose")
    if len(value) > MAX_PURPOSE_LENGTH:
        raise InvalidInput(f"X-Purpose is longer than {MAX_PURPOSE_LENGTH} characters")
    if not (value.isascii() and value.isprintable()):
        raise InvalidInput("X-Purpose must be printable ASCII")
    return value


def purpose_required(roles: Collection[str], required_roles: Collection[str]) -> bool:
    """Whether a caller with ``roles`` must state a purpose to read sensitive data."""
    return any(role in required_roles for role in roles)
