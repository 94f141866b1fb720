"""Keyset (cursor) pagination over any ordered SELECT.

A page is fetched with ``WHERE (key, id) > (:key, :id) ORDER BY key, id LIMIT n + 1``
rather than ``OFFSET``: deep pages cost the same as the first, and rows inserted
meanwhile do not shift what a client sees. The extra row tells whether another
page follows.

A cursor is opaque to clients: URL-safe base64 of a small JSON array holding the
ordering's name, the row's sort key and its id. Decoding checks the ordering name
and the key's type, and the values only ever reach SQL as bound parameters. Sort
keys must be NOT NULL (coalesce nullable expressions) so that row comparison
is total.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeAlias, TypeVar, TypeVarTuple

from sqlalchemy import Row, Select, SQLColumnExpression, tuple_

from cdp.errors import InvalidInput

R = TypeVar("R")
Ts = TypeVarTuple("Ts")

# A result row of any shape (read paths select columns, not entities).
AnyRow: TypeAlias = Row[*tuple[Any, ...]]


@dataclass(frozen=True)
class Ordering:
    """How a list is sorted: one key expression, then the id as a stable tiebreak.

    ``field`` names the attribute of a result row holding the key, so a row's cursor
    can be written without recomputing it. Both columns sort in the same direction,
    which lets PostgreSQL compare them as one row value.
    """

    name: str
    key: SQLColumnExpression[Any]
    tiebreak: SQLColumnExpression[Any]
    field: str
    kind: type
    descending: bool = False

    @property
    def token(self) -> str:
        return f"{self.name}:{'desc' if self.descending else 'asc'}"


@dataclass(frozen=True)
class Window:
    """A validated page request: direction, size and the decoded cursor, if any."""

    size: int
    forward: bool
    after: tuple[Any, int] | None


@dataclass(frozen=True)
class Page(Generic[R]):
    rows: list[R]
    has_next: bool
    has_previous: bool


def window(
    ordering: Ordering,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    max_size: int,
) -> Window:
    """Validate Relay-style arguments; neither ``first`` nor ``last`` means a full page."""
    if first is not None and last is not None:
        raise InvalidInput("pass either first or last, not both")
    if after is not None and before is not None:
        raise InvalidInput("pass either after or before, not both")
    if last is None and before is not None:
        raise InvalidInput("before needs last")
    size = last if last is not None else first if first is not None else max_size
    if size < 0:
        raise InvalidInput("page size must not be negative", argument="first/last")
    if size > max_size:
        raise InvalidInput(
            f"page size {size} is larger than the maximum of {max_size}",
            argument="first/last",
            maximum=max_size,
        )
    forward = last is None
    cursor = after if forward else before
    return Window(size, forward, decode_cursor(ordering, cursor) if cursor else None)


def apply(stmt: Select[*Ts], ordering: Ordering, win: Window) -> Select[*Ts]:
    """Add the keyset condition, the order and the limit (one row more than the page)."""
    # Walking backwards is walking forwards through the reversed order.
    ascending = not ordering.descending if win.forward else ordering.descending
    if win.after is not None:
        key, row_id = win.after
        row = tuple_(ordering.key, ordering.tiebreak)
        stmt = stmt.where(row > tuple_(key, row_id) if ascending else row < tuple_(key, row_id))
    if ascending:
        stmt = stmt.order_by(ordering.key.asc(), ordering.tiebreak.asc())
    else:
        stmt = stmt.order_by(ordering.key.desc(), ordering.tiebreak.desc())
    return stmt.limit(win.size + 1)


def page(rows: Sequence[R], win: Window) -> Page[R]:
    """Cut the extra row off and put a backwards page back into the ordering's order."""
    more = len(rows) > win.size
    kept = list(rows[: win.size])
    if win.forward:
        return Page(kept, has_next=more, has_previous=win.after is not None)
    kept.reverse()
    return Page(kept, has_next=win.after is not None, has_previous=more)


def cursor_of(ordering: Ordering, row: Any) -> str:
    key = getattr(row, ordering.field)
    return encode_cursor(ordering, key, row.id)


def encode_cursor(ordering: Ordering, key: Any, row_id: int) -> str:
    value = (
        key.isoformat() if isinstance(key, date) else str(key) if ordering.kind is Decimal else key
    )
    raw = json.dumps([ordering.token, value, row_id], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        token, value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if token != ordering.token or type(row_id) is not int:
            raise ValueError
        return _decode_key(ordering.kind, value), row_id
    except (ValueError, TypeError, binascii.Error, InvalidOperation) as e:
        raise InvalidInput(
            "invalid cursor: it does not come from this list in this order", argument="cursor"
        ) from e


def _decode_key(kind: type, value: Any) -> Any:
    if kind is Decimal and isinstance(value, str):
        return Decimal(value)
    if kind is datetime and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    if kind in (str, int) and type(value) is kind:
        return value
    raise ValueError(f"cursor key of type {kind.__name__} expected")
