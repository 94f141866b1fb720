"""How the same fact gets written differently by different source systems.

Each function returns a variant a real CRM or branch clerk produces: typed
homophones and stray spaces in names, full-width digits, phone numbers with
country codes and dashes, dates in Chinese or compact formats, incomes in 万,
and now and then a wrong digit. Identity resolution is scored against these.
"""

from __future__ import annotations

import random
from datetime import date

# Characters commonly swapped for a same-sounding one when typed from a pinyin IME.
HOMOPHONES = {
    "伟": "玮", "丽": "莉", "静": "婧", "军": "君", "明": "铭", "杰": "洁", "华": "桦",
    "红": "虹", "娟": "鹃", "燕": "艳", "涛": "滔", "斌": "彬", "峰": "锋", "志": "智",
    "文": "雯", "晶": "静", "林": "琳", "敏": "民", "芳": "方", "英": "瑛", "平": "萍",
}  # fmt: skip
_FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789+-()X"}


def full_width(text: str) -> str:
    return "".join(_FULL_WIDTH.get(c, c) for c in text)


def wrong_digit(rng: random.Random, text: str) -> str:
    """One digit (never the first) replaced by another: a typing slip."""
    positions = [i for i, c in enumerate(text) if c.isdigit() and i > 0]
    if not positions:
        return text
    i = rng.choice(positions)
    digit = str((int(text[i]) + rng.randint(1, 9)) % 10)
    return text[:i] + digit + text[i + 1 :]


def name(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.10:
        swaps = [i for i, c in enumerate(value) if c in HOMOPHONES and i > 0]
        if swaps:
            i = rng.choice(swaps)
            return value[:i] + HOMOPHONES[value[i]] + value[i + 1 :]
    if roll < 0.16:
        return f"{value[0]} {value[1:]}"
    if roll < 0.22:
        return f" {value}  "
    if roll < 0.25:
        return f"{value[0]}\u3000{value[1:]}"
    return value


def phone(rng: random.Random, value: str) -> str:
    a, b, c = value[:3], value[3:7], value[7:]
    return rng.choice((
        value, value, f"+86 {a}-{b}-{c}", f"(0086){value}", f"{a} {b} {c}", f"+86{value}",
        f"{a}-{b}-{c}", full_width(value), f"86-{value}",
    ))  # fmt: skip


def birth_date(rng: random.Random, value: date) -> str:
    return rng.choice((
        value.isoformat(), f"{value:%Y/%m/%d}", f"{value:%Y%m%d}",
        f"{value.year}年{value.month}月{value.day}日", f"{value.year}-{value.month}-{value.day}",
    ))  # fmt: skip


def id_number(rng: random.Random, value: str) -> str:
    roll = rng.random()
    if roll < 0.01:
        return wrong_digit(rng, value)
    if roll < 0.05:
        return full_width(value)
    if roll < 0.10:
        return f"{value[:6]} {value[6:14]} {value[14:]}"
    return value.lower() if rng.random() < 0.5 else value


def gender(rng: random.Random, value: str) -> str:
    return {"M": "男", "F": "女"}[value] if rng.random() < 0.5 else value


def risk_level(rng: random.Random, value: int | None) -> str:
    if value is None:
        return ""
    return f"C{value}" if rng.random() < 0.5 else str(value)


def income(rng: random.Random, value: int) -> str:
    wan = value / 10_000
    return rng.choice((str(value), f"{wan:g}万", f"{value}元", f"{round(wan)}万"))


def province(rng: random.Random, value: str) -> str:
    """Sometimes without the 省/市 suffix, as people write it."""
    if rng.random() < 0.15:
        for suffix in ("省", "市"):
            if value.endswith(suffix):
                return value.removesuffix(suffix)
    return value


def maybe_missing(rng: random.Random, value: str, share: float) -> str:
    return "" if rng.random() < share else value
