"""Customers and households with every selected relation, loaded list-wide.

Given the rows of a list and the look-ahead selection below it, each selected
relation is loaded for the whole list with one batched DataLoader call (so one
statement, whatever the list's length), then the objects are built with those
relations as plain attributes. Nested customers (household members, referrals)
are assembled the same way, one level at a time, so the number of statements
grows with the depth of the query, never with the number of objects.

A nested object is scoped and projected as if it were queried directly: nested
customers come from loaders that take the customer row scope and are projected as
customers. A household is about every person in it, so what describes the family
as a whole — its name, which is made of the head's name, and each member's
relation to the head — is denied (``FORBIDDEN_FIELD``) unless the caller sees
every member (``complete``), and the name is read as a customer's name would be
(masked or denied with ``Customer.name``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import strawberry

from cdp.crypto import get_cipher
from cdp.customers.tiers import (
    RISK_LABELS,
    age_on,
    assessment_cutoff,
    risk_assessment_expired,
    tier_for,
)
from cdp.keyset import AnyRow
from schema.context import Context
from schema.dataloaders import rows as build
from schema.dataloaders.holdings import holding_columns
from schema.dataloaders.lookahead import Selection
from schema.dataloaders.sensitive import household_reads, note_customers, note_households
from schema.dataloaders.tag_values import readable_of
from schema.permissions import DENIED
from schema.relay import global_id
from schema.types.category_amount import CategoryAmount
from schema.types.customer import Customer
from schema.types.household import Household
from schema.types.household_member import HouseholdMember
from schema.types.referral import Referral

# The ``id`` of a customer whose ``id`` the query does not select (never read).
_UNSELECTED = strawberry.ID("")

# Customer fields read from the row as they are: (field, column).
_CUSTOMER_COLUMNS = (
    ("advisor_pk", "advisor_id"),
    ("customer_no", "customer_no"),
    ("name", "name"),
    ("gender", "gender"),
    ("birth_date", "birth_date"),
    ("province", "province"),
    ("city", "city"),
    ("occupation", "occupation"),
    ("annual_income", "annual_income"),
    ("risk_level", "risk_level"),
    ("risk_assessed_at", "risk_assessed_at"),
    ("investor_class", "investor_class"),
    ("branch", "branch"),
    ("onboarded_at", "onboarded_at"),
    ("status", "status"),
    ("aum", "aum"),
)


def needs_aum(sel: Selection) -> bool:
    """Whether customers built for ``sel`` read the ``aum`` column (``aumByCategory``
    is summed from holdings, but counts too: it is AUM, and cheap to be safe about)."""
    return "aum" in sel or "tier" in sel or "aumByCategory" in sel


async def customers(ctx: Context, rows: Sequence[AnyRow], sel: Selection) -> list[Customer]:
    if not rows:
        return []
    policy, loaders = ctx.policy, ctx.loaders
    at = build.positions(rows[0])
    id_at = at["id"]
    ids = [r[id_at] for r in rows]
    relations: dict[str, list[Any]] = {}
    incomplete: set[int] = set()

    def wanted(graphql_name: str, field: str) -> bool:
        return graphql_name in sel and policy.wants("Customer", field)

    by_category = wanted("aumByCategory", "aum_by_category")
    if wanted("holdings", "holdings") or by_category:
        loader = loaders.holdings_with(holding_columns(sel.at("holdings"), by_category))
        held = build.holdings(await loader.load_many(ids), policy)
        relations["holdings"] = held
        if by_category:  # summed only when asked for: a tenth of a page's assembly
            relations["aum_by_category"] = [_by_category(h) for h in held]
    if wanted("household", "household") or wanted("householdRelation", "household_relation"):
        memberships = await loaders.memberships.load_many(ids)
        found = [m for m in memberships if m is not None]
        built = {h.pk: h for h in await households(ctx, found, sel.at("household"))}
        relations["household"] = [built[m.id] if m else None for m in memberships]
        relations["household_relation"] = [m.relation if m else None for m in memberships]
        # Whom a relation relates the customer to is a member too: shown like the
        # household's name, only when every member is in scope (denied after
        # projection, so that no masker ever sees the denial).
        incomplete = {i for i, m in enumerate(memberships) if m is not None and not m.complete}
    if wanted("referredBy", "referred_by"):
        referrers = await loaders.referrers.load_many(ids)
        relations["referred_by"] = await _referrals(ctx, referrers, sel.at("referredBy"))
    if wanted("referrals", "referrals"):
        lists = await loaders.referees.load_many(ids)
        flat = await _referrals(ctx, [r for rs in lists for r in rs], sel.at("referrals"))
        relations["referrals"] = _regroup(lists, flat)
    if wanted("advisor", "advisor"):
        advisor_at = at["advisor_id"]
        advisor_ids = [r[advisor_at] for r in rows]
        advisors = await loaders.advisors.load_many([a for a in advisor_ids if a is not None])
        by_id = {a.id: build.advisor(a, policy) for a in advisors if a is not None}
        relations["advisor"] = [by_id.get(a) if a is not None else None for a in advisor_ids]
    if wanted("consents", "consents"):
        lists = await loaders.consents.load_many(ids)
        relations["consents"] = [[build.consent(c, policy) for c in cs] for cs in lists]
    if wanted("tags", "tags"):
        # Only tags whose every input the caller may filter on, their evidence only
        # where it reads every input in clear (``tagging.visibility``).
        stored = await loaders.tag_values.load_many(ids)
        readable = await readable_of(stored, policy, loaders.tag_inputs)
        relations["tags"] = [
            [
                build.tag(t, policy, evidence=t.key in readable.evidence)
                for t in tags
                if t.key in readable.values
            ]
            for tags, _ in stored
        ]

    # Contact fields only when selected: masking them costs a few µs per row each.
    columns = [(name, at[name]) for name in ("phone", "email") if name in sel]
    # Decrypted or hashed only when selected and shown: a few µs per row each.
    cipher = get_cipher()
    id_numbers = wanted("idNumber", "id_number")
    id_number_at = at["id_number_enc"]
    pseudonyms = wanted("pseudonymousId", "pseudonymous_id")
    with_ids = "id" in sel

    settings, today, audience = ctx.settings, ctx.today, policy.audience
    cutoff = assessment_cutoff(today)
    born_at, risk_at, assessed_at, aum_at = (
        at[name] for name in ("birth_date", "risk_level", "risk_assessed_at", "aum")
    )
    # Read as they are, by position (see ``build.positions``).
    columns += [(name, at[column]) for name, column in _CUSTOMER_COLUMNS]
    out = []
    for i, r in enumerate(rows):
        born, risk, assessed, aum = r[born_at], r[risk_at], r[assessed_at], r[aum_at]
        pk = ids[i]
        values: dict[str, Any] = {name: r[j] for name, j in columns}
        # Sealed only when selected: a few µs per row, like decrypting.
        values["id"] = global_id("Customer", pk, audience) if with_ids else _UNSELECTED
        values["pk"] = pk
        values["age"] = age_on(born, today) if born is not None else None
        values["risk_level_label"] = RISK_LABELS.get(risk) if risk is not None else None
        values["risk_assessment_expired"] = risk_assessment_expired(assessed, cutoff)
        # NULL when the query selected neither; see ``needs_aum``.
        values["tier"] = tier_for(aum, settings) if aum is not None else None
        if id_numbers:
            sealed = r[id_number_at]
            values["id_number"] = cipher.decrypt(sealed) if sealed is not None else None
        if pseudonyms:
            values["pseudonymous_id"] = cipher.pseudonym(pk)
        for name, per_row in relations.items():
            values[name] = per_row[i]
        projected = policy.project("Customer", values)
        if i in incomplete:
            projected["household_relation"] = DENIED
        out.append(Customer(**projected))
    note_customers(ctx, sel, ids)
    return out


async def households(ctx: Context, rows: Sequence[AnyRow], sel: Selection) -> list[Household]:
    """Households from rows with household columns; repeated households are built once."""
    unique = list({r.id: r for r in rows}.values())
    if not unique:
        return []
    members: list[list[HouseholdMember]] = [[] for _ in unique]
    # The AUM in clear is a read of the visible members' holdings: audited as theirs.
    sensitive = household_reads(ctx, sel)
    if sensitive:
        lists = await ctx.loaders.household_members.load_many([r.id for r in unique])
        note_households(ctx, sensitive, [m.id for ms in lists for m in ms])
    if "members" in sel and ctx.policy.wants("Household", "members"):
        lists = await ctx.loaders.household_members.load_many([r.id for r in unique])
        flat = [m for ms in lists for m in ms]
        people = await customers(ctx, flat, sel.at("members", "customer"))
        complete = {r.id: r.complete for r in unique}
        built = []
        for m, c in zip(flat, people, strict=True):
            values = ctx.policy.project("HouseholdMember", {"relation": m.relation, "customer": c})
            if not complete[m.household_id]:
                values["relation"] = DENIED
            built.append(HouseholdMember(**values))
        members = _regroup(lists, built)
    by_id = {}
    for r, ms in zip(unique, members, strict=True):
        values = {
            "id": global_id("Household", r.id, ctx.policy.audience),
            "pk": r.id,
            "household_no": r.household_no,
            "name": r.name,
            "created_at": r.created_at,
            "aum": r.aum,
            "members": ms,
        }
        projected = ctx.policy.project("Household", values)
        name = projected["name"]
        if not r.complete:
            projected["name"] = DENIED
        elif name is not None and name is not DENIED:
            # The head's name: shown no more than the caller sees customers' names.
            projected["name"] = ctx.policy.project("Customer", {"name": name})["name"]
        by_id[r.id] = Household(**projected)
    return [by_id[r.id] for r in rows]


async def _referrals(
    ctx: Context, rows: Sequence[AnyRow | None], sel: Selection
) -> list[Referral | None]:
    """Referrals from rows holding the other party's customer columns (``None`` kept)."""
    found = [r for r in rows if r is not None]
    people = iter(await customers(ctx, found, sel.at("customer")))
    out: list[Referral | None] = []
    for r in rows:
        if r is None:
            out.append(None)
            continue
        values = {"customer": next(people), "referred_at": r.referred_at, "channel": r.channel}
        out.append(Referral(**ctx.policy.project("Referral", values)))
    return out


def _regroup(lists: Sequence[Sequence[Any]], flat: Sequence[Any]) -> list[list[Any]]:
    """Split ``flat`` back into the lengths of ``lists``."""
    out, start = [], 0
    for items in lists:
        out.append(list(flat[start : start + len(items)]))
        start += len(items)
    return out


def _by_category(holdings: Sequence[Any]) -> list[CategoryAmount]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for h in holdings:
        totals[h.product.category] += h.market_value
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return [CategoryAmount(category=c, amount=a) for c, a in ordered]
