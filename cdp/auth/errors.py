"""The two ways a request is refused before it reaches GraphQL."""

from __future__ import annotations

from cdp.errors import CdpError


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
