"""The root of the read API: single lookups, Relay connections and ``node(id)``.

Root fields are where the permission seam's row scopes enter: each passes
``policy.scope(...)`` to its repository (the customer repository takes the scope
value ``policy.row_scope``, which it caches statements on), for the page and for
``totalCount`` alike; nested lists take the same scope through their loaders.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from cdp import keyset
from cdp.catalog.advisors import ADVISOR_ORDERING, AdvisorRepository
from cdp.catalog.products import PRODUCT_ORDERING, ProductRepository
from cdp.customers.filters import FilterContext
from cdp.customers.households import HOUSEHOLD_ORDERING, HouseholdRepository
from cdp.customers.pagination import CustomerSort, customer_ordering
from cdp.customers.repository import CustomerRepository
from cdp.db.enums import PRODUCT_CATEGORIES
from cdp.errors import InvalidInput, NotFound
from schema.audit_log import AuditQueryMixin
from schema.dataloaders import assemble
from schema.dataloaders import rows as build
from schema.dataloaders.lookahead import Selection, selection_of
from schema.dataloaders.sensitive import note_criteria
from schema.graph_query import GraphQueryMixin
from schema.ingest_admin import IngestAdminQueryMixin
from schema.mutations.policy import PolicyQueryMixin
from schema.relay import Connection, Node, connection, window
from schema.relay_node import resolve_node
from schema.segments import SegmentQueryMixin
from schema.tag_queries import TagQueryMixin
from schema.types.advisor import Advisor
from schema.types.customer import Customer
from schema.types.customer_filter import CustomerFilter
from schema.types.customer_order import CustomerOrder
from schema.types.household import Household
from schema.types.info import Info
from schema.types.product import Product

First = Annotated[
    int | None,
    strawberry.argument(description="Page size from the start or after `after` (max 100)."),
]
After = Annotated[str | None, strawberry.argument(description="Return items after this cursor.")]
Last = Annotated[
    int | None,
    strawberry.argument(description="Page size from the end or before `before` (max 100)."),
]
Before = Annotated[str | None, strawberry.argument(description="Return items before this cursor.")]


def _window(
    info: Info, ordering: keyset.Ordering, first: int | None, after: str | None,
    last: int | None, before: str | None,
) -> keyset.Window:  # fmt: skip
    return window(
        ordering,
        first=first,
        after=after,
        last=last,
        before=before,
        max_size=info.context.settings.max_page_size,
        audience=info.context.policy.audience,
    )


def _nodes(info: Info) -> tuple[Selection, bool]:
    """The selection of a connection's items, and whether edges (cursors) are wanted."""
    sel = selection_of(info)
    return sel.merged(("edges", "node"), ("nodes",)), "edges" in sel


