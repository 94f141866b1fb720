"""Mutations: one mixin per entity, combined into the schema's one ``Mutation`` type.

Source-system mutations share one path (``batch.run_batch``): the same ingestion as
``cdp import``, one transaction per request, optional idempotency keys.
"""

from __future__ import annotations

import strawberry

from schema.mutations.activity import ActivityMutationMixin
from schema.mutations.consents import ConsentMutationMixin
from schema.mutations.customers import CustomerMutationMixin
from schema.mutations.holdings import HoldingMutationMixin
from schema.mutations.manual_tags import ManualTagMutationMixin
from schema.mutations.policy import PolicyMutationMixin
from schema.mutations.segments import SegmentMutationMixin
from schema.mutations.tags import TagMutationMixin


@strawberry.type(description="Changes to the data: source systems push records here.")
class Mutation(
    CustomerMutationMixin,
    HoldingMutationMixin,
    ActivityMutationMixin,
    ConsentMutationMixin,
    PolicyMutationMixin,
    TagMutationMixin,
    ManualTagMutationMixin,
    SegmentMutationMixin,
):
    pass


__all__ = ["Mutation"]
