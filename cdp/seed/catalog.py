"""The product shelf and the advisor roster.

Products follow how Chinese wealth managers rate and sell them: deposits are R1,
bank wealth-management products mostly R2, funds span R1 (money market) to R5
(sector equity), trusts and private funds are R3–R5 with a 100万 floor (the
qualified-investor threshold). Each product has a hidden ``theme`` that customers
also have, which is what gives cross-sell models something real to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cdp.seed.names import full_name
from cdp.seed.regions import BRANCHES, CITIES

THEMES = ("稳健", "成长", "消费", "医疗", "科技", "全球")

# category: (count, code prefix, ratings with weights, min investments, term days or None,
#            yield range in percent, name templates)
_CATEGORIES: dict[str, tuple[int, str, dict[int, int], tuple[int, ...], tuple[int, ...] | None,
                             tuple[float, float], tuple[str, ...]]] = {
    "deposit": (20, "DP", {1: 1}, (50, 1_000, 200_000), (90, 180, 365, 730, 1095, 1825),
                (1.2, 2.6), ("{t}定期存款{n}期", "{t}大额存单{n}期", "{t}智能存款{n}号")),
    "wealth_management": (50, "WM", {1: 2, 2: 7, 3: 2}, (10_000, 10_000, 50_000),
                          (30, 91, 182, 365, 730), (2.0, 4.6),
                          ("{t}安盈理财{n}号", "{t}添利{n}期", "{t}固收增强{n}号")),
    "mutual_fund": (60, "MF", {1: 1, 2: 2, 3: 3, 4: 3, 5: 1}, (10, 100, 1_000), None,
                    (1.5, 9.0), ("{t}精选混合{n}", "{t}指数增强{n}", "{t}优选债券{n}")),
    "insurance": (25, "IN", {1: 3, 2: 2, 3: 1}, (5_000, 20_000, 100_000),
                  (3650, 7300, 36500), (2.5, 3.5), ("{t}终身寿险{n}款", "{t}年金保险{n}款")),
    "trust": (15, "TR", {3: 2, 4: 3, 5: 1}, (1_000_000, 1_000_000, 3_000_000),
              (365, 730, 1095), (4.5, 7.5), ("{t}集合信托{n}期", "{t}家族信托{n}号")),
    "bond": (15, "BD", {1: 2, 2: 3, 3: 1}, (1_000, 10_000, 100_000), (365, 1095, 1825),
             (2.2, 4.2), ("{t}国债{n}期", "{t}企业债{n}号")),
    "private_fund": (15, "PF", {4: 2, 5: 3}, (1_000_000, 1_000_000, 3_000_000), None,
                     (6.0, 15.0), ("{t}私募证券{n}号", "{t}量化对冲{n}号")),
}  # fmt: skip


@dataclass(frozen=True)
class Product:
    id: int
    code: str
    name: str
    category: str
    risk_rating: int
    min_investment: int
    term_days: int | None
    expected_yield: Decimal
    status: str
    launched_at: date
    theme: int
    popularity: float


@dataclass(frozen=True)
class Advisor:
    id: int
    employee_no: str
    name: str
    branch: str


def make_products(rng: random.Random, as_of: date) -> list[Product]:
    products: list[Product] = []
    for category, (count, prefix, ratings, mins, terms, yields, names) in _CATEGORIES.items():
        for n in range(1, count + 1):
            theme = 0 if category in ("deposit", "bond", "insurance") else rng.randrange(6)
            rating = rng.choices(list(ratings), weights=list(ratings.values()))[0]
            status = rng.choices(("on_sale", "suspended", "closed"), weights=(85, 5, 10))[0]
            products.append(
                Product(
                    id=len(products) + 1,
                    code=f"{prefix}{n:04d}",
                    name=rng.choice(names).format(t=THEMES[theme], n=n),
                    category=category,
                    risk_rating=rating,
                    min_investment=rng.choice(mins),
                    term_days=rng.choice(terms) if terms else None,
                    expected_yield=Decimal(f"{rng.uniform(*yields) / 100:.4f}"),
                    status=status,
                    launched_at=as_of - timedelta(days=rng.randint(30, 3650)),
                    theme=theme,
                    popularity=rng.paretovariate(1.3),
                )
            )
    return products


def advisor_count(customers: int) -> int:
    """About one advisor per 400 customers, at least one per branch."""
    return max(len(BRANCHES), round(customers / 400))


def make_advisors(rng: random.Random, customers: int) -> list[Advisor]:
    """Advisors spread over branches in proportion to the customers each branch serves."""
    weight = dict.fromkeys(BRANCHES, 0)
    for city in CITIES:
        weight[city.branch] += city.weight
    total, count = sum(weight.values()), advisor_count(customers)
    advisors: list[Advisor] = []
    for branch in BRANCHES:
        for _ in range(max(1, round(count * weight[branch] / total))):
            gender = "M" if rng.random() < 0.5 else "F"
            n = len(advisors) + 1
            advisors.append(Advisor(n, f"A{n:06d}", full_name(rng, gender), branch))
    return advisors