@strawberry.type(description="Read access to unified customer data.")
class Query(
    PolicyQueryMixin,
    AuditQueryMixin,
    IngestAdminQueryMixin,
    GraphQueryMixin,
    TagQueryMixin,
    SegmentQueryMixin,
):
    @strawberry.field(description="One customer by customer number.")
    async def customer(
        self,
        info: Info,
        customer_no: Annotated[
            str, strawberry.argument(description="The customer number, e.g. C1123505060.")
        ],
    ) -> Customer:
        ctx = info.context
        # A lookup by number is a filter on it: it tells whether the number exists.
        ctx.policy.require_filter("Customer", ["customerNo"])
        sel = selection_of(info)
        async with ctx.lock:
            row = await CustomerRepository(ctx.session).by_customer_no(
                customer_no, scope=ctx.policy.row_scope, aum=assemble.needs_aum(sel)
            )
        if row is None:
            raise NotFound(f"no customer with number {customer_no}")
        [customer] = await assemble.customers(ctx, [row], sel)
        return customer

    @strawberry.field(description="Customers, filtered and sorted, a page at a time.")
    async def customers(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            CustomerFilter | None,
            strawberry.argument(description="Which customers; all if omitted."),
        ] = None,
        order_by: Annotated[
            CustomerOrder | None,
            strawberry.argument(description="Sort order; by customer number if omitted."),
        ] = None,
    ) -> Connection[Customer]:
        ctx = info.context
        # Selecting or sorting by a field reveals it as surely as reading it.
        used = filter.fields_used() if filter else set()
        if order_by:
            used.add(order_by.field_used)
        ctx.policy.require_filter("Customer", used)
        ordering = (
            order_by.to_ordering() if order_by else customer_ordering(CustomerSort.CUSTOMER_NO)
        )
        win = _window(info, ordering, first, after, last, before)
        where = filter.to_domain(ctx.policy.audience) if filter else None
        fctx = FilterContext(ctx.settings, ctx.today)
        scope = ctx.policy.row_scope
        repo = CustomerRepository(ctx.session)
        sel, edges = _nodes(info)
        async with ctx.lock:
            page = await repo.page(
                where=where,
                ordering=ordering,
                window=win,
                filter_context=fctx,
                scope=scope,
                aum=assemble.needs_aum(sel),
            )
        nodes = await assemble.customers(ctx, page.rows, sel)
        # Filtering or ordering by a sensitive field reads it: audited as such.
        pks = [r.id for r in page.rows]
        if filter:
            note_criteria(ctx, "Customer", filter.fields_used(), "filter", pks)
        if order_by:
            note_criteria(ctx, "Customer", [order_by.field_used], "order", pks)

        async def count() -> int:
            async with ctx.lock:
                return await repo.count(where=where, filter_context=fctx, scope=scope)

        return connection(
            page, nodes, ordering, count, with_edges=edges, audience=ctx.policy.audience
        )

    @strawberry.field(description="The product shelf, by product code, a page at a time.")
    async def products(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        categories: Annotated[
            list[str] | None, strawberry.argument(description="Only these categories.")
        ] = None,
    ) -> Connection[Product]:
        ctx = info.context
        if categories is not None:
            ctx.policy.require_filter("Product", ["category"])
        if categories and not set(categories) <= set(PRODUCT_CATEGORIES):
            raise InvalidInput(f"valid categories are {list(PRODUCT_CATEGORIES)}")
        win = _window(info, PRODUCT_ORDERING, first, after, last, before)
        scope = ctx.policy.scope("product")
        repo = ProductRepository(ctx.session)
        async with ctx.lock:
            page = await repo.page(
                categories=categories, ordering=PRODUCT_ORDERING, window=win, scope=scope
            )
        nodes = [build.product(r, ctx.policy) for r in page.rows]

        async def count() -> int:
            async with ctx.lock:
                return await repo.count(categories=categories, scope=scope)

        return connection(
            page,
            nodes,
            PRODUCT_ORDERING,
            count,
            with_edges=_nodes(info)[1],
            audience=ctx.policy.audience,
        )

    @strawberry.field(description="Households, by household number, a page at a time.")
    async def households(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Household]:
        ctx = info.context
        win = _window(info, HOUSEHOLD_ORDERING, first, after, last, before)
        scope = ctx.policy.scope("household")
        repo = HouseholdRepository(ctx.session)
        async with ctx.lock:
            page = await repo.page(
                window=win, scope=scope, customer_scope=ctx.policy.scope("customer")
            )
        sel, edges = _nodes(info)
        nodes = await assemble.households(ctx, page.rows, sel)

        async def count() -> int:
            async with ctx.lock:
                return await repo.count(scope=scope)

        return connection(
            page, nodes, HOUSEHOLD_ORDERING, count, with_edges=edges, audience=ctx.policy.audience
        )

    @strawberry.field(description="Advisors, by employee number, a page at a time.")
    async def advisors(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        branches: Annotated[
            list[str] | None, strawberry.argument(description="Only advisors of these branches.")
        ] = None,
    ) -> Connection[Advisor]:
        ctx = info.context
        if branches is not None:
            ctx.policy.require_filter("Advisor", ["branch"])
        win = _window(info, ADVISOR_ORDERING, first, after, last, before)
        scope = ctx.policy.scope("advisor")
        repo = AdvisorRepository(ctx.session)
        async with ctx.lock:
            page = await repo.page(branches=branches, window=win, scope=scope)
        nodes = [build.advisor(r, ctx.policy) for r in page.rows]

        async def count() -> int:
            async with ctx.lock:
                return await repo.count(branches=branches, scope=scope)

        return connection(
            page,
            nodes,
            ADVISOR_ORDERING,
            count,
            with_edges=_nodes(info)[1],
            audience=ctx.policy.audience,
        )

    @strawberry.field(
        description="Any object by its global ID; null when it does not exist or is not visible."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return await resolve_node(info.context, id, selection_of(info))
