"""Every role × every field of every object type the read API returns, over HTTP.

The expectation is the permission matrix itself: the default policy compiled
the way policies/README.md is generated. For each role and field the test sends a
document that reaches the field on the world's first customer (or the product,
household or advisor every role that may see one sees first) and checks what
comes back against the decision:

- allow: exactly the value an administrator gets (global IDs: an ID of the role's
  own, since they are sealed per role set);
- mask: the administrator's value through the field's masking function;
- deny: ``null`` and a ``FORBIDDEN_FIELD`` error at the field's path, or at the
  path of a denied field on the way to it.

The knowledge graph's types are walked on a snapshot of the world (with the spouse
made high-net-worth through one more product, so every graph answer has content).
The mutation payload types are covered by the write tests in test_leaks.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cdp.config import get_settings
from cdp.db.engine import AsyncWriteSession, Database
from graph.communities import communities, label
from graph.state import build_state, write_state
from policies.compiled import CompiledPolicy
from policies.known_fields import SDL_PATH, known_fields, sdl_fields
from policies.language import Decision
from policies.lines import read_policy
from policies.masking import masker_for
from schema.relay_node import NODE_TYPES
from tests.factories import create_holding, create_product
from tests.schema.permissions.conftest import World, dig

ROLES = ("admin", "advisor", "frontend", "marketer", "partner", "auditor", "source_system")

_CS = "crossSell(first: 1)"
_HEAD: list[str | int] = ["households", "nodes", 0, "members", 0, "customer"]
_TO_HEAD = [("Household", "members"), ("HouseholdMember", "customer"), ("Customer", "crossSell")]

# type -> (document, SEL standing for the selection; path to the object, fields on the way)
ROUTES: dict[str, tuple[str, list[str | int], list[tuple[str, str]]]] = {
    "Customer": ("{ customers(first: 1) { nodes { SEL } } }", ["customers", "nodes", 0], []),
    "CategoryAmount": (
        "{ customers(first: 1) { nodes { aumByCategory { SEL } } } }",
        ["customers", "nodes", 0, "aumByCategory", 0],
        [("Customer", "aumByCategory")],
    ),
    "Holding": (
        "{ customers(first: 1) { nodes { holdings { SEL } } } }",
        ["customers", "nodes", 0, "holdings", 0],
        [("Customer", "holdings")],
    ),
    "Consent": (
        "{ customers(first: 1) { nodes { consents { SEL } } } }",
        ["customers", "nodes", 0, "consents", 0],
        [("Customer", "consents")],
    ),
    "Referral": (
        "{ customers(first: 1) { nodes { referrals { SEL } } } }",
        ["customers", "nodes", 0, "referrals", 0],
        [("Customer", "referrals")],
    ),
    "Transaction": (
        "{ customers(first: 1) { nodes { transactions(first: 1) { nodes { SEL } } } } }",
        ["customers", "nodes", 0, "transactions", "nodes", 0],
        [("Customer", "transactions")],
    ),
    "InteractionEvent": (
        "{ customers(first: 1) { nodes { interactions(first: 1) { nodes { SEL } } } } }",
        ["customers", "nodes", 0, "interactions", "nodes", 0],
        [("Customer", "interactions")],
    ),
    "Tag": (
        "{ customers(first: 1) { nodes { tags { SEL } } } }",
        ["customers", "nodes", 0, "tags", 0],
        [("Customer", "tags")],
    ),
    "TagEvent": (
        "{ customers(first: 1) { nodes { tagTimeline(first: 1) { nodes { SEL } } } } }",
        ["customers", "nodes", 0, "tagTimeline", "nodes", 0],
        [("Customer", "tagTimeline")],
    ),
    "TagDefinition": ('{ tag(key: "world_cautious") { SEL } }', ["tag"], []),
    "TagVersion": (
        '{ tag(key: "world_cautious") { versions { SEL } } }',
        ["tag", "versions", 0],
        [("TagDefinition", "versions")],
    ),
    "Product": ("{ products(first: 1) { nodes { SEL } } }", ["products", "nodes", 0], []),
    "Household": ("{ households(first: 1) { nodes { SEL } } }", ["households", "nodes", 0], []),
    "HouseholdMember": (
        "{ households(first: 1) { nodes { members { SEL } } } }",
        ["households", "nodes", 0, "members", 0],
        [("Household", "members")],
    ),
    "Advisor": ("{ advisors(first: 1) { nodes { SEL } } }", ["advisors", "nodes", 0], []),
    "HouseholdGap": (
        "{ households(first: 1) { nodes { gaps { SEL } } } }",
        ["households", "nodes", 0, "gaps", 0],
        [("Household", "gaps")],
    ),
    # The head's cross-sell, reached as a household member: its household reason is
    # the spouse's holding.
    "CrossSell": (
        f"{{ households(first: 1) {{ nodes {{ members {{ customer {{ {_CS} "
        "{ SEL } } } } } }",
        [*_HEAD, "crossSell"],
        _TO_HEAD,
    ),
    "Recommendation": (
        f"{{ households(first: 1) {{ nodes {{ members {{ customer {{ {_CS} "
        "{ items { SEL } } } } } } }",
        [*_HEAD, "crossSell", "items", 0],
        [*_TO_HEAD, ("CrossSell", "items")],
    ),
    "CrossSellReason": (
        f"{{ households(first: 1) {{ nodes {{ members {{ customer {{ {_CS} "
        "{ items { reasons { SEL } } } } } } } }",
        [*_HEAD, "crossSell", "items", 0, "reasons", 0],
        [*_TO_HEAD, ("CrossSell", "items"), ("Recommendation", "reasons")],
    ),
    "NamedNumber": (
        f"{{ households(first: 1) {{ nodes {{ members {{ customer {{ {_CS} "
        "{ items { components { SEL } } } } } } } }",
        [*_HEAD, "crossSell", "items", 0, "components", 0],
        [*_TO_HEAD, ("CrossSell", "items"), ("Recommendation", "components")],
    ),
    "Community": (
        "{ customers(first: 1) { nodes { community { SEL } } } }",
        ["customers", "nodes", 0, "community"],
        [("Customer", "community")],
    ),
    "ReferralNetwork": (
        '{ referralNetwork(customerNo: "0C0001") { SEL } }',
        ["referralNetwork"],
        [],
    ),
    "ReferralNode": (
        '{ referralNetwork(customerNo: "0C0001") { nodes { SEL } } }',
        ["referralNetwork", "nodes", 0],
        [("ReferralNetwork", "nodes")],
    ),
    "ReferralLink": (
        '{ referralNetwork(customerNo: "0C0001") { edges { SEL } } }',
        ["referralNetwork", "edges", 0],
        [("ReferralNetwork", "edges")],
    ),
    "TopReferrer": ("{ topReferrers(first: 1) { SEL } }", ["topReferrers", 0], []),
    "Prospect": ("{ prospects(first: 1) { SEL } }", ["prospects", 0], []),
    "Policy": ("{ policy { SEL } }", ["policy"], []),
    # The world's own entry: other tests commit entries of their own to the trail.
    "AuditEntry": (
        '{ auditLog(filter: {principal: "0-world"}, first: 1) { nodes { SEL } } }',
        ["auditLog", "nodes", 0],
        [],
    ),
    "ImportRun": ('{ importRuns(source: "0-world", first: 1) { SEL } }', ["importRuns", 0], []),
    "ImportCount": (
        '{ importRuns(source: "0-world", first: 1) { counts { SEL } } }',
        ["importRuns", 0, "counts", 0],
        [("ImportRun", "counts")],
    ),
    "QuarantinedRow": (
        '{ quarantinedRows(source: "0-world", includeResolved: true, first: 1) { SEL } }',
        ["quarantinedRows", 0],
        [],
    ),
    "Segment": ('{ segment(key: "world_segment") { SEL } }', ["segment"], []),
    "SegmentVersion": (
        '{ segment(key: "world_segment") { versions { SEL } } }',
        ["segment", "versions", 0],
        [("Segment", "versions")],
    ),
    "SegmentRun": (
        '{ segment(key: "world_segment") { history { SEL } } }',
        ["segment", "history", 0],
        [("Segment", "history")],
    ),
    "SegmentPreview": (
        """{ previewSegment(rule: "customer_no = '0C0001'") { SEL } }""",
        ["previewSegment"],
        [],
    ),
    "SegmentOverlap": (
        '{ segmentOverlap(a: "world_segment", b: "world_segment") { SEL } }',
        ["segmentOverlap"],
        [],
    ),
}

# How to select a field that is not a leaf.
SUBSELECTIONS = {
    "transactions": "transactions(first: 1) { totalCount }",
    "interactions": "interactions(first: 1) { totalCount }",
    "tagTimeline": "tagTimeline(first: 1) { pageInfo { hasNextPage } }",
    "tagsAsOf": 'tagsAsOf(date: "2999-01-01") { key }',
}
OBJECT_FIELDS = {
    "aumByCategory",
    "holdings",
    "household",
    "referredBy",
    "referrals",
    "advisor",
    "consents",
    "tags",
    "product",
    "members",
    "customer",
    "counts",
    "versions",
    "history",
    "customers",
    "crossSell",
    "community",
    "holdingsByCategory",
    "gaps",
    "items",
    "components",
    "reasons",
    "numbers",
    "excluded",
    "nodes",
    "edges",
}
# Lists of scalars whose name is an object list elsewhere.
SCALAR_LISTS = {("Prospect", "reasons")}


def _selection(type_name: str, field: str) -> str:
    if (type_name, field) in SCALAR_LISTS:
        return field
    if field in SUBSELECTIONS:
        return SUBSELECTIONS[field]
    return f"{field} {{ __typename }}" if field in OBJECT_FIELDS else field


def _fields() -> list[tuple[str, str]]:
    fields = sdl_fields(SDL_PATH.read_text(encoding="utf-8"))
    pairs = [tuple(name.split(".", 1)) for name in sorted(fields)]
    return [(t, f) for t, f in pairs if t in ROUTES]


def _documents() -> list[tuple[str, str, list[str]]]:
    """(type, document, fields) covering every walked field in few requests: all
    fields of a type at once, but ``id`` alone, since a denied non-null field nulls
    its parent and would hide the others."""
    by_type: dict[str, list[str]] = {}
    for type_name, field in _fields():
        by_type.setdefault(type_name, []).append(field)
    out = []
    for type_name, fields in by_type.items():
        document = ROUTES[type_name][0]
        for group in ([f for f in fields if f != "id"], [f for f in fields if f == "id"]):
            if group:
                selection = " ".join(_selection(type_name, f) for f in group)
                out.append((type_name, document.replace("SEL", selection), group))
    return out


POLICY = CompiledPolicy.from_lines(read_policy(), known_fields())


@pytest.fixture
async def role_settings(
    world: World, session: AsyncWriteSession, db: Database, tmp_path: Path
) -> dict[str, Any]:
    """A graph snapshot of the world: the spouse also holds a deposit worth 6M, so the
    head gets a household reason, the spouse is high-net-worth and the head a prospect."""
    deposit = await create_product(
        session, code="0P0900", category="deposit", risk_rating=1, min_investment=0
    )
    await create_holding(session, world.spouse, deposit, market_value=Decimal("6000000.00"))
    settings = get_settings().model_copy(update={"data_dir": tmp_path})
    state = await build_state(db, settings)
    label(state.core, communities(state.core))
    write_state(state, settings)
    return {"data_dir": tmp_path, "graph_refresh_seconds": 0}


def test_every_governed_type_but_payloads_is_walked() -> None:
    governed = {name.split(".")[0] for name in sdl_fields(SDL_PATH.read_text(encoding="utf-8"))}
    payloads = {
        "BatchResult",
        "BatchCounts",
        "BatchItemResult",
        "Rejection",
        "PolicyUpdate",
        "RuleValidation",
        "RuleProblem",
    }
    # A mutation's answer: per-role export rights are tested in tests/schema/test_segments.py.
    payloads.add("SegmentExport")
    assert governed - payloads == set(ROUTES)


def _errors_over(errors: Sequence[dict[str, Any]], path: list[str | int]) -> list[str]:
    """The codes of errors at ``path`` or at a field on the way to it."""
    return [
        error.get("extensions", {}).get("code")
        for error in errors
        if path[: len(error.get("path") or [])] == (error.get("path") or [None])
    ]


@pytest.fixture
async def admin_values(as_role: Any, world: World) -> dict[tuple[str, str], Any]:
    """What an administrator sees of every walked field."""
    api = await as_role("admin")
    values = {}
    for type_name, document, fields in _documents():
        body = await api.raw(document)
        assert "errors" not in body, (type_name, body["errors"])
        for field in fields:
            value = dig(body["data"], [*ROUTES[type_name][1], field])
            assert value is not None or field in NULL_FOR_ADMIN, (type_name, field)
            values[type_name, field] = value
    return values


# Fields the world leaves empty for everyone (so null proves nothing about masking).
NULL_FOR_ADMIN = {"referredBy", "expectedYield", "termDays", "withheld", "suggestedProductCode"}
DENIALS = {"FORBIDDEN_FIELD", "FORBIDDEN"}


@pytest.mark.parametrize("role", ROLES)
async def test_role_sees_each_field_as_the_matrix_says(
    role: str, as_role: Any, admin_values: dict[tuple[str, str], Any]
) -> None:
    api = await as_role(role)
    plan = POLICY.plan([role])
    mismatches = []
    for type_name, document, fields in _documents():
        _, path, route = ROUTES[type_name]
        body = await api.raw(document)
        data, errors = body.get("data"), body.get("errors", [])
        blocked = any(plan.decision(t, f, "read") is Decision.DENY for t, f in route)
        for field in fields:
            field_path = [*path, field]
            got = dig(data, field_path)
            codes = _errors_over(errors, field_path)
            decision = plan.decision(type_name, field, "read")
            if not plan.row_scopes:
                # A role without a row scope sees no rows at all, so nothing to reveal.
                ok = got is None and dig(data, path) is None and not set(codes) - DENIALS
                expected = "no rows"
            elif (
                decision is Decision.DENY or blocked or (type_name == "Policy" and role != "admin")
            ):
                ok = got is None and bool(set(codes) & DENIALS)
                expected = "deny"
            elif decision is Decision.MASK:
                admin = admin_values[type_name, field]
                ok = not codes and got == masker_for(type_name, field)(admin)
                expected = f"mask {admin!r}"
            elif field == "id" and type_name in NODE_TYPES:
                # Global IDs are sealed per role set: the same row, another ID.
                admin = admin_values[type_name, field]
                ok = not codes and isinstance(got, str) and (got == admin) is (role == "admin")
                expected = "allow, an ID of its own"
            else:
                ok = not codes and got == admin_values[type_name, field]
                expected = "allow"
            if not ok:
                mismatches.append((f"{type_name}.{field}", expected, got, codes))
    assert not mismatches, mismatches
