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
from collections.abc import Iterable

from cdp.errors import CdpError, InvalidInput

log = logging.getLogger("cdp.auth")

KNOWN_ROLES = ("admin", "advisor", "auditor", "frontend", "marketer", "partner", "source_system")

_warned: set[str] = set()


def check_role(role: str) -> str:
    if role not in KNOWN_ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(KNOWN_ROLES)}")
    return role


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
