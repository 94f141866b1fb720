"""Who referred whom: a preferential-attachment process, so a few customers refer many.

Customers are taken in onboarding order; a referee's referrer is someone onboarded
earlier, chosen half the time uniformly and half the time in proportion to the
referrals they already made (a Yule process, whose referral counts follow a power
law). The referral happens shortly before the referee is onboarded.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from cdp.seed.draw import cumulative, weighted

REFERRED_SHARE = 0.18
_PREFERENTIAL = 0.5
_CHANNELS = ("friend", "advisor", "app", "event", "partner")
_CHANNEL_CUM = cumulative((50, 20, 15, 10, 5))

ReferralRow = tuple[int, int, datetime, str]


def referrals(seed: int, onboarded: list[tuple[float, int]]) -> list[ReferralRow]:
    """Referral rows from (onboarded epoch seconds, customer id) pairs."""
    rng = random.Random(f"cdp-seed:{seed}:referrals")
    order = sorted(onboarded)
    tickets: list[tuple[float, int]] = []  # one entry per referral made: the preferential pool
    rows: list[ReferralRow] = []
    for position, (at, referee) in enumerate(order):
        if position < 10 or rng.random() >= REFERRED_SHARE:
            continue
        if tickets and rng.random() < _PREFERENTIAL:
            referrer_at, referrer = rng.choice(tickets)
        else:
            referrer_at, referrer = order[rng.randrange(position)]
        if referrer == referee:
            continue
        tickets.append((referrer_at, referrer))
        lead = max(referrer_at, at - rng.uniform(0.5, 30) * 86_400)
        referred_at = datetime.fromtimestamp(lead, UTC).replace(microsecond=0)
        rows.append((referrer, referee, referred_at, weighted(rng, _CHANNELS, _CHANNEL_CUM)))
    return rows
