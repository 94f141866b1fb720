"""The default library: every tag on hand-built customers, boundaries included.

Each test installs the library, builds its people, runs its category's tags and
checks exactly who has which value: a person who does not list a tag must not
have it.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import TagDefinition, TagVersion
from tagging.library import install_library, read_library
from tests.tagging.library_kit import H, Person, T, born, check_tags, days_ago


def _tier(p: Person, tier: str, wan: float) -> Person:
    p.expect = {"asset_tier": tier, "aum_wan": wan} | p.expect
    return p


async def test_library_has_forty_tags_with_chinese_names_and_installs_idempotently(
    session: AsyncWriteSession,
) -> None:
    specs = read_library()
    assert len(specs) >= 40
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in s.name_zh) for s in specs)
    first = await install_library(session, actor="test")
    assert len(first.created) == len(specs) == len(first.published)
    again = await install_library(session, actor="test")
    assert (again.created, again.updated, again.published) == ([], [], [])
    statuses = await session.scalars(select(TagDefinition.status).distinct())
    assert list(statuses) == ["active"]
    assert await session.scalar(select(func.count()).select_from(TagVersion)) == len(specs)


async def test_asset_tags(session: AsyncWriteSession, db: Database) -> None:
    people = [
        _tier(Person("zero"), "大众", 0),
        _tier(
            Person("below_50w", {"concentrated_portfolio": True}, [H(499_999.99)]),
            "大众",
            49.999999,
        ),
        _tier(Person("at_50w", {"concentrated_portfolio": True}, [H(500_000)]), "潜力", 50),
        _tier(
            Person(
                "below_600w",
                {"million_club": True, "professional_candidate": True, "idle_deposits": True},
                [H(3_000_000, "deposit"), H(2_999_999.99)],
            ),
            "潜力",
            599.999999,
        ),
        _tier(
            Person(
                "at_600w",
                {
                    "million_club": True,
                    "professional_candidate": True,
                    "idle_deposits": True,
                    "concentrated_portfolio": True,
                },
                [H(6_000_000, "deposit")],
            ),
            "高净值",
            600,
        ),
        _tier(
            Person(
                "private",
                {"million_club": True, "private_banking": True},
                [H(5_000_000, "bond"), H(5_000_000, "trust")],
                customer={"investor_class": "professional"},
            ),
            "高净值",
            1000,
        ),
        _tier(
            Person("below_100w", {"concentrated_portfolio": True}, [H(999_999.99, "deposit")]),
            "潜力",
            99.999999,
        ),
        _tier(
            Person(
                "hh_a",
                {"household_hnw": True, "million_club": True, "concentrated_portfolio": True},
                [H(4_000_000)],
                household="rich",
            ),
            "潜力",
            400,
        ),
        _tier(
            Person(
                "hh_b",
                {"household_hnw": True, "million_club": True, "concentrated_portfolio": True},
                [H(2_000_000)],
                household="rich",
            ),
            "潜力",
            200,
        ),
        _tier(
            Person(
                "hh_c",
                {"million_club": True, "concentrated_portfolio": True},
                [H(3_000_000)],
                household="almost",
            ),
            "潜力",
            300,
        ),
        _tier(
            Person(
                "hh_d",
                {"million_club": True, "concentrated_portfolio": True},
                [H(2_999_999)],
                household="almost",
            ),
            "潜力",
            299.9999,
        ),
        _tier(
            Person("rich_income", {"high_income": True}, customer={"annual_income": 1_000_000}),
            "大众",
            0,
        ),
        _tier(Person("income_below", customer={"annual_income": 999_999}), "大众", 0),
        Person("no_consent", holdings=[H(7_000_000)], consent=False),
    ]
    keys = [
        "asset_tier",
        "aum_wan",
        "million_club",
        "private_banking",
        "professional_candidate",
        "household_hnw",
        "concentrated_portfolio",
        "idle_deposits",
        "high_income",
    ]
    await check_tags(session, db, keys, people)


async def test_lifecycle_tags(session: AsyncWriteSession, db: Database) -> None:
    fund = [H(1000, opened=400)]
    people = [
        Person("prospect", {"lifecycle": "潜在"}),
        Person("closed", {"lifecycle": "流失"}, [H(100)], customer={"status": "closed"}),
        Person("lapsed", {"lifecycle": "流失"}, txs=[T("purchase", days=400)]),
        Person(
            "lapsed_edge",
            {"lifecycle": "睡眠", "recently_inactive": True},
            txs=[T("purchase", days=364)],
        ),
        Person(
            "newbie",
            {"lifecycle": "新", "new_customer": True, "recently_inactive": True},
            [H(1000, opened=90)],
            [T("purchase", days=90)],
            customer={"onboarded_at": days_ago(90)},
        ),
        Person(
            "not_new",
            {"recently_inactive": True},
            [H(1000, opened=91)],
            [T("purchase", days=91)],
            customer={"onboarded_at": days_ago(91)},
        ),
        Person("active", {"lifecycle": "活跃"}, fund, [T("purchase", days=10)]),
        Person(
            "sleeping",
            {"lifecycle": "睡眠", "recently_inactive": True},
            fund,
            [T("redemption", days=180)],
        ),
        Person("cooling", {"recently_inactive": True}, fund, [T("purchase", days=179)]),
        Person("holder_no_tx", {"lifecycle": "睡眠"}, fund),
        Person(
            "dormant",
            {"lifecycle": "活跃", "dormant_account": True},
            fund,
            [T("purchase", days=10)],
            customer={"status": "dormant"},
        ),
        Person(
            "veteran",
            {"lifecycle": "活跃", "long_tenure": True},
            fund,
            [T("purchase", days=10)],
            customer={"onboarded_at": days_ago(3650)},
        ),
        Person(
            "almost_veteran",
            {"lifecycle": "活跃"},
            fund,
            [T("purchase", days=10)],
            customer={"onboarded_at": days_ago(3649)},
        ),
    ]
    keys = ["lifecycle", "new_customer", "long_tenure", "dormant_account", "recently_inactive"]
    await check_tags(session, db, keys, people)


async def test_risk_and_compliance_tags(session: AsyncWriteSession, db: Database) -> None:
    c3 = {"risk_level_label": "C3 平衡型"}
    people = [
        Person(
            "c1_r1",
            {"risk_level_label": "C1 保守型", "conservative_cash_heavy": True},
            [H(1000, "deposit", risk=1)],
            customer={"risk_level": 1},
        ),
        Person(
            "c1_r2",
            {"risk_level_label": "C1 保守型", "suitability_breach": True},
            [H(1000, "wealth_management", risk=2)],
            customer={"risk_level": 1},
        ),
        Person("c3_r3", dict(c3), [H(1000, risk=3)]),
        Person("c3_r4", c3 | {"suitability_breach": True}, [H(1000, risk=4)]),
        Person(
            "pro_r5",
            c3 | {"professional_investor": True},
            [H(1000, risk=5)],
            customer={"investor_class": "professional"},
        ),
        Person(
            "no_level",
            {"suitability_breach": True, "risk_assessment_expired": True},
            [H(1000, risk=2)],
            customer={"risk_level": None, "risk_assessed_at": None},
        ),
        Person(
            "expired",
            c3 | {"risk_assessment_expired": True},
            customer={"risk_assessed_at": date(2025, 6, 29)},
        ),
        Person("fresh", dict(c3), customer={"risk_assessed_at": date(2025, 6, 30)}),
        Person(
            "elderly",
            {
                "risk_level_label": "C4 成长型",
                "elderly_care": True,
                "elderly_high_risk": True,
                "aggressive_investor": True,
            },
            [H(1000, risk=4)],
            customer={"birth_date": born(65), "risk_level": 4},
        ),
        Person(
            "almost_elderly",
            {"risk_level_label": "C5 进取型", "aggressive_investor": True},
            [H(1000, risk=5)],
            customer={"birth_date": born(65, days=1), "risk_level": 5},
        ),
        Person(
            "c2_mixed",
            {"risk_level_label": "C2 稳健型"},
            [H(799, "deposit", risk=1), H(201, "bond", risk=2)],
            customer={"risk_level": 2},
        ),
        Person("complainer", c3 | {"recent_complaint": True}, events=[("complaint", 89)]),
        Person("old_complaint", dict(c3), events=[("complaint", 91)]),
    ]
    keys = [
        "risk_level_label",
        "suitability_breach",
        "risk_assessment_expired",
        "elderly_care",
        "elderly_high_risk",
        "professional_investor",
        "aggressive_investor",
        "conservative_cash_heavy",
        "recent_complaint",
    ]
    await check_tags(session, db, keys, people)


def _buys(n: int, days: float) -> list[T]:
    return [T("purchase", days=days)] * n


async def test_rfm_scores_and_segments(session: AsyncWriteSession, db: Database) -> None:
    # Five customers, one per quintile of each score.
    people = [
        Person(
            "a",
            {"rfm_r": 5, "rfm_f": 1, "rfm_m": 1, "rfm_segment": "一般发展客户"},
            [H(1_000_000)],
            _buys(1, 5),
        ),
        Person(
            "b",
            {"rfm_r": 4, "rfm_f": 5, "rfm_m": 5, "rfm_segment": "重要价值客户"},
            [H(5_000_000)],
            _buys(6, 20),
        ),
        Person(
            "c",
            {"rfm_r": 3, "rfm_f": 4, "rfm_m": 2, "rfm_segment": "一般价值客户"},
            [H(2_000_000)],
            _buys(5, 30),
        ),
        Person(
            "d",
            {"rfm_r": 2, "rfm_f": 3, "rfm_m": 4, "rfm_segment": "重要保持客户"},
            [H(4_000_000)],
            _buys(4, 200),
        ),
        Person(
            "e",
            {"rfm_r": 1, "rfm_f": 2, "rfm_m": 3, "rfm_segment": "重要挽留客户"},
            [H(3_000_000)],
            _buys(3, 300),
        ),
    ]
    await check_tags(session, db, ["rfm_r", "rfm_f", "rfm_m", "rfm_segment"], people)


async def test_churn_and_money_movement_tags(session: AsyncWriteSession, db: Database) -> None:
    login = [("login", 1)]
    people = [
        Person("loyal", {"churn_score": 0}, [H(1_000_000)], [T("purchase", days=10)], login),
        Person("drifting", {"churn_score": 2, "churn_risk": "中"}, [H(1_000_000)]),
        Person(
            "leaving",
            {"churn_score": 4, "churn_risk": "高", "net_outflow_90d": True},
            [H(1_000_000)],
            [T("redemption", 300_000, days=10)],
            [("complaint", 5)],
        ),
        Person(
            "edge_redeemer",
            {"churn_score": 1, "net_outflow_90d": True},
            [H(1_000_000)],
            [T("redemption", 299_999, days=10)],
            login,
        ),
        Person(
            "big_redeemer",
            {"churn_score": 0, "large_redemption_30d": True},
            [H(5_000_000)],
            [T("redemption", 500_000, days=29), T("purchase", 600_000, days=29)],
            login,
        ),
        Person(
            "old_redeemer",
            {"churn_score": 1, "net_outflow_90d": True},
            [H(5_000_000)],
            [T("redemption", 600_000, days=31)],
            login,
        ),
        Person(
            "big_buyer",
            {"churn_score": 0, "large_purchase_30d": True},
            [H(2_000_000)],
            [T("purchase", 1_000_000, days=5)],
            login,
        ),
        Person(
            "small_buyer",
            {"churn_score": 0},
            [H(2_000_000)],
            [T("purchase", 999_999, days=5)],
            login,
        ),
        Person("empty"),
    ]
    keys = [
        "churn_score",
        "churn_risk",
        "net_outflow_90d",
        "large_redemption_30d",
        "large_purchase_30d",
    ]
    await check_tags(session, db, keys, people)


async def test_product_preference_tags(session: AsyncWriteSession, db: Database) -> None:
    fund_buys = [T("purchase", days=100, category="mutual_fund")]
    people = [
        Person("fund_half", {"fund_lover": True}, [H(500), H(500, "deposit")]),
        Person("fund_less", {}, [H(499), H(501, "deposit")]),
        Person(
            "fund_buyer",
            {"fund_lover": True, "deposit_only": True},
            [H(1000, "deposit")],
            fund_buys * 6,
        ),
        Person("fund_buyer5", {"deposit_only": True}, [H(1000, "deposit")], fund_buys * 5),
        Person("insured", {"insurance_holder": True}, [H(1000, "insurance")]),
        Person("wm", {"wealth_management_holder": True}, [H(1000, "wealth_management")]),
        Person("pf", {"private_fund_investor": True}, [H(1000, "private_fund", risk=5)]),
        Person("trust", {"trust_investor": True}, [H(1000, "trust")]),
        Person("bond", {"bond_holder": True}, [H(1000, "bond")]),
        Person("five", {"multi_product": True, "fund_lover": True}, [H(100)] * 5),
        Person("four", {"fund_lover": True}, [H(100)] * 4),
        Person(
            "maturing",
            {"maturing_30d": True, "deposit_only": True},
            [H(1000, "deposit", opened=335, term=365)],
        ),
        Person("later", {"deposit_only": True}, [H(1000, "deposit", opened=334, term=365)]),
        Person("matured", {"deposit_only": True}, [H(1000, "deposit", opened=366, term=365)]),
        Person(
            "high_yield",
            {"high_yield_seeker": True, "wealth_management_holder": True},
            [H(1000, "wealth_management", expected_yield=0.05)],
        ),
        Person(
            "lower_yield",
            {"wealth_management_holder": True},
            [H(1000, "wealth_management", expected_yield=0.0499)],
        ),
        Person("nothing"),
    ]
    keys = [
        "fund_lover",
        "insurance_holder",
        "deposit_only",
        "wealth_management_holder",
        "private_fund_investor",
        "trust_investor",
        "bond_holder",
        "multi_product",
        "maturing_30d",
        "high_yield_seeker",
    ]
    await check_tags(session, db, keys, people)


async def test_engagement_tags(session: AsyncWriteSession, db: Database) -> None:
    def trades(n: int) -> list[T]:
        return [T("purchase", days=29, channel="branch")] * n

    people = [
        Person("trader", {"high_frequency_trader": True}, txs=trades(10)),
        Person("trader9", {}, txs=trades(9)),
        Person(
            "app_user", {"digitally_active": True}, events=[("login", d) for d in (1, 2, 3, 29)]
        ),
        Person("app_user3", {}, events=[("login", d) for d in (1, 2, 31, 40)]),
        Person(
            "web_buyer",
            {"digitally_active": True, "digital_first": True},
            txs=[T("purchase", channel="web", days=89)],
        ),
        Person("old_web", {"digital_first": True}, txs=[T("purchase", channel="web", days=91)]),
        Person(
            "branch_fan",
            {"branch_visitor": True},
            events=[("branch_visit", d) for d in (1, 50, 89)],
        ),
        Person("branch_2", {}, events=[("branch_visit", d) for d in (1, 50, 91)]),
        Person(
            "browser", {"product_browser": True}, events=[("product_view", d) for d in range(1, 6)]
        ),
        Person(
            "browser_buyer",
            {"digitally_active": True, "digital_first": True},
            txs=[T("purchase", days=5)],
            events=[("product_view", d) for d in range(1, 6)],
        ),
        Person("surveyed", {"survey_responder": True}, events=[("survey", 364)]),
        Person("old_survey", {}, events=[("survey", 366)]),
    ]
    keys = [
        "high_frequency_trader",
        "digitally_active",
        "digital_first",
        "branch_visitor",
        "product_browser",
        "survey_responder",
    ]
    await check_tags(session, db, keys, people)


async def test_relationship_tags(session: AsyncWriteSession, db: Database) -> None:
    family = {"family_customer": True, "household_hnw": True, "vip_household_member": True}
    people = [
        Person("champion", {"referral_champion": True, "referrer": True}, referrals=[10, 100, 364]),
        Person("almost", {"referrer": True}, referrals=[10, 100, 366]),
        Person("family_a", dict(family), [H(4_000_000)], household="f"),
        Person("family_b", dict(family), [H(2_000_000)], household="f"),
        Person(
            "family_rich",
            {"family_customer": True, "household_hnw": True},
            [H(6_000_000)],
            household="g",
        ),
        Person(
            "family_poor",
            {"family_customer": True, "household_hnw": True, "vip_household_member": True},
            household="g",
        ),
        Person("solo", {}, [H(7_000_000)]),
        Person(
            "young",
            {"young_professional": True},
            customer={"birth_date": born(25), "annual_income": 300_000},
        ),
        Person(
            "edge35",
            {"young_professional": True},
            customer={"birth_date": born(35), "annual_income": 300_000},
        ),
        Person("older", {}, customer={"birth_date": born(36), "annual_income": 1_000_000}),
        Person("young_poor", {}, customer={"birth_date": born(30), "annual_income": 299_999}),
    ]
    keys = [
        "referral_champion",
        "referrer",
        "family_customer",
        "household_hnw",
        "young_professional",
        "vip_household_member",
    ]
    await check_tags(session, db, keys, people)
