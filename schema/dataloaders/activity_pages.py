"""A customer's transactions and interactions as connections, loaded in batches.

These fields take arguments (page, kinds, time window), so unlike the plain
relations they are resolved per customer, through DataLoaders that batch every
customer of a page asking for the same window into one statement.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cdp import keyset
from cdp.customers.activity import INTERACTION_ORDERING, TRANSACTION_ORDERING, ActivityQuery
from cdp.db.enums import INTERACTION_KINDS, TRANSACTION_KINDS
from cdp.errors import InvalidInput
from schema.dataloaders import rows
from schema.dataloaders.lookahead import selection_of
from schema.relay import Connection, connection
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


async def transactions_page(
    info: Any,
    customer_id: int,
    first: int | None,
    after: str | None,
    kinds: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> Connection[Transaction]:
    ctx = info.context
    q = _query(kinds, TRANSACTION_KINDS, since, until)
    win = keyset.window(
        TRANSACTION_ORDERING,
        first=first,
        after=after,
        last=None,
        before=None,
        max_size=ctx.settings.max_page_size,
    )
    page = await ctx.loaders.transactions.load((customer_id, q, win))
    nodes = [rows.transaction(r, ctx.policy) for r in page.rows]

    async def count() -> int:
        return int(await ctx.loaders.activity_counts.load(("transactions", customer_id, q)))

    edges = "edges" in selection_of(info)
    return connection(page, nodes, TRANSACTION_ORDERING, count, with_edges=edges)


async def interactions_page(
    info: Any,
    customer_id: int,
    first: int | None,
    after: str | None,
    kinds: list[str] | None,
    since: datetime | None,
    until: datetime | None,
) -> Connection[InteractionEvent]:
    ctx = info.context
    q = _query(kinds, INTERACTION_KINDS, since, until)
    win = keyset.window(
        INTERACTION_ORDERING,
        first=first,
        after=after,
        last=None,
        before=None,
        max_size=ctx.settings.max_page_size,
    )
    page = await ctx.loaders.interactions.load((customer_id, q, win))
    nodes = [rows.interaction(r, ctx.policy) for r in page.rows]

    async def count() -> int:
        return int(await ctx.loaders.activity_counts.load(("interactions", customer_id, q)))

    edges = "edges" in selection_of(info)
    return connection(page, nodes, INTERACTION_ORDERING, count, with_edges=edges)
