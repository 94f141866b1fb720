"""Current tag values of many customers in one statement, and which of them the caller
may read (``tagging.visibility``).

The values' statement carries each tag's own inputs, so a page whose tags read no
other tag costs one statement; only when a tag reads another (``has_tag``) are all
definitions' inputs loaded, once per request, to follow the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from schema.dataloaders.base import BatchLoader
from schema.permissions import FieldPolicy
from tagging.store import CurrentTag, customers_tags
from tagging.visibility import TagInputs, readable_tags, tag_inputs

Values = tuple[list[CurrentTag], list[TagInputs]]


class TagValuesLoader(BatchLoader[int, Values]):
    async def fetch(self, customer_ids: list[int]) -> Sequence[Values]:
        by_customer: dict[int, Values] = defaultdict(lambda: ([], []))
        for customer_id, tag, inputs in await customers_tags(self.deps.session, customer_ids):
            tags, own = by_customer[customer_id]
            tags.append(tag)
            own.append(inputs)
        return [by_customer.get(cid, ([], [])) for cid in customer_ids]


class TagInputsLoader(BatchLoader[None, dict[str, TagInputs]]):
    """One key (``None``): every definition's inputs."""

    async def fetch(self, keys: list[None]) -> Sequence[dict[str, TagInputs]]:
        inputs = await tag_inputs(self.deps.session)
        return [inputs for _ in keys]


class FieldReader:
    """``Type.field`` → whether the caller reads it in clear."""

    def __init__(self, policy: FieldPolicy) -> None:
        self.policy = policy

    def __call__(self, name: str) -> bool:
        type_name, _, field = name.partition(".")
        return self.policy.in_clear(type_name, field)


async def readable_of(
    values: Sequence[Values], policy: FieldPolicy, all_inputs: TagInputsLoader
) -> frozenset[str]:
    """The keys among ``values``' tags whose values the caller may read."""
    inputs = {i.key: i for _, own in values for i in own}
    if any(i.dependencies for i in inputs.values()):
        inputs = await all_inputs.load(None)
    return readable_tags(inputs, FieldReader(policy))
