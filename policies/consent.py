"""Consent gates: whether a customer's data may be used for a purpose.

One gate per consent purpose. Each answers the same question two ways that must
never disagree: as a SQL predicate on a customer id column, so a query filters
at the database and pages stay full, and in memory over consent rows a caller has
already loaded. Both read the current state in ``consent`` (``consent_event`` is
history) and gates keep nothing between calls, so a withdrawal recorded before a
query is honoured by that query: there is no cache to go stale.

What a missing row means follows PIPL (docs/architecture.md, *Personal information*):

- ``profiling`` and ``partner_sharing`` need the customer's consent, so no row
  means no: only an explicit grant opens them.
- ``marketing`` must honour opt-out, so no row means yes: only an explicit
  withdrawal (``granted = false``) closes it. Marketing that targets customers by
  their profile uses profiling too and must pass both gates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased

from cdp.db.enums import CONSENT_PURPOSES
from cdp.db.models import Consent
from cdp.errors import InvalidInput


class ConsentState(Protocol):
    """What the in-memory check needs of a consent row (ORM object or selected row)."""

    @property
    def customer_id(self) -> int: ...
    @property
    def purpose(self) -> str: ...
    @property
    def granted(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class ConsentGate:
    purpose: str
    allowed_without_row: bool

    def __post_init__(self) -> None:
        if self.purpose not in CONSENT_PURPOSES:
            raise ValueError(f"unknown consent purpose {self.purpose!r}")

    def predicate(self, customer_id: Any) -> ColumnElement[bool]:
        """``customer_id`` (a column of the outer query) passes this gate.

        The consent table is aliased per purpose so the subquery correlates to
        the outer customer column even in a query that itself reads ``consent``,
        and several gates can be combined in one statement.
        """
        c = aliased(Consent, name=f"consent_gate_{self.purpose}")
        if self.allowed_without_row:
            # Opt-out: allowed unless a row records the withdrawal.
            refused = exists().where(
                c.customer_id == customer_id, c.purpose == self.purpose, c.granted.is_(False)
            )
            return ~refused
        return exists().where(
            c.customer_id == customer_id, c.purpose == self.purpose, c.granted.is_(True)
        )

    def allows(self, customer_id: int, consents: Iterable[ConsentState]) -> bool:
        """The same decision as ``predicate`` over already loaded consent rows.

        ``consents`` may hold rows of other customers and purposes; they are ignored.
        """
        for row in consents:
            if row.customer_id == customer_id and row.purpose == self.purpose:
                return bool(row.granted)
        return self.allowed_without_row

    def allowed_ids(
        self, customer_ids: Iterable[int], consents: Iterable[ConsentState]
    ) -> set[int]:
        """Those of ``customer_ids`` that pass, deciding a whole page in one pass."""
        decided = {
            row.customer_id: bool(row.granted) for row in consents if row.purpose == self.purpose
        }
        return {cid for cid in customer_ids if decided.get(cid, self.allowed_without_row)}


PROFILING = ConsentGate("profiling", allowed_without_row=False)
MARKETING = ConsentGate("marketing", allowed_without_row=True)
PARTNER_SHARING = ConsentGate("partner_sharing", allowed_without_row=False)

GATES: Mapping[str, ConsentGate] = {g.purpose: g for g in (PROFILING, MARKETING, PARTNER_SHARING)}


def gate(purpose: str) -> ConsentGate:
    """The gate of ``purpose``; an unknown purpose is the caller's input error."""
    try:
        return GATES[purpose]
    except KeyError:
        raise InvalidInput(f"unknown consent purpose {purpose!r}", purpose=purpose) from None
