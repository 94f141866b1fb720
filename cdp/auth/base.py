"""What every part of authentication shares: the roles a credential may carry, and
the two ways a request is refused before it reaches GraphQL.

API keys may only be issued for the known roles: a typo in ``cdp keys create``
would otherwise make a key that policies silently deny everything. JWTs come from
an identity provider cdp does not control, so an unknown role there is kept
(policies grant it nothing) and logged once per process, so the mismatch gets
noticed.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

from cdp.errors import CdpError, InvalidInput

log = logging.getLogger("cdp.auth")

KNOWN_ROLES = ("admin", "advisor", "auditor", "frontend", "marketer", "partner", "source_system")
# The role whose keys are bound to the source names they may send records as.
SOURCE_SYSTEM = "source_system"
# A source name as ingestion stores it (``cdp.ingest.batch.check_source``).
MAX_SOURCE_LENGTH = 32

_warned: set[str] = set()


def check_role(role: str) -> str:
    if role not in KNOWN_ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(KNOWN_ROLES)}")
    return role


def check_sources(role: str, sources: Iterable[str]) -> tuple[str, ...]:
    """The source names a key of ``role`` is bound to, sorted and without repeats.

    Only source-system keys are bound, and one needs at least one name: a key that
    may send as no source could do nothing. A name must be one ingestion stores
    unchanged (at most 32 characters, no spaces or control characters, already in
    NFKC form), because a batch's source is compared with it exactly.
    """
    names = tuple(sorted(set(sources)))
    if role != SOURCE_SYSTEM:
        if names:
            raise InvalidInput(f"only {SOURCE_SYSTEM} keys are bound to sources, not {role} keys")
        return names
    if not names:
        raise InvalidInput(f"a {SOURCE_SYSTEM} key needs the source names it may send as")
    for name in names:
        if not _plain_source(name):
            raise InvalidInput(
                f"bad source name {name!r}: 1 to {MAX_SOURCE_LENGTH} characters without "
                "spaces or control characters, e.g. core_banking"
            )
    return names


def _plain_source(name: str) -> bool:
    return (
        0 < len(name) <= MAX_SOURCE_LENGTH
        and unicodedata.normalize("NFKC", name) == name
        and all(ch.isprintable() and not ch.isspace() for ch in name)
    )


def warn_unknown(roles: Iterable[str]) -> None:
    for role in roles:
        if role not in KNOWN_ROLES and role not in _warned:
            _warned.add(role)
            log.warning("token carries a role no policy knows", extra={"role": role})


class Unauthenticated(CdpError):
    """No credential, or one that does not verify. The message is safe to show."""

    code = "UNAUTHENTICATED"
    exit_code = 7


class RateLimited(CdpError):
    code = "RATE_LIMITED"
    exit_code = 8

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Rate limit exceeded; retry in {retry_after} s.", retry_after=retry_after)
        self.retry_after = retry_after
