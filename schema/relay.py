"""Relay building blocks: the ``Node`` interface, global IDs and connections.

Global IDs use strawberry.relay's format (base64 of ``TypeName:id``) and its
``PageInfo`` type, but ``id`` is a plain attribute set when an object is built
rather than ``relay.Node``'s per-object resolver, and connections are built from
keyset pages (``cdp.keyset``) instead of slicing an iterable: lists here are
database pages, and every per-object resolver counts when a page holds hundreds
of objects.

Cursors leave the API sealed (``Cipher.seal``): a keyset cursor carries the sort
key of its row, and a caller may page in an order over a field it may not read
(the default order by customer number, say, for a partner). Sealed, the cursor
reveals nothing and cannot be forged; ``open_cursor`` turns it back into the
keyset cursor before ``cdp.keyset`` checks it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.relay import PageInfo
from strawberry.relay.utils import from_base64, to_base64

from cdp import keyset
from cdp.crypto import get_cipher
from cdp.errors import InvalidInput

T = TypeVar("T")


@strawberry.interface(description="An object with a global ID, fetchable with node(id).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Global ID: opaque and stable; pass it to node(id) to fetch the object."
    )


def global_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(to_base64(type_name, pk))


# Primary keys are bigint columns; a number beyond them names no row, and would
# fail as a query argument.
_MAX_PK = 2**63 - 1


def parse_global_id(
    value: str, expected: str | None = None, argument: str = "id"
) -> tuple[str, int]:
    """``(type name, primary key)`` of a global ID; ``BAD_USER_INPUT`` naming
    ``argument`` when malformed, beyond a bigint or, with ``expected``, of another type."""
    try:
        type_name, raw = from_base64(value)
        pk = int(raw)
    except ValueError as e:
        raise InvalidInput(
            f"{argument}: {value!r} is not a valid global ID", argument=argument
        ) from e
    if not -_MAX_PK <= pk <= _MAX_PK:
        raise InvalidInput(f"{argument}: {value!r} is not a valid global ID", argument=argument)
    if expected is not None and type_name != expected:
        raise InvalidInput(
            f"{argument}: {value!r} is the ID of a {type_name}, not of a {expected}",
            argument=argument,
        )
    return type_name, pk


def seal_cursor(cursor: str) -> str:
    return get_cipher().seal(cursor.encode())


def open_cursor(token: str | None) -> str | None:
    """The keyset cursor inside a sealed one (``None`` stays ``None``)."""
    if token is None:
        return None
    try:
        return get_cipher().unseal(token).decode()
    except ValueError:
        raise InvalidInput(
            "invalid cursor: it does not come from this list in this order", argument="cursor"
        ) from None


def window(
    ordering: keyset.Ordering,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    max_size: int,
) -> keyset.Window:
    """``keyset.window`` over sealed cursors."""
    return keyset.window(
        ordering,
        first=first,
        after=open_cursor(after),
        last=last,
        before=open_cursor(before),
        max_size=max_size,
    )


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque cursor: pass it as after or before.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style, with cursors to move on.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items with their cursors.")
    nodes: list[T] = strawberry.field(description="The items, without cursors.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow or precede.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def connection(
    page: keyset.Page[Any],
    nodes: Sequence[T],
    ordering: keyset.Ordering,
    count: Callable[[], Awaitable[int]],
    *,
    with_edges: bool = True,
) -> Connection[T]:
    """A connection of ``nodes`` built from ``page.rows`` (same order)."""
    rows = page.rows

    def cursor(row: Any) -> str:
        return seal_cursor(keyset.cursor_of(ordering, row))

    edges = (
        [Edge(cursor=cursor(r), node=n) for r, n in zip(rows, nodes, strict=True)]
        if with_edges
        else []
    )
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=cursor(rows[0]) if rows else None,
        end_cursor=cursor(rows[-1]) if rows else None,
    )
    return Connection(edges=edges, nodes=list(nodes), page_info=info, count=count)
