"""Filtering customers over the API: every predicate, and AND / OR / NOT combinations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Customer
from tests.factories import create_advisor, create_customer, create_holding, create_product
from tests.schema.conftest import Api, admin_id

BRANCH = "筛选测试支行"

QUERY = """
query($filter: CustomerFilter!) {
  customers(first: 100, filter: $filter) { totalCount nodes { name } }
}
"""


def _years_ago(years: int) -> date:
    """A birth date giving exactly this age today."""
    return date(date.today().year - years, 1, 1)


@pytest.fixture
async def people(session: AsyncWriteSession) -> dict[str, Customer]:
    """Five customers, named after what tells them apart."""
    advisor = await create_advisor(session)
    fund = await create_product(session, code="F-FILTER-1", category="mutual_fund")
    trust = await create_product(session, code="T-FILTER-1", category="trust")
    common: dict[str, Any] = {"branch": BRANCH}
    made = {
        "rich": await create_customer(
            session, name="rich", city="北京市", province="北京市", risk_level=5,
            advisor_id=advisor.id, birth_date=_years_ago(70),
            onboarded_at=datetime(2020, 1, 1, tzinfo=UTC), **common,
        ),
        "potential": await create_customer(
            session, name="potential", city="上海市", province="上海市", risk_level=4,
            advisor_id=advisor.id, birth_date=_years_ago(50),
            onboarded_at=datetime(2022, 1, 1, tzinfo=UTC), **common,
        ),
        "mass": await create_customer(
            session, name="mass", city="杭州市", province="浙江省", risk_level=2,
            birth_date=_years_ago(30), onboarded_at=datetime(2024, 1, 1, tzinfo=UTC), **common,
        ),
        "empty": await create_customer(
            session, name="empty", city="宁波市", province="浙江省", risk_level=1,
            birth_date=None, onboarded_at=datetime(2024, 6, 1, tzinfo=UTC), **common,
        ),
        "young": await create_customer(
            session, name="young", city="杭州市", province="浙江省", risk_level=3,
            birth_date=_years_ago(20), onboarded_at=datetime(2025, 1, 1, tzinfo=UTC), **common,
        ),
    }  # fmt: skip
    await create_holding(session, made["rich"], trust, market_value=Decimal("7000000"))
    await create_holding(session, made["potential"], fund, market_value=Decimal("500000"))
    await create_holding(session, made["mass"], fund, market_value=Decimal("499999.99"))
    await create_holding(session, made["young"], trust, market_value=Decimal("1000"))
    return made


async def _names(api: Api, predicate: dict[str, Any]) -> set[str]:
    data = await api.data(QUERY, filter={"and": [{"branches": [BRANCH]}, predicate]})
    names = {n["name"] for n in data["customers"]["nodes"]}
    assert data["customers"]["totalCount"] == len(names)
    return names


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        ({"tiers": ["HIGH_NET_WORTH"]}, {"rich"}),
        ({"tiers": ["POTENTIAL"]}, {"potential"}),
        ({"tiers": ["MASS"]}, {"mass", "empty", "young"}),
        ({"tiers": ["MASS", "HIGH_NET_WORTH"]}, {"mass", "empty", "young", "rich"}),
        ({"riskLevels": [1, 5]}, {"empty", "rich"}),
        ({"cities": ["杭州市"]}, {"mass", "young"}),
        ({"provinces": ["浙江省"]}, {"mass", "empty", "young"}),
        ({"aum": {"min": "500000"}}, {"rich", "potential"}),
        ({"aum": {"max": "1000"}}, {"empty", "young"}),
        ({"aum": {"min": "1000", "max": "500000"}}, {"potential", "mass", "young"}),
        ({"onboarded": {"min": "2024-01-01T00:00:00+00:00"}}, {"mass", "empty", "young"}),
        (
            {"onboarded": {"min": "2022-01-01T00:00:00Z", "max": "2024-01-01T00:00:00Z"}},
            {"potential", "mass"},
        ),
        ({"age": {"min": 65}}, {"rich"}),
        ({"age": {"min": 25, "max": 55}}, {"potential", "mass"}),
        ({"age": {"max": 25}}, {"young"}),
        ({"holdsProducts": ["F-FILTER-1"]}, {"potential", "mass"}),
        ({"holdsProducts": ["NO-SUCH"]}, set()),
        ({"holdsCategories": ["trust"]}, {"rich", "young"}),
        ({"branches": ["别的支行"]}, set()),
        ({}, {"rich", "potential", "mass", "empty", "young"}),
    ],
)
async def test_each_predicate(
    api: Api, people: dict[str, Customer], predicate: dict[str, Any], expected: set[str]
) -> None:
    assert await _names(api, predicate) == expected


async def test_advisor_predicate_takes_global_ids(api: Api, people: dict[str, Customer]) -> None:
    advisor_id = people["rich"].advisor_id
    assert advisor_id is not None
    names = await _names(api, {"advisors": [admin_id("Advisor", advisor_id)]})
    assert names == {"rich", "potential"}


async def test_advisor_predicate_refuses_other_ids(api: Api) -> None:
    error = await api.error(QUERY, filter={"advisors": [admin_id("Customer", 1)]})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_and_or_not(api: Api, people: dict[str, Customer]) -> None:
    zhejiang_or_rich = {"or": [{"provinces": ["浙江省"]}, {"tiers": ["HIGH_NET_WORTH"]}]}
    assert await _names(api, zhejiang_or_rich) == {"mass", "empty", "young", "rich"}
    assert await _names(api, {"not": {"provinces": ["浙江省"]}}) == {"rich", "potential"}
    assert await _names(api, {"and": [{"cities": ["杭州市"]}, {"riskLevels": [3]}]}) == {"young"}
    nested = {
        "or": [
            {"and": [{"provinces": ["浙江省"]}, {"not": {"holdsCategories": ["trust"]}}]},
            {"not": {"or": [{"riskLevels": [1, 2, 3]}, {"tiers": ["POTENTIAL"]}]}},
        ]
    }
    assert await _names(api, nested) == {"mass", "empty", "rich"}
    # Predicates on one filter object all hold.
    assert await _names(api, {"provinces": ["浙江省"], "riskLevels": [2, 3]}) == {"mass", "young"}


@pytest.mark.parametrize(
    "predicate",
    [
        {"holdsCategories": ["crypto"]},
        {"aum": {"min": "10", "max": "1"}},
        {"age": {"min": 50, "max": 20}},
        {"onboarded": {"min": "2024-01-02T00:00:00Z", "max": "2024-01-01T00:00:00Z"}},
    ],
)
async def test_invalid_predicates_are_bad_input(api: Api, predicate: dict[str, Any]) -> None:
    error = await api.error(QUERY, filter=predicate)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_nesting_is_limited(api: Api) -> None:
    deep: dict[str, Any] = {"cities": ["x"]}
    for _ in range(12):
        deep = {"not": deep}
    error = await api.error(QUERY, filter=deep)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
