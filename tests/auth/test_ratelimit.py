"""Token buckets: the burst, then the refill rate; per caller; per role."""

from __future__ import annotations

import pytest

from cdp.auth.base import RateLimited
from cdp.auth.ratelimit import RateLimiter
from cdp.config import RoleLimit, Settings
from cdp.principal import Principal


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _principal(subject: str = "u", *roles: str, key_id: int | None = None) -> Principal:
    kind = "api_key" if key_id is not None else "jwt"
    return Principal(
        subject=subject, kind=kind, roles=frozenset(roles or ("admin",)), key_id=key_id
    )


def _limiter(clock: Clock, **settings: object) -> RateLimiter:
    return RateLimiter(Settings.model_validate(settings), clock=clock)


def test_burst_then_refill() -> None:
    clock = Clock()
    limiter = _limiter(clock, rate_limit_rate=2, rate_limit_burst=3)
    caller = _principal()
    for _ in range(3):
        limiter.check(caller)
    with pytest.raises(RateLimited) as refused:
        limiter.check(caller)
    assert refused.value.retry_after == 1
    clock.now += 0.5  # one token at 2 a second
    limiter.check(caller)
    with pytest.raises(RateLimited):
        limiter.check(caller)
    clock.now += 100  # refills to the burst, not beyond
    for _ in range(3):
        limiter.check(caller)
    with pytest.raises(RateLimited):
        limiter.check(caller)


def test_retry_after_rounds_up_for_slow_rates() -> None:
    limiter = _limiter(Clock(), rate_limit_rate=0.1, rate_limit_burst=1)
    limiter.check(_principal())
    with pytest.raises(RateLimited) as refused:
        limiter.check(_principal())
    assert refused.value.retry_after == 10


def test_callers_have_their_own_buckets() -> None:
    limiter = _limiter(Clock(), rate_limit_rate=1, rate_limit_burst=1)
    limiter.check(_principal("a"))
    limiter.check(_principal("b"))
    limiter.check(_principal("a", key_id=1))  # a key named like a subject is another caller
    with pytest.raises(RateLimited):
        limiter.check(_principal("a"))


def test_role_limits_and_the_most_generous_role_wins() -> None:
    limiter = _limiter(
        Clock(),
        rate_limit_rate=1,
        rate_limit_burst=1,
        rate_limit_roles={"partner": RoleLimit(rate=1, burst=3)},
    )
    partner = _principal("p", "partner", key_id=7)
    assert limiter.limit_of(partner) == (1, 3)
    assert limiter.limit_of(_principal("m", "marketer", "partner")) == (1, 3)
    assert limiter.limit_of(_principal("m", "marketer")) == (1, 1)
    for _ in range(3):
        limiter.check(partner)
    with pytest.raises(RateLimited):
        limiter.check(partner)


def test_disabled_limits_nothing() -> None:
    limiter = _limiter(Clock(), rate_limit_enabled=False, rate_limit_burst=1)
    for _ in range(5):
        limiter.check(_principal())
