"""All SQL that reads advisors (relationship managers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.db.engine import any_of, read
from cdp.db.models import Advisor, Customer
from cdp.keyset import AnyRow

ADVISOR_COLUMNS = (Advisor.id, Advisor.employee_no, Advisor.name, Advisor.branch)

ADVISOR_ORDERING = keyset.Ordering(
    "employee_no", Advisor.employee_no, Advisor.id, "employee_no", str
)


def _where(branches: Sequence[str] | None, scope: ColumnElement[bool] | None) -> Any:
    condition = Advisor.branch.in_(branches) if branches else Advisor.id.is_not(None)
    return condition if scope is None else condition & scope


class AdvisorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        *,
        branches: Sequence[str] | None,
        window: keyset.Window,
        scope: ColumnElement[bool] | None = None,
    ) -> keyset.Page[AnyRow]:
        stmt = select(*ADVISOR_COLUMNS).where(_where(branches, scope))
        rows = (await read(self.session, keyset.apply(stmt, ADVISOR_ORDERING, window))).all()
        return keyset.page(rows, window)

    async def count(
        self, *, branches: Sequence[str] | None, scope: ColumnElement[bool] | None = None
    ) -> int:
        stmt = select(func.count()).select_from(Advisor).where(_where(branches, scope))
        return int((await read(self.session, stmt)).scalar_one())

    async def by_ids(
        self, ids: Sequence[int], *, scope: ColumnElement[bool] | None = None
    ) -> Sequence[AnyRow]:
        condition = any_of(Advisor.id, ids) if scope is None else any_of(Advisor.id, ids) & scope
        return (await read(self.session, select(*ADVISOR_COLUMNS).where(condition))).all()

    async def customer_counts(
        self, advisor_ids: Sequence[int], *, customer_scope: ColumnElement[bool] | None = None
    ) -> dict[int, int]:
        """Golden customers assigned to each advisor, within the caller's customer scope
        (advisors without any are absent)."""
        condition = any_of(Customer.advisor_id, advisor_ids) & (Customer.status != "merged")
        if customer_scope is not None:
            condition = condition & customer_scope
        stmt = (
            select(Customer.advisor_id, func.count()).where(condition).group_by(Customer.advisor_id)
        )
        return {aid: n for aid, n in (await read(self.session, stmt)).all() if aid}
