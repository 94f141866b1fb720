"""The committed permission matrix is the one the policy generates."""

from __future__ import annotations

from pathlib import Path

from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import read_policy
from policies.masking import MASK_NOTES
from policies.matrix import render
from tests.policies.policy_text import lines

README = Path(__file__).resolve().parents[2] / "policies" / "README.md"


def test_committed_readme_matches_the_policy() -> None:
    generated = render(read_policy(), known_fields())
    assert README.read_text(encoding="utf-8") == generated, (
        "policies/README.md is stale: run `make policy-matrix`"
    )


def test_cells_show_read_filter_and_write() -> None:
    text = render(
        lines("""
            p, ops, Customer.*, read, allow
            p, ops, Customer.name, filter, allow
            p, ops, Customer.name, write, allow
            p, ops, Customer.phone, read, mask
            p2, ops, none
        """),
        frozenset({"Customer.name", "Customer.phone", "Customer.city"}),
    )
    assert "| `name` | allow F W |" in text
    assert "| `phone` | mask |" in text
    assert "| `city` | allow |" in text
    assert "| `ops` | — | none |" in text


def test_every_field_the_default_policy_masks_is_documented(
    default_policy: CompiledPolicy,
) -> None:
    masked = {
        f"{type_name}.{field}"
        for role in {line.values[0] for line in read_policy() if line.values}
        for type_name, fields in default_policy.plan([role]).maskers.items()
        for field in fields
    }
    assert masked >= {"Customer.idNumber", "Customer.birthDate", "Customer.phone"}
    assert masked <= set(MASK_NOTES), sorted(masked - set(MASK_NOTES))
    text = README.read_text(encoding="utf-8")
    for name in masked:
        shown, why = MASK_NOTES[name]
        assert f"| `{name}` |" in text
        assert f"| {shown} | {why} |" in text


def test_the_masks_section_lists_masking_roles() -> None:
    text = render(
        lines("""
            p, ops, Customer.*, read, allow
            p, ops, Customer.phone, read, mask
            p, ops, Customer.city, read, mask
            p2, ops, none
        """),
        frozenset({"Customer.name", "Customer.phone", "Customer.city"}),
    )
    masks = text[text.index("## Masks") :]
    assert "| `Customer.phone` | `ops` | `138****1234`" in masks
    assert "| `Customer.city` | `ops` | `***` for text, else withheld |" in masks
    assert "`Customer.name`" not in masks
