"""Every count and aggregate of the schema, per role, against the rows themselves.

An aggregate must run inside the caller's row scope, or be denied: for every role
each one either is denied (``null`` with a denial error) or equals what the same
role counts or sums by listing the rows directly. The aggregates are found by
introspection (numeric fields named like counts, totals or sums), so a new one
that this module does not check fails ``test_every_aggregate_is_checked``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLObjectType, build_schema, get_named_type

from cdp.config import get_settings
from cdp.db.engine import AsyncWriteSession, Database
from graph.communities import communities, label
from graph.state import build_state, write_state
from policies.known_fields import SDL_PATH
from tests.factories import create_consent, create_holding, create_household, create_product
from tests.schema.conftest import Api
from tests.schema.permissions.conftest import World
from tests.schema.permissions.test_role_matrix import ROLES

AGGREGATE_NAME = re.compile(r"count|total|sum|aum|amount|average|avg|min|max", re.IGNORECASE)
NUMERIC = {"Int", "Float", "Decimal"}

# Numeric fields whose names match but that hold one row's own value.
NOT_AGGREGATES = {
    "Transaction.amount": "the amount of one transaction",
    "Product.minInvestment": "a product's own term",
    "BatchCounts.*": "what one ingestion request did, returned to its caller only",
    "TagDefinitionConnection.totalCount": "a count of tag definitions, about no customer",
}

DENIALS = {"FORBIDDEN_FIELD", "FORBIDDEN"}
LIST = 40  # more than the world holds, so one page lists everything


class Denied(Exception):
    """The role may not read the aggregate (or the path to it)."""


class Unlisted(Exception):
    """The role may read the aggregate but not list the rows it is made of."""


async def _query(api: Api, document: str) -> dict[str, Any]:
    body = await api.raw(document)
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    assert not codes - DENIALS, body["errors"]
    return body


def _denied_at(body: dict[str, Any], path: list[Any]) -> bool:
    return (
        any(path[: len(e.get("path") or [])] == (e.get("path") or [None]) for e in body["errors"])
        if "errors" in body
        else False
    )


Pairs = list[tuple[str, Any, Any]]  # (what, the aggregate, the same from the rows)
Check = Callable[[Api], Awaitable[Pairs]]


def _connection_total(root: str, args: str = "") -> Check:
    async def check(api: Api) -> Pairs:
        body = await _query(
            api, f"{{ {root}(first: {LIST}{args}) {{ totalCount nodes {{ __typename }} }} }}"
        )
        connection = (body.get("data") or {}).get(root)
        if connection is None:
            raise Denied
        return [(root, connection["totalCount"], len(connection["nodes"]))]

    return check


def _activity_total(field: str) -> Check:
    async def check(api: Api) -> Pairs:
        body = await _query(
            api,
            f"{{ customers(first: {LIST}) {{ nodes {{ customerNo "
            f"{field}(first: 20) {{ totalCount nodes {{ __typename }} }} }} }} }}",
        )
        nodes = body["data"]["customers"]["nodes"]
        pairs = []
        for i, node in enumerate(nodes):
            page = node[field]
            if page is None:
                assert _denied_at(body, ["customers", "nodes", i, field])
                raise Denied
            pairs.append((f"{node['customerNo']}.{field}", page["totalCount"], len(page["nodes"])))
        return pairs

    return check


async def _customer_rows(api: Api, selection: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    body = await _query(api, f"{{ customers(first: {LIST}) {{ nodes {{ {selection} }} }} }}")
    return body, body["data"]["customers"]["nodes"]


async def _holder_count(api: Api) -> Pairs:
    body = await _query(api, f"{{ products(first: {LIST}) {{ nodes {{ code holderCount }} }} }}")
    products = (body.get("data") or {}).get("products")
    if products is None or any(p["holderCount"] is None for p in products["nodes"]):
        raise Denied
    _, customers = await _customer_rows(api, "holdings { product { code } }")
    if any(c["holdings"] is None for c in customers):
        raise Unlisted
    holders: Counter[str] = Counter()
    for c in customers:
        holders.update({h["product"]["code"] for h in c["holdings"]})
    return [(p["code"], p["holderCount"], holders[p["code"]]) for p in products["nodes"]]


async def _advisor_customer_count(api: Api) -> Pairs:
    body = await _query(
        api, f"{{ advisors(first: {LIST}) {{ nodes {{ employeeNo customerCount }} }} }}"
    )
    advisors = (body.get("data") or {}).get("advisors")
    if advisors is None or any(a["customerCount"] is None for a in advisors["nodes"]):
        raise Denied
    _, customers = await _customer_rows(api, "advisor { employeeNo }")
    if any(c["advisor"] is None for c in customers):
        raise Unlisted
    served = Counter(c["advisor"]["employeeNo"] for c in customers)
    return [
        (a["employeeNo"], a["customerCount"], served[a["employeeNo"]]) for a in advisors["nodes"]
    ]


async def _customer_aum(api: Api) -> Pairs:
    _, customers = await _customer_rows(api, "customerNo aum holdings { marketValue }")
    if any(c["aum"] is None for c in customers):
        raise Denied
    if any(c["holdings"] is None for c in customers):
        raise Unlisted
    return [
        (
            c["customerNo"],
            Decimal(c["aum"]),
            sum((Decimal(h["marketValue"]) for h in c["holdings"]), Decimal(0)),
        )
        for c in customers
    ]


async def _by_category(api: Api) -> Pairs:
    _, customers = await _customer_rows(
        api,
        "customerNo aumByCategory { category amount } "
        "holdings { marketValue product { category } }",
    )
    if any(c["aumByCategory"] is None for c in customers):
        raise Denied
    if any(c["holdings"] is None for c in customers):
        raise Unlisted
    pairs = []
    for c in customers:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for h in c["holdings"]:
            sums[h["product"]["category"]] += Decimal(h["marketValue"])
        got = {a["category"]: Decimal(a["amount"]) for a in c["aumByCategory"]}
        pairs.append((c["customerNo"], got, dict(sums)))
    return pairs


async def _household_aum(api: Api) -> Pairs:
    body = await _query(
        api,
        f"{{ households(first: {LIST}) {{ nodes {{ householdNo aum "
        "members { customer { aum holdings { marketValue } } } } } }",
    )
    households = (body.get("data") or {}).get("households")
    if households is None or any(h["aum"] is None for h in households["nodes"]):
        raise Denied
    pairs = []
    for h in households["nodes"]:
        if h["members"] is None or any(
            m["customer"] is None or m["customer"]["holdings"] is None for m in h["members"]
        ):
            raise Unlisted
        listed = sum(
            (Decimal(x["marketValue"]) for m in h["members"] for x in m["customer"]["holdings"]),
            Decimal(0),
        )
        pairs.append((h["householdNo"], Decimal(h["aum"]), listed))
    return pairs


async def _audit_total(api: Api) -> Pairs:
    # The world's own entry: other tests commit entries of their own to the trail.
    body = await _query(
        api,
        f'{{ auditLog(filter: {{principal: "0-world"}}, first: {LIST}) '
        "{ totalCount nodes { __typename } } }",
    )
    log = (body.get("data") or {}).get("auditLog")
    if log is None:
        raise Denied
    return [("auditLog", log["totalCount"], len(log["nodes"]))]


async def _preview_count(api: Api) -> Pairs:
    body = await _query(api, '{ previewSegment(rule: "aum >= 0") { count } }')
    preview = (body.get("data") or {}).get("previewSegment")
    if preview is None or preview["count"] is None:
        raise Denied
    _, customers = await _customer_rows(api, "consents { purpose granted }")
    if any(c["consents"] is None for c in customers):
        raise Unlisted
    profiled = [c for c in customers if {"purpose": "profiling", "granted": True} in c["consents"]]
    return [("previewSegment", preview["count"], len(profiled))]


def _yuan(value: Any) -> Decimal:
    return Decimal(value) if value is not None else Decimal(0)


async def _community_aum(api: Api) -> Pairs:
    _, customers = await _customer_rows(api, "customerNo aum community { id size aum }")
    if all(c["community"] is None for c in customers):  # the world's are linked
        raise Denied
    if any(c["aum"] is None for c in customers):
        raise Unlisted
    members: dict[str, list[Decimal]] = defaultdict(list)
    shown: dict[str, dict[str, Any]] = {}
    for c in customers:
        if c["community"] is not None:
            members[c["community"]["id"]].append(_yuan(c["aum"]))
            shown[c["community"]["id"]] = c["community"]
    pairs: Pairs = []
    for cid, community in shown.items():
        pairs.append((f"{cid}.size", community["size"], len(members[cid])))
        if community["aum"] is not None:  # suppressed unless every member is listed
            pairs.append((cid, Decimal(community["aum"]), sum(members[cid], Decimal(0))))
    return pairs


async def _network_total(api: Api) -> Pairs:
    body = await _query(
        api,
        '{ referralNetwork(customerNo: "0C0001", depth: 3) '
        "{ totalAum nodes { depth customer { aum } } } }",
    )
    network = (body.get("data") or {}).get("referralNetwork")
    if network is None or network["totalAum"] is None:
        raise Denied
    if any(n["customer"] is None or n["customer"]["aum"] is None for n in network["nodes"]):
        raise Unlisted
    listed = sum((_yuan(n["customer"]["aum"]) for n in network["nodes"] if n["depth"]), Decimal(0))
    return [("0C0001", Decimal(network["totalAum"]), listed)]


_CASCADE = "customerNo aum referrals { customer { customerNo } }"


async def _cascade_aum(api: Api) -> Pairs:
    body = await _query(api, "{ topReferrers(first: 50) { customer { customerNo } cascadeAum } }")
    ranked = (body.get("data") or {}).get("topReferrers")
    if ranked is None:
        raise Denied
    _, customers = await _customer_rows(api, _CASCADE)
    by_no = {c["customerNo"]: c for c in customers}
    pairs: Pairs = []
    for r in ranked:
        if r["cascadeAum"] is None:
            continue
        if any(c["referrals"] is None for c in customers):
            raise Unlisted
        # Everyone brought in, directly or not, walked over the listed referrals.
        seen, todo = set(), [r["customer"]["customerNo"]]
        while todo:
            for referral in by_no[todo.pop()]["referrals"]:
                no = referral["customer"]["customerNo"]
                if no not in seen:
                    seen.add(no)
                    todo.append(no)
        listed = sum((_yuan(by_no[no]["aum"]) for no in seen), Decimal(0))
        pairs.append((r["customer"]["customerNo"], Decimal(r["cascadeAum"]), listed))
    return pairs


_LINKED = (
    "customerNo household { members { customer { customerNo aum } } } "
    "referredBy { customer { aum } } referrals { customer { aum } }"
)


async def _connected_aum(api: Api) -> Pairs:
    body = await _query(api, "{ prospects(first: 50) { customer { customerNo } connectedAum } }")
    found = (body.get("data") or {}).get("prospects")
    if found is None:
        raise Denied
    _, customers = await _customer_rows(api, _LINKED)
    by_no = {c["customerNo"]: c for c in customers}
    pairs: Pairs = []
    for p in found:
        me = by_no[p["customer"]["customerNo"]]
        linked = [m["customer"] for m in (me["household"] or {}).get("members") or []]
        linked = [c for c in linked if c["customerNo"] != me["customerNo"]]
        linked += [r["customer"] for r in me["referrals"] or []]
        if me["referredBy"]:
            linked.append(me["referredBy"]["customer"])
        listed = sum((a for c in linked if (a := _yuan(c["aum"])) >= HNW), Decimal(0))
        pairs.append((p["customer"]["customerNo"], Decimal(p["connectedAum"]), listed))
    return pairs


HNW = Decimal(6_000_000)

CHECKS: dict[str, Check] = {
    "CustomerConnection.totalCount": _connection_total("customers"),
    "ProductConnection.totalCount": _connection_total("products"),
    "HouseholdConnection.totalCount": _connection_total("households"),
    "AdvisorConnection.totalCount": _connection_total("advisors"),
    "TransactionConnection.totalCount": _activity_total("transactions"),
    "InteractionEventConnection.totalCount": _activity_total("interactions"),
    "AuditEntryConnection.totalCount": _audit_total,
    "Product.holderCount": _holder_count,
    "Advisor.customerCount": _advisor_customer_count,
    "Customer.aum": _customer_aum,
    "CategoryAmount.amount": _by_category,
    "Household.aum": _household_aum,
    "SegmentPreview.count": _preview_count,
    "Community.aum": _community_aum,
    "ReferralNetwork.totalAum": _network_total,
    "TopReferrer.cascadeAum": _cascade_aum,
    "Prospect.connectedAum": _connected_aum,
}


def _aggregate_fields() -> set[str]:
    schema = build_schema(SDL_PATH.read_text(encoding="utf-8"))
    found = set()
    for type_name, gtype in schema.type_map.items():
        if not isinstance(gtype, GraphQLObjectType) or type_name.startswith("__"):
            continue
        if f"{type_name}.*" in NOT_AGGREGATES:
            continue
        for field_name, field in gtype.fields.items():
            named = get_named_type(field.type)
            if named.name in NUMERIC and AGGREGATE_NAME.search(field_name):
                found.add(f"{type_name}.{field_name}")
    return found - set(NOT_AGGREGATES)


def test_every_aggregate_is_checked() -> None:
    assert _aggregate_fields() == set(CHECKS)


@pytest.fixture
async def spread(world: World, session: AsyncWriteSession) -> World:
    """Holdings and a household across advisors, so that a scope changes every sum."""
    product = await create_product(session, code="0P0002")
    await create_holding(session, world.stranger, product, market_value="70000.00")
    await create_holding(session, world.friend, product, market_value="3000.00")
    lonely = await create_product(session, code="0P0003")
    await create_holding(session, world.stranger, lonely, market_value="9000.00")
    await create_household(
        session, [(world.stranger, "self"), (world.friend, "spouse")], household_no="0H0002"
    )
    # Segment previews count customers who consented to profiling.
    for customer in (world.first, world.stranger):
        await create_consent(session, customer, "profiling")
    return world


@pytest.fixture
async def role_settings(
    spread: World, session: AsyncWriteSession, db: Database, tmp_path: Path
) -> dict[str, Any]:
    """A graph snapshot of the spread world, with the stranger made high-net-worth
    (so the friend, its housemate and holding little, is a prospect)."""
    deposit = await create_product(session, code="0P0900", category="deposit", risk_rating=1)
    await create_holding(session, spread.stranger, deposit, market_value="6000000.00")
    settings = get_settings().model_copy(update={"data_dir": tmp_path})
    state = await build_state(db, settings)
    label(state.core, communities(state.core))
    write_state(state, settings)
    return {"data_dir": tmp_path, "graph_refresh_seconds": 0}


async def test_aggregates_agree_with_the_rows_per_role(as_role: Any, spread: World) -> None:
    compared: dict[str, set[str]] = defaultdict(set)
    problems: list[tuple[Any, ...]] = []
    for role in ROLES:
        api = await as_role(role)
        for name, check in CHECKS.items():
            try:
                pairs = await check(api)
            except Denied:
                continue
            except Unlisted:
                problems.append((role, name, "readable, but its rows are not"))
                continue
            compared[name].add(role)
            problems += [
                (role, name, what, got, listed) for what, got, listed in pairs if got != listed
            ]
    assert not problems, problems
    # Not vacuous: the advisor (a row scope narrower than everything) reads each
    # aggregate its role is granted and gets the counts of its own rows.
    for name in CHECKS:
        assert compared[name], name
    # Network-wide rankings are not granted to advisors (see policies/policy.csv).
    assert {n for n, roles in compared.items() if "advisor" in roles} >= set(CHECKS) - {
        "AuditEntryConnection.totalCount",
        "TopReferrer.cascadeAum",
        "Prospect.connectedAum",
    }
