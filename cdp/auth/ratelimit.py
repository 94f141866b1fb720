"""Token-bucket rate limits per caller, in process memory.

Each API key (by id) and each JWT subject has a bucket holding up to ``burst``
requests and refilled at ``rate`` a second; a request takes one. A caller with
several roles gets the most generous of their roles' limits. Buckets live in the
process: with N workers a caller can get up to N times the limit, which the
README states; a shared store (Redis, PostgreSQL) would cost a round trip per
request and a dependency the quick start should not need.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from cdp.auth.base import RateLimited
from cdp.config import Settings
from cdp.principal import Principal

# Beyond this many buckets, those that have refilled completely are dropped: they
# hold no information a fresh bucket would not.
_MAX_BUCKETS = 10_000


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = settings.rate_limit_enabled
        self._default = (settings.rate_limit_rate, float(settings.rate_limit_burst))
        self._roles = {
            role: (limit.rate, float(limit.burst))
            for role, limit in settings.rate_limit_roles.items()
        }
        # The longest any bucket takes to refill from empty.
        self._refill = max(burst / rate for rate, burst in [self._default, *self._roles.values()])
        self._clock = clock
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def limit_of(self, principal: Principal) -> tuple[float, float]:
        limits = [self._roles[role] for role in principal.roles if role in self._roles]
        return max(limits) if limits else self._default

    def check(self, principal: Principal) -> None:
        """Take one request from the caller's bucket, or raise ``RateLimited``."""
        if not self.enabled:
            return
        rate, burst = self.limit_of(principal)
        ident = str(principal.key_id) if principal.key_id is not None else principal.subject
        key = (principal.kind, ident)
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(burst, now)
        else:
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return
        raise RateLimited(max(1, math.ceil((1 - bucket.tokens) / rate)))

    def _prune(self, now: float) -> None:
        full = [key for key, bucket in self._buckets.items() if now - bucket.updated > self._refill]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= _MAX_BUCKETS:
            self._buckets.clear()
