"""Relay building blocks: the ``Node`` interface, global IDs and connections.

``id`` is a plain attribute set when an object is built rather than
``relay.Node``'s per-object resolver, and connections are built from keyset pages
(``cdp.keyset``) instead of slicing an iterable: lists here are database pages,
and every per-object resolver counts when a page holds hundreds of objects.

Global IDs and cursors leave the API sealed (``Cipher.seal``) under the caller's
**audience**, its role set (``audience_of``):

- A cursor carries the sort key of its row, and a caller may page in an order over
  a field it may not read (the default order by customer number, say, for a
  partner). Sealed, it reveals nothing and cannot be forged.
- A global ID carries the type and primary key. Sealed, it cannot be built from a
  known key: a role that may not read ``Customer.id`` cannot turn ids it learnt
  elsewhere into objects, nor match them against the pseudonyms it may read.

Each role set seals under a key of its own, so the same row has a different ID
and cursor for each role set (stable for any one of them): one role's values
cannot be joined with another's, and a value minted for one role set is
``BAD_USER_INPUT`` for any other.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.relay import PageInfo

from cdp import keyset
from cdp.crypto import Cipher, get_cipher
from cdp.errors import InvalidInput

T = TypeVar("T")


@strawberry.interface(description="An object with a global ID, fetchable with node(id).")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Global ID: opaque, stable for the caller's roles and valid only for them; "
        "pass it to node(id) to fetch the object."
    )


def audience_of(roles: Iterable[str]) -> bytes:
    """The context global IDs and cursors of callers with ``roles`` are sealed under."""
    # JSON: unambiguous whatever a role's name holds (a token's roles are not vetted).
    return b"cdp:roles:" + json.dumps(sorted(set(roles))).encode()


def _context(kind: bytes, audience: bytes) -> bytes:
    return kind + b"|" + audience


def global_id(type_name: str, pk: int, audience: bytes) -> strawberry.ID:
    return _sealed_id(get_cipher(), type_name, pk, audience)


# Sealing costs a few µs; catalogue rows (products, advisors) recur on every page.
# Keyed by the cipher too, so that another master key never meets an old ID.
@lru_cache(maxsize=16384)
def _sealed_id(cipher: Cipher, type_name: str, pk: int, audience: bytes) -> strawberry.ID:
    return strawberry.ID(cipher.seal(f"{type_name}:{pk}".encode(), _context(b"gid", audience)))


# Primary keys are bigint columns; a number beyond them names no row, and would
# fail as a query argument.
_MAX_PK = 2**63 - 1


def parse_global_id(
    value: str, audience: bytes, expected: str | None = None, argument: str = "id"
) -> tuple[str, int]:
    """``(type name, primary key)`` of a global ID; ``BAD_USER_INPUT`` naming
    ``argument`` when it was not minted for ``audience`` (forged, of another role set,
    malformed), is beyond a bigint or, with ``expected``, is of another type."""
    try:
        type_name, raw = get_cipher().unseal(value, _context(b"gid", audience)).decode().split(":")
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


def seal_cursor(cursor: str, audience: bytes) -> str:
    return get_cipher().seal(cursor.encode(), _context(b"cursor", audience))


def open_cursor(token: str | None, audience: bytes) -> str | None:
    """The keyset cursor inside a sealed one (``None`` stays ``None``); a cursor sealed
    for another audience is refused like a forged one."""
    if token is None:
        return None
    try:
        return get_cipher().unseal(token, _context(b"cursor", audience)).decode()
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
    audience: bytes,
) -> keyset.Window:
    """``keyset.window`` over cursors sealed for ``audience``."""
    return keyset.window(
        ordering,
        first=first,
        after=open_cursor(after, audience),
        last=last,
        before=open_cursor(before, audience),
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
    audience: bytes,
    with_edges: bool = True,
) -> Connection[T]:
    """A connection of ``nodes`` built from ``page.rows`` (same order), its cursors
    sealed for ``audience``."""
    rows = page.rows

    def cursor(row: Any) -> str:
        return seal_cursor(keyset.cursor_of(ordering, row), audience)

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
