"""A customer's transactions and interactions as connections, loaded in batches.

These fields take arguments (page, kinds, time window), so unlike the plain
relations they are resolved per customer, through DataLoaders that batch every
customer of a page asking for the same window into one statement.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cdp import keyset
from cdp.customers.activity import INTERACTION_ORDERING, TRANSACTION_ORDERING, ActivityQuery
from cdp.db.enums import INTERACTION_KINDS, TRANSACTION_KINDS
from cdp.errors import InvalidInput
from schema.dataloaders import rows
from schema.dataloaders.lookahead import selection_of
from schema.relay import Connection, connection, window
from schema.types.interaction_event import InteractionEvent
from schema.types.transaction import Transaction


def _query(
    kinds: list[str] | None,
    valid: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
) -> ActivityQuery:
    if kinds is not None:
        unknown = sorted(set(kinds) - set(valid))
        if unknown:
            raise InvalidInput(
                f"unknown kinds {unknown}; valid kinds are {list(valid)}", argument="kinds"
            )
    return ActivityQuery(tuple(sorted(set(kinds))) if kinds is not None else None, since, until)


@dataclass(frozen=True)
class _Activity:
    """What differs between the two activity connections."""

    name: str  # the loader attribute, the count key and the Customer field
    type_name: str  # the GraphQL type of the items
    kinds: tuple[str, ...]
    ordering: keyset.Ordering
    build: Callable[[Any, Any], Any]


_TRANSACTIONS = _Activity(
    "transactions", "Transaction", TRANSACTION_KINDS, TRANSACTION_ORDERING, rows.transaction
)
_INTERACTIONS = _Activity(
    "interactions", "InteractionEvent", INTERACTION_KINDS, INTERACTION_ORDERING, rows.interaction
)


async def _page(
    activity: _Activity,
    info: Any,
    customer_id: int,
    first: int | None,
    after: str | None,
    kinds: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> Connection[Any]:
    ctx = info.context
    ctx.policy.require_read("Customer", activity.name)
    used = ["kind"] if kinds is not None else []
    if since is not None or until is not None:
        used.append("occurredAt")
    ctx.policy.require_filter(activity.type_name, used)
    q = _query(kinds, activity.kinds, since, until)
    win = window(
        activity.ordering,
        first=first,
        after=after,
        last=None,
        before=None,
        max_size=ctx.settings.max_page_size,
        audience=ctx.policy.audience,
    )
    page = await getattr(ctx.loaders, activity.name).load((customer_id, q, win))
    nodes = [activity.build(r, ctx.policy) for r in page.rows]

    async def count() -> int:
        return int(await ctx.loaders.activity_counts.load((activity.name, customer_id, q)))

    edges = "edges" in selection_of(info)
    return connection(
        page, nodes, activity.ordering, count, audience=ctx.policy.audience, with_edges=edges
    )


async def transactions_page(
    info: Any,
    customer_id: int,
    first: int | None,
    after: str | None,
    kinds: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> Connection[Transaction]:
    return await _page(_TRANSACTIONS, info, customer_id, first, after, kinds, since, until)


async def interactions_page(
    info: Any,
    customer_id: int,
    first: int | None,
    after: str | None,
    kinds: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> Connection[InteractionEvent]:
    return await _page(_INTERACTIONS, info, customer_id, first, after, kinds, since, until)
