"""Generated rule tags for scale benchmarks: many varied rules over the catalogue.

``generate(n, seed)`` returns ``n`` tag specs a marketing team might plausibly
write: AUM and income thresholds, ages, counts and sums of transactions and
interactions over time windows, shares of holdings by product category,
suitability checks, enums via ``case`` and number scores; about a fifth read
other generated tags (``has_tag``, ``tag``) in up to three layers above the
plain ones. Thresholds are drawn so that coverage varies from a few customers to
about half of them, as real tag sets do. The same ``(n, seed)`` gives the same
rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from cdp.db.enums import PRODUCT_CATEGORIES
from tagging.definitions import TagSpec

KINDS = ("purchase", "redemption", "dividend", "deposit", "withdrawal", "transfer_in", "fee")
CHANNELS = ("branch", "app", "web", "phone", "advisor")
EVENTS = ("login", "product_view", "call", "complaint", "survey", "email_open", "branch_visit")
CATEGORIES = PRODUCT_CATEGORIES
WINDOWS = (7, 30, 60, 90, 180, 365)
CITIES = ("上海市", "北京市", "深圳市", "广州市", "杭州市", "成都市", "南京市", "武汉市")
AUM_WAN = (5, 10, 20, 30, 50, 100, 200, 300, 500, 600, 800, 1000, 2000)


def _wan(r: random.Random) -> str:
    return f"{r.choice(AUM_WAN)}万"


def _aum(r: random.Random) -> str:
    return f"aum >= {_wan(r)}"


def _age(r: random.Random) -> str:
    low = r.choice((18, 25, 30, 35, 40, 45, 50, 55, 60, 65))
    return f"age between {low} and {low + r.choice((5, 10, 15))}"


def _income(r: random.Random) -> str:
    return f"annual_income >= {r.choice((10, 20, 30, 50, 80, 100, 200))}万"


def _tx_count(r: random.Random) -> str:
    kind = r.choice(KINDS)
    return (
        f"count(transactions where kind = '{kind}' within {r.choice(WINDOWS)}d)"
        f" >= {r.choice((1, 2, 3, 5, 8))}"
    )


def _tx_sum(r: random.Random) -> str:
    kinds = ", ".join(f"'{k}'" for k in sorted(r.sample(KINDS[:6], r.choice((1, 2)))))
    return (
        f"sum(transactions.amount where kind in ({kinds}) within {r.choice(WINDOWS)}d)"
        f" >= {r.choice((1, 5, 10, 20, 50, 100))}万"
    )


def _channel(r: random.Random) -> str:
    return (
        f"exists(transactions where channel = '{r.choice(CHANNELS)}' within {r.choice(WINDOWS)}d)"
    )


def _events(r: random.Random) -> str:
    return (
        f"count(interactions where kind = '{r.choice(EVENTS)}' within {r.choice(WINDOWS)}d)"
        f" >= {r.choice((1, 2, 3, 5))}"
    )


def _share(r: random.Random) -> str:
    return (
        f"sum(holdings.market_value where product.category = '{r.choice(CATEGORIES)}')"
        f" / aum >= {r.choice((0.1, 0.2, 0.3, 0.5, 0.8))}"
    )


def _holds(r: random.Random) -> str:
    return f"exists(holdings where product.category = '{r.choice(CATEGORIES)}')"


def _risk(r: random.Random) -> str:
    return r.choice(
        (
            f"risk_level >= {r.randint(2, 5)}",
            f"risk_level <= {r.randint(1, 3)}",
            f"exists(holdings where product.risk_rating >= {r.randint(3, 5)})",
            "exists(holdings where product.risk_rating > coalesce(risk_level, 1))",
        )
    )


def _recency(r: random.Random) -> str:
    return r.choice(
        (
            f"days_since_last_transaction <= {r.choice(WINDOWS)}",
            f"days_since_last_transaction > {r.choice(WINDOWS)}",
            f"days_since(onboarded_at) <= {r.choice((90, 180, 365, 730))}",
            f"days_since(onboarded_at) >= {r.choice((1825, 3650))}",
        )
    )


def _place(r: random.Random) -> str:
    cities = ", ".join(f"'{c}'" for c in sorted(r.sample(CITIES, r.randint(1, 3))))
    return f"city in ({cities})"


ATOMS: tuple[Callable[[random.Random], str], ...] = (
    _aum, _aum, _age, _income, _tx_count, _tx_count, _tx_sum, _channel, _events, _events,
    _share, _holds, _risk, _recency, _place,
)  # fmt: skip


def _condition(r: random.Random) -> str:
    atoms = [r.choice(ATOMS)(r) for _ in range(r.choice((1, 2, 2, 3)))]
    joiner = r.choice((" and ", " and ", " and ", " or "))
    return joiner.join(f"({a})" if " or " in a else a for a in atoms)


def _boolean(key: str, r: random.Random) -> TagSpec:
    return _spec(key, "boolean", _condition(r), ())


def _enum(key: str, r: random.Random) -> TagSpec:
    labels = ("高", "中", "低")
    whens = " ".join(f"when {_condition(r)} then '{label}'" for label in labels)
    # no else: customers matching no branch do not get the tag
    return _spec(key, "enum", f"case {whens} end", labels)


def _number(key: str, r: random.Random) -> TagSpec:
    terms = [
        f"(case when {_condition(r)} then {r.randint(1, 30)} else 0 end)"
        for _ in range(r.randint(2, 4))
    ]
    # a score for one part of the book (the rest do not get the tag at all)
    return _spec(key, "number", f"case when {_aum(r)} then {' + '.join(terms)} end", ())


def _derived(key: str, r: random.Random, below: list[TagSpec]) -> TagSpec:
    """A tag over tags of lower layers (and an attribute), as segments of segments are."""
    flags = [s for s in below if s.value_type == "boolean"]
    enums = [s for s in below if s.value_type == "enum"]
    parts = [f"has_tag('{s.key}')" for s in r.sample(flags, min(len(flags), r.randint(1, 2)))]
    if enums and r.random() < 0.4:
        parts.append(f"tag('{r.choice(enums).key}') = '高'")
    parts.append(r.choice(ATOMS)(r))
    joiner = r.choice((" and ", " or "))
    return _spec(key, "boolean", joiner.join(f"({p})" for p in parts), ())


def _spec(key: str, value_type: str, rule: str, values: tuple[str, ...]) -> TagSpec:
    return TagSpec(
        key=key,
        name_zh=f"生成标签{key[4:]}",
        name_en=f"Generated {key}",
        category="generated",
        value_type=value_type,
        rule=rule,
        enum_values=values,
        description="Generated for the scale benchmark.",
    )


def generate(n: int, seed: int = 7) -> list[TagSpec]:
    """``n`` rule tags: ~80% plain (70% boolean, 20% enum, 10% number), ~20% derived."""
    r = random.Random(seed)
    plain_n = n - n // 5
    layers: list[list[TagSpec]] = [[]]
    for i in range(plain_n):
        key = f"gen_{i:04d}"
        pick = r.random()
        make = _boolean if pick < 0.7 else _enum if pick < 0.9 else _number
        layers[0].append(make(key, r))
    for i in range(plain_n, n):
        # derived tags spread over layers 1-3, each reading tags of the layer below
        layer = 1 + (i - plain_n) % 3
        while len(layers) <= layer:
            layers.append([])
        below = layers[layer - 1] or layers[0]
        layers[layer].append(_derived(f"gen_{i:04d}", r, below))
    return [spec for layer in layers for spec in layer]
