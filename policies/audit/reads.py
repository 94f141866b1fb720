"""What one request read of sensitive data, gathered while it runs.

Resolvers that build lists of customers call ``note`` once per list, with the
sensitive fields the query selected and the caller sees in clear, and the ids of
the customers in the list. When the request is done, ``entry`` turns the union of
everything noted into one ``AuditEntry``: one row per request, however many lists
and nesting levels the query had.

Selecting a value is not the only way to read it: a filter on ``aum`` answers "is
this customer's AUM in the range?", and about thirty such questions give the exact
amount; an ordering by it ranks customers by it. So a filter or ordering over a
sensitive field is noted too (``note_use``), as the field path with how it was used
appended: ``Customer.aum@filter``, ``Customer.aum@order`` (a plain
``Customer.aum`` is a selection). It is noted even when no customer matched, since
"nobody in this range" is an answer as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

from cdp.principal import Principal
from policies.audit.entry import AuditEntry

Use = Literal["filter", "order"]
USES: Final[tuple[Use, ...]] = ("filter", "order")
USE_SEPARATOR: Final = "@"


def used_path(field_path: str, use: Use) -> str:
    """The audit path of ``field_path`` used as ``use``: ``Customer.aum@filter``."""
    return f"{field_path}{USE_SEPARATOR}{use}"


def every_use(field_path: str) -> tuple[str, ...]:
    """The audit paths that record ``field_path`` read any way: selected, filtered on
    or ordered by (a path that already names its use stands for itself)."""
    if USE_SEPARATOR in field_path:
        return (field_path,)
    return (field_path, *(used_path(field_path, use) for use in USES))


class SensitiveReads:
    """The sensitive field paths and customer ids one request has read so far."""

    __slots__ = ("_customer_ids", "_field_paths")

    def __init__(self) -> None:
        self._field_paths: set[str] = set()
        self._customer_ids: set[int] = set()

    def note(self, field_paths: Iterable[str], customer_ids: Iterable[int]) -> None:
        """Record that ``field_paths`` were read of ``customer_ids``.

        Nothing was read when either is empty (no sensitive field selected, or an
        empty list), so nothing is recorded then.
        """
        paths = set(field_paths)
        if not paths:
            return
        ids = set(customer_ids)
        if not ids:
            return
        self._field_paths |= paths
        self._customer_ids |= ids

    def note_use(self, field_paths: Iterable[str], use: Use, customer_ids: Iterable[int]) -> None:
        """Record that ``field_paths`` selected or ordered rows (``use``); the customers
        are those returned, and may be none: the empty answer was learned too."""
        paths = {used_path(path, use) for path in field_paths}
        if not paths:
            return
        self._field_paths |= paths
        self._customer_ids |= set(customer_ids)

    def note_aggregate(self, field_paths: Iterable[str]) -> None:
        """Record that ``field_paths``, aggregates over customers (a holder count), were
        read; they name no customer individually, so none is recorded."""
        self._field_paths |= set(field_paths)

    def __bool__(self) -> bool:
        return bool(self._field_paths)

    @property
    def field_paths(self) -> frozenset[str]:
        return frozenset(self._field_paths)

    @property
    def customer_ids(self) -> frozenset[int]:
        return frozenset(self._customer_ids)

    def entry(
        self,
        *,
        principal: Principal,
        operation: str | None,
        purpose: str | None,
        policy_version: str | None,
        request_id: str | None,
    ) -> AuditEntry | None:
        """The audit entry of everything noted, ``None`` when nothing sensitive was read.

        Raises ``ValueError`` when a value cannot be stored (see ``AuditEntry``).
        """
        if not self:
            return None
        return AuditEntry.of(
            principal,
            operation=operation,
            field_paths=self._field_paths,
            customer_ids=self._customer_ids,
            purpose=purpose,
            policy_version=policy_version,
            request_id=request_id,
        )
