"""What every knowledge-graph field needs: the process's graph, fresh, and the caller's view.

The graph holds every customer; the caller sees some. Each graph answer goes
through here for three things:

- ``graph_of``: the process's ``GraphService``, caught up with the database if its
  last refresh is older than ``graph_refresh_seconds`` (so a holding written
  through the API reaches the next answer without a rebuild), or ``UNAVAILABLE``
  saying ``cdp graph build`` is needed when no snapshot is stored;
- ``visible``: which of some customers are in the caller's row scope (one
  statement, none for an unrestricted scope);
- ``customers_of``: those customers as ``Customer`` objects, built and projected
  exactly as a ``customers`` page builds them, so a graph answer never shows a
  customer's field the caller could not read by asking for the customer directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cdp.customers.repository import CustomerRepository
from cdp.errors import Unavailable
from graph.service import GraphService
from schema.dataloaders import assemble
from schema.dataloaders.lookahead import Selection
from schema.types.info import Info

NOT_BUILT = "the knowledge graph is not built yet; run `cdp graph build`"


async def graph_of(info: Info) -> GraphService:
    ctx = info.context
    service = ctx.graph
    if service is None:
        raise Unavailable(NOT_BUILT)
    async with ctx.lock:  # a catch-up reads the database, maybe on the request's connection
        await service.fresh(ctx.settings.graph_refresh_seconds)
    if service.snapshot_path is None:
        raise Unavailable(NOT_BUILT)
    return service


def unrestricted(info: Info) -> bool:
    return info.context.policy.scope("customer") is None


async def visible(info: Info, ids: Iterable[int]) -> set[int]:
    """The customers of ``ids`` the caller's row scope includes."""
    wanted = set(ids)
    if not wanted or unrestricted(info):
        return wanted
    ctx = info.context
    async with ctx.lock:
        rows = await CustomerRepository(ctx.session).by_ids(
            sorted(wanted), scope=ctx.policy.row_scope
        )
    return {r.id for r in rows}


async def customers_of(info: Info, ids: list[int], sel: Selection) -> dict[int, object]:
    """The caller's view of the customers ``ids`` that are in its row scope, by id."""
    if not ids:
        return {}
    ctx = info.context
    async with ctx.lock:
        rows = await CustomerRepository(ctx.session).by_ids(ids, scope=ctx.policy.row_scope)
    built = await assemble.customers(ctx, rows, sel)
    return {c.pk: c for c in built}


def yuan(amount: float) -> Decimal:
    """An amount from the graph's float arrays as the API's money: two decimals."""
    return Decimal(repr(float(amount))).quantize(Decimal("0.01"))
