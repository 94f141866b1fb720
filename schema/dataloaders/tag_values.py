"""Current tag values of many customers in one statement, and which of them the caller
may read (``tagging.visibility``).

The values' statement carries each tag's own inputs, so a page whose tags read no
other tag costs one statement; only when a tag reads another (``has_tag``) are all
definitions' inputs loaded, once per request, to follow the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from schema.dataloaders.base import BatchLoader
from schema.permissions import FieldPolicy
from schema.tag_rights import may_filter, reads_in_clear
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


@dataclass(frozen=True)
class Readable:
    """Keys of the tags whose values the caller may read, and of those whose evidence
    (attribute values) it may read too."""

    values: frozenset[str]
    evidence: frozenset[str]


async def readable_of(
    stored: Sequence[Values], policy: FieldPolicy, all_inputs: TagInputsLoader
) -> Readable:
    """What the caller may read of ``stored``'s tags (``tagging.visibility``)."""
    inputs = {i.key: i for _, own in stored for i in own}
    if any(i.dependencies for i in inputs.values()):
        inputs = await all_inputs.load(None)
    values = readable_tags(inputs, may_filter(policy))
    evidence = readable_tags(inputs, reads_in_clear(policy))
    return Readable(values, values & evidence)
