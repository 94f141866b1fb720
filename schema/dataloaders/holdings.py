"""Holdings (each with its product's columns) of many customers in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cdp.customers.holdings import PRODUCT_PREFIX, HoldingRepository
from cdp.keyset import AnyRow
from schema.dataloaders.base import BatchLoader, Deps
from schema.dataloaders.lookahead import Selection

# GraphQL field -> the optional column it reads (see ``cdp.customers.holdings``);
# ``None`` for fields that need only what every row has (ids).
_HOLDING_FIELDS: dict[str, str | None] = {
    "__typename": None,
    "units": "units",
    "marketValue": "market_value",
    "cost": "cost",
    "openedAt": "opened_at",
    "updatedAt": "updated_at",
}
_PRODUCT_FIELDS: dict[str, str | None] = {
    "__typename": None,
    "id": None,
    "holderCount": None,
    "code": "code",
    "name": "name",
    "category": "category",
    "riskRating": "risk_rating",
    "riskRatingLabel": "risk_rating",
    "minInvestment": "min_investment",
    "termDays": "term_days",
    "expectedYield": "expected_yield",
    "currency": "currency",
    "status": "status",
    "launchedAt": "launched_at",
}


def holding_columns(holdings: Selection, by_category: bool) -> frozenset[str] | None:
    """The optional columns read for this selection of holdings (and, with
    ``by_category``, for AUM by category); ``None``, every column, as soon as a
    field is not known here, so that a field added later is never read as NULL."""
    wanted = {"market_value", PRODUCT_PREFIX + "category"} if by_category else set()
    for name, below in holdings.fields.items():
        if name == "product":
            for field in below.fields:
                if field not in _PRODUCT_FIELDS:
                    return None
                column = _PRODUCT_FIELDS[field]
                if column is not None:
                    wanted.add(PRODUCT_PREFIX + column)
        elif name in _HOLDING_FIELDS:
            column = _HOLDING_FIELDS[name]
            if column is not None:
                wanted.add(column)
        else:
            return None
    return frozenset(wanted)


class HoldingsLoader(BatchLoader[int, list[AnyRow]]):
    def __init__(self, deps: Deps, columns: frozenset[str] | None = None) -> None:
        super().__init__(deps)
        self.columns = columns

    async def fetch(self, customer_ids: list[int]) -> Sequence[list[AnyRow]]:
        by_customer: dict[int, list[AnyRow]] = defaultdict(list)
        repo = HoldingRepository(self.deps.session)
        rows = await repo.with_products(customer_ids, self.columns)
        if rows:
            # By position: see ``schema.dataloaders.rows.positions``.
            at = rows[0]._fields.index("customer_id")
            for row in rows:
                by_customer[row[at]].append(row)
        return [by_customer.get(cid, []) for cid in customer_ids]
