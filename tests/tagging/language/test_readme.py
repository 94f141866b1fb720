"""tagging/README.md against the code: every example checks, every name is listed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tagging.language import ValueType, check_rule
from tagging.language.catalogue import AGGREGATES, COMPUTED, CUSTOMER_FIELDS, FUNCTIONS, SOURCES

README = Path(__file__).parents[3] / "tagging" / "README.md"
_BLOCK = re.compile(r"```rule\n(.*?)```", re.DOTALL)
KNOWN_TAGS = {
    "high_net_worth": ValueType.boolean(),
    "elderly": ValueType.boolean(),
    "asset_tier": ValueType.enum("大众", "潜力", "高净值"),
}


def _examples() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def _value_type(header: str) -> ValueType:
    kind, _, values = header.removeprefix("# ").partition(":")
    if kind == "enum":
        return ValueType.enum(*(v.strip() for v in values.split(",")))
    return ValueType.boolean() if kind == "boolean" else ValueType.number()


def test_readme_has_many_examples() -> None:
    assert len(_examples()) >= 15


@pytest.mark.parametrize("example", _examples())
def test_every_readme_example_type_checks(example: str) -> None:
    header = example.splitlines()[0]
    rule = check_rule(example, value_type=_value_type(header), known_tags=KNOWN_TAGS)
    assert rule.permission_fields


def test_every_catalogue_name_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    names = [*CUSTOMER_FIELDS, *COMPUTED, *SOURCES, *AGGREGATES, *FUNCTIONS]
    names += [f for s in SOURCES.values() for f in s.fields]
    missing = [n for n in names if f"`{n}" not in text]
    assert missing == []
