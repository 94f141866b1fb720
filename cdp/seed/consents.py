"""Consent history per customer and purpose, and the current state it leads to.

Every customer answers all three purposes at onboarding; profiling is almost
always granted, partner sharing rarely. Later a share withdraws (PIPL lets them
at any time) and a few grant again, so ``consent_event`` holds real histories and
``consent`` is always the last event of each purpose.
"""

from __future__ import annotations

import random
from datetime import datetime

from cdp.db.enums import CONSENT_PURPOSES

_GRANT_AT_ONBOARDING = {"profiling": 0.93, "marketing": 0.72, "partner_sharing": 0.33}
WITHDRAW_SHARE = 0.08
REGRANT_SHARE = 0.25
_SOURCES = ("app", "branch", "web", "crm")

ConsentRow = tuple[int, str, bool, str, datetime]
ConsentEventRow = tuple[int, str, bool, str, str | None, datetime, datetime]


def consents(
    rng: random.Random, customer_id: int, onboarded: datetime, now: datetime, advisor_no: str | None
) -> tuple[list[ConsentRow], list[ConsentEventRow]]:
    current: list[ConsentRow] = []
    events: list[ConsentEventRow] = []
    channel = rng.choice(_SOURCES)
    actor = advisor_no if channel in ("branch", "crm") else "customer"
    for purpose in CONSENT_PURPOSES:
        granted = rng.random() < _GRANT_AT_ONBOARDING[purpose]
        at, source = onboarded, channel
        events.append((customer_id, purpose, granted, source, actor, at, at))
        if granted and rng.random() < WITHDRAW_SHARE:
            at = at + rng.random() * (now - at)
            source = rng.choice(("app", "web", "phone"))
            granted = False
            events.append((customer_id, purpose, False, source, "customer", at, at))
            if rng.random() < REGRANT_SHARE:
                at = at + rng.random() * (now - at)
                granted = True
                events.append((customer_id, purpose, True, source, "customer", at, at))
        current.append((customer_id, purpose, granted, source, at))
    return current, events
