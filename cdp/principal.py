"""Who is calling: the authenticated principal every request carries.

Authentication (API keys, JWT) produces one; permissions (compiled policies,
row scopes), the audit trail and rate limits read it. It lives in the core layer
so every domain can accept it without importing the HTTP side.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Principal:
    """An authenticated caller.

    ``subject`` is the API key name or the JWT subject; ``kind`` says which;
    ``roles`` are policy roles; ``advisor_id`` scopes advisors to their own
    customers; ``key_id`` identifies the API key for rate limits and last-used time;
    ``sources`` are the source-system names the caller may send records as (bound
    to its API key, or a JWT's ``sources`` claim; see ``cdp.intake.senders``).
    """

    subject: str
    kind: str  # "api_key" or "jwt"
    roles: frozenset[str]
    advisor_id: int | None = None
    key_id: int | None = None
    sources: frozenset[str] = frozenset()
    claims: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def role_key(self) -> tuple[str, ...]:
        """Sorted roles: the cache key of compiled permission plans."""
        return tuple(sorted(self.roles))
