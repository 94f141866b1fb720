"""Holdings read only the columns a selection shows; anything unknown reads them all."""

from __future__ import annotations

from decimal import Decimal

from graphql import GraphQLObjectType, parse

from cdp.customers.holdings import OPTIONAL, PRODUCT_PREFIX, HoldingRepository
from cdp.db.engine import AsyncWriteSession
from schema import build_schema
from schema.dataloaders.holdings import _HOLDING_FIELDS, _PRODUCT_FIELDS, holding_columns
from schema.dataloaders.lookahead import Selection, _collect
from tests.factories import create_customer, create_holding, create_product


def _selection(fields: str) -> Selection:
    out = Selection()
    [operation] = parse(f"{{ {fields} }}").definitions
    _collect(out, operation.selection_set, {})  # type: ignore[attr-defined]
    return out


def test_a_list_of_holdings_reads_the_columns_it_shows() -> None:
    sel = _selection("marketValue units product { id code name category riskRatingLabel }")
    assert holding_columns(sel, by_category=False) == frozenset(
        {
            "market_value",
            "units",
            "product_code",
            "product_name",
            "product_category",
            "product_risk_rating",
        }
    )
    assert holding_columns(Selection(), by_category=True) == frozenset(
        {"market_value", "product_category"}
    )


def test_a_field_not_known_here_reads_every_column() -> None:
    assert holding_columns(_selection("units somethingNew"), by_category=False) is None
    assert holding_columns(_selection("product { somethingNew }"), by_category=False) is None


def test_every_field_of_holding_and_product_is_known() -> None:
    # Unknown fields stay correct (every column is read), but fast only when known.
    schema = build_schema()._schema
    holding, product = schema.type_map["Holding"], schema.type_map["Product"]
    assert isinstance(holding, GraphQLObjectType)
    assert isinstance(product, GraphQLObjectType)
    assert set(holding.fields) - {"product"} <= set(_HOLDING_FIELDS)
    assert set(product.fields) <= set(_PRODUCT_FIELDS)
    known = {c for c in _HOLDING_FIELDS.values() if c}
    known |= {PRODUCT_PREFIX + c for c in _PRODUCT_FIELDS.values() if c}
    assert known == OPTIONAL


async def test_unread_columns_are_null_and_read_ones_are_not(session: AsyncWriteSession) -> None:
    customer = await create_customer(session)
    product = await create_product(session)
    await create_holding(session, customer, product, market_value=Decimal("1234.50"))
    repo = HoldingRepository(session)
    [full] = await repo.with_products([customer.id])
    [lean] = await repo.with_products([customer.id], frozenset({"market_value", "product_code"}))
    assert lean._fields == full._fields
    assert lean.market_value == full.market_value == Decimal("1234.50")
    assert lean.product_code == full.product_code == product.code
    assert lean.id == full.id
    assert lean.product_id == full.product_id
    assert full.cost is not None
    assert full.product_launched_at is not None
    assert lean.cost is None
    assert lean.product_launched_at is None
