"""Every field of Customer (and of the objects it leads to) over HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from cdp.customers.tiers import years_before
from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Customer
from tests.factories import (
    create_advisor,
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_interaction,
    create_product,
    create_referral,
    create_transaction,
)
from tests.schema.conftest import Api

PROFILE = """
query($no: String!) {
  customer(customerNo: $no) {
    id customerNo name gender birthDate age province city occupation annualIncome
    riskLevel riskLevelLabel riskAssessedAt riskAssessmentExpired investorClass branch
    onboardedAt status aum tier
    aumByCategory { category amount }
    tags { key value since explanation }
    advisor { id employeeNo name branch customerCount }
    consents { purpose granted source updatedAt }
  }
}
"""


async def test_profile_and_computed_fields(api: Api, session: AsyncWriteSession) -> None:
    advisor = await create_advisor(session, name="王顾问", branch="北京分行")
    today = date.today()
    customer = await create_customer(
        session,
        name="李雷",
        gender="M",
        birth_date=date(today.year - 40, 1, 1),
        city="杭州市",
        province="浙江省",
        occupation="工程师",
        annual_income=Decimal("300000.00"),
        risk_level=3,
        risk_assessed_at=today - timedelta(days=400),
        investor_class="professional",
        advisor_id=advisor.id,
        branch="杭州分行",
    )
    fund = await create_product(session, category="mutual_fund")
    bond = await create_product(session, category="bond")
    other_fund = await create_product(session, category="mutual_fund")
    await create_holding(session, customer, fund, market_value=Decimal("300000"))
    await create_holding(session, customer, other_fund, market_value=Decimal("400000"))
    await create_holding(session, customer, bond, market_value=Decimal("6000000"))
    await create_consent(session, customer, "marketing", granted=False)
    await create_consent(session, customer, "profiling")

    data = (await api.data(PROFILE, no=customer.customer_no))["customer"]

    assert data["name"] == "李雷"
    assert data["gender"] == "M"
    assert data["age"] in (39, 40)
    assert (data["city"], data["province"], data["occupation"]) == ("杭州市", "浙江省", "工程师")
    assert Decimal(data["annualIncome"]) == Decimal("300000")
    assert data["riskLevelLabel"] == "C3 平衡型"
    assert data["riskAssessmentExpired"] is True
    assert data["investorClass"] == "professional"
    assert data["branch"] == "杭州分行"
    assert data["onboardedAt"].startswith("2024-01-01")
    assert data["status"] == "active"
    assert Decimal(data["aum"]) == Decimal("6700000")
    assert data["tier"] == "HIGH_NET_WORTH"
    assert [(c["category"], Decimal(c["amount"])) for c in data["aumByCategory"]] == [
        ("bond", Decimal("6000000")),
        ("mutual_fund", Decimal("700000")),
    ]
    assert data["tags"] == []
    assert data["advisor"]["name"] == "王顾问"
    assert data["advisor"]["branch"] == "北京分行"
    assert data["advisor"]["customerCount"] == 1
    assert [(c["purpose"], c["granted"]) for c in data["consents"]] == [
        ("marketing", False),
        ("profiling", True),
    ]
    assert data["consents"][0]["source"] == "app"


async def test_missing_profile_values_are_null(api: Api, session: AsyncWriteSession) -> None:
    customer = await create_customer(session, birth_date=None, risk_level=None)
    data = (await api.data(PROFILE, no=customer.customer_no))["customer"]
    assert data["age"] is None
    assert data["riskLevelLabel"] is None
    assert data["riskAssessmentExpired"] is True
    assert data["advisor"] is None
    assert data["aum"] == "0"
    assert data["tier"] == "MASS"
    assert data["aumByCategory"] == []


HOLDINGS = """
query($no: String!) {
  customer(customerNo: $no) {
    holdings {
      units marketValue cost openedAt updatedAt
      product {
        id code name category riskRating riskRatingLabel minInvestment termDays
        expectedYield currency status launchedAt holderCount
      }
    }
  }
}
"""


async def test_holdings_with_products(api: Api, session: AsyncWriteSession) -> None:
    customer = await create_customer(session)
    other = await create_customer(session)
    product = await create_product(
        session, risk_rating=4, term_days=90, expected_yield=Decimal("0.0350")
    )
    await create_holding(session, customer, product, units=Decimal("12.5"))
    await create_holding(session, other, product)

    [holding] = (await api.data(HOLDINGS, no=customer.customer_no))["customer"]["holdings"]

    assert Decimal(holding["units"]) == Decimal("12.5")
    assert Decimal(holding["cost"]) == Decimal("9000")
    assert holding["openedAt"].startswith("2024-06-01")
    assert holding["updatedAt"]
    p = holding["product"]
    assert (p["code"], p["riskRating"], p["riskRatingLabel"]) == (product.code, 4, "R4")
    assert p["termDays"] == 90
    assert Decimal(p["expectedYield"]) == Decimal("0.035")
    assert (p["currency"], p["status"], p["launchedAt"]) == ("CNY", "on_sale", "2023-01-01")
    assert Decimal(p["minInvestment"]) == Decimal("1000")
    assert p["holderCount"] == 2


RELATIONS = """
query($no: String!) {
  customer(customerNo: $no) {
    householdRelation
    household {
      id householdNo name createdAt aum
      members { relation customer { customerNo household { householdNo } } }
    }
    referredBy { referredAt channel customer { customerNo } }
    referrals { referredAt channel customer { customerNo referredBy { customer { name } } } }
  }
}
"""


async def test_household_and_referrals(api: Api, session: AsyncWriteSession) -> None:
    head = await create_customer(session, name="张三")
    spouse = await create_customer(session)
    friend = await create_customer(session)
    referee = await create_customer(session)
    household = await create_household(session, [(head, "self"), (spouse, "spouse")])
    await create_holding(session, spouse, await create_product(session), market_value=Decimal(5))
    await create_referral(session, friend, head, channel="event")
    await create_referral(session, head, referee, channel="app")

    data = (await api.data(RELATIONS, no=head.customer_no))["customer"]

    assert data["householdRelation"] == "self"
    h = data["household"]
    assert h["householdNo"] == household.household_no
    assert Decimal(h["aum"]) == Decimal(5)
    assert h["createdAt"]
    assert [(m["relation"], m["customer"]["customerNo"]) for m in h["members"]] == [
        ("self", head.customer_no),
        ("spouse", spouse.customer_no),
    ]
    assert h["members"][1]["customer"]["household"]["householdNo"] == household.household_no
    assert data["referredBy"]["customer"]["customerNo"] == friend.customer_no
    assert data["referredBy"]["channel"] == "event"
    assert data["referredBy"]["referredAt"].startswith("2024-03-01")
    [referral] = data["referrals"]
    assert referral["customer"]["customerNo"] == referee.customer_no
    assert referral["customer"]["referredBy"]["customer"]["name"] == "张三"


async def test_customer_without_relations(api: Api, session: AsyncWriteSession) -> None:
    customer = await create_customer(session)
    data = (await api.data(RELATIONS, no=customer.customer_no))["customer"]
    assert data == {
        "householdRelation": None,
        "household": None,
        "referredBy": None,
        "referrals": [],
    }


ACTIVITY = """
query($no: String!, $first: Int, $after: String, $kinds: [String!], $eventKinds: [String!],
      $since: DateTime, $until: DateTime) {
  customer(customerNo: $no) {
    transactions(first: $first, after: $after, kinds: $kinds, since: $since, until: $until) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { kind amount channel occurredAt product { code } } }
      nodes { kind }
    }
    interactions(first: $first, after: $after, kinds: $eventKinds, since: $since, until: $until) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { kind occurredAt properties }
    }
  }
}
"""


async def _with_activity(session: AsyncWriteSession) -> tuple[Customer, str]:
    customer = await create_customer(session)
    product = await create_product(session)
    for day in range(1, 6):
        kind = "purchase" if day % 2 else "redemption"
        at = datetime(2024, 5, day, tzinfo=UTC)
        await create_transaction(session, customer, product, kind=kind, occurred_at=at)
        event_kind = "login" if day % 2 else "call"
        await create_interaction(
            session, customer, kind=event_kind, occurred_at=at, properties={"day": day}
        )
    await create_transaction(session, customer, None, kind="fee", amount=Decimal("3"))
    return customer, product.code


async def test_transactions_and_interactions_page_newest_first(
    api: Api, session: AsyncWriteSession
) -> None:
    customer, code = await _with_activity(session)

    first = (await api.data(ACTIVITY, no=customer.customer_no, first=2))["customer"]

    tx = first["transactions"]
    assert tx["totalCount"] == 6
    assert [e["node"]["kind"] for e in tx["edges"]] == ["fee", "purchase"]
    assert tx["edges"][0]["node"]["product"] is None
    assert tx["edges"][1]["node"]["product"]["code"] == code
    assert tx["edges"][1]["node"]["occurredAt"].startswith("2024-05-05")
    assert tx["pageInfo"]["hasNextPage"] is True
    assert tx["pageInfo"]["hasPreviousPage"] is False
    assert tx["pageInfo"]["endCursor"] == tx["edges"][-1]["cursor"]
    assert [n["kind"] for n in tx["nodes"]] == ["fee", "purchase"]
    events = first["interactions"]
    assert events["totalCount"] == 5
    assert [n["properties"] for n in events["nodes"]] == [{"day": 5}, {"day": 4}]

    after = tx["pageInfo"]["endCursor"]
    rest = await api.data(ACTIVITY, no=customer.customer_no, first=10, after=after)
    kinds = [n["kind"] for n in rest["customer"]["transactions"]["nodes"]]
    assert kinds == ["redemption", "purchase", "redemption", "purchase"]
    assert rest["customer"]["transactions"]["pageInfo"]["hasNextPage"] is False


async def test_activity_filtered_by_kind_and_window(api: Api, session: AsyncWriteSession) -> None:
    customer, _ = await _with_activity(session)
    data = await api.data(
        ACTIVITY,
        no=customer.customer_no,
        kinds=["purchase"],
        eventKinds=["login"],
        since="2024-05-02T00:00:00+00:00",
        until="2024-05-05T00:00:00+00:00",
    )
    tx = data["customer"]["transactions"]
    assert [e["node"]["occurredAt"][:10] for e in tx["edges"]] == ["2024-05-03"]
    assert tx["totalCount"] == 1
    assert [n["kind"] for n in data["customer"]["interactions"]["nodes"]] == ["login"]


async def test_unknown_activity_kind_is_bad_input(api: Api, session: AsyncWriteSession) -> None:
    customer = await create_customer(session)
    error = await api.error(ACTIVITY, no=customer.customer_no, kinds=["nope"])
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "nope" in error["message"]


async def test_unknown_customer_is_not_found(api: Api) -> None:
    error = await api.error(PROFILE, no="NOPE")
    assert error["extensions"]["code"] == "NOT_FOUND"


async def test_assessment_expiry_served_at_its_boundary(
    api: Api, session: AsyncWriteSession
) -> None:
    # The API computes the flag per row while assembling a page; a day on either
    # side of one year ago, and a customer never assessed.
    today = date.today()
    year_ago = years_before(today, 1)
    cases = {
        year_ago: False,
        year_ago - timedelta(days=1): True,
        None: True,
    }
    numbers = {}
    for assessed in cases:
        customer = await create_customer(session, risk_assessed_at=assessed)
        numbers[assessed] = customer.customer_no
    for assessed, expired in cases.items():
        data = await api.data(
            "query($no: String!) { customer(customerNo: $no) { riskAssessmentExpired } }",
            no=numbers[assessed],
        )
        assert data["customer"]["riskAssessmentExpired"] is expired, assessed
