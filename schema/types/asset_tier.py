from __future__ import annotations

import strawberry

from cdp.customers.tiers import Tier

# Registers the domain enum itself as a GraphQL enum: annotate fields with ``Tier``.
strawberry.enum(
    Tier,
    name="AssetTier",
    description="Asset tier by AUM: MASS 大众, POTENTIAL 潜力, HIGH_NET_WORTH 高净值.",
)

__all__ = ["Tier"]
