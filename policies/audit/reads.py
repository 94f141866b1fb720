"""What one request read of sensitive data, gathered while it runs.

Resolvers that build lists of customers call ``note`` once per list, with the
sensitive fields the query selected and the caller sees in clear, and the ids of
the customers in the list. When the request is done, ``entry`` turns the union of
everything noted into one ``AuditEntry``: one row per request, however many lists
and nesting levels the query had.
"""

from __future__ import annotations

from collections.abc import Iterable

from cdp.principal import Principal
from policies.audit.entry import AuditEntry


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
