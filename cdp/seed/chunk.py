"""Rows for one chunk of customer ids, built from the chunk's own random stream.

A chunk depends only on the plan and its index (its generator is seeded from
both), so chunks can be built in any order or in parallel and the data set is
still the same for a seed. Ids are assigned here: customer ids are dense per
chunk and a household's id is its head's customer id.
"""

from __future__ import annotations

import gc
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cdp.crypto import Cipher
from cdp.seed import textcopy
from cdp.seed.catalog import Advisor, Product
from cdp.seed.population import Member, UnitBuilder
from cdp.seed.portfolio import Position, Shelf, positions

CHUNK_SIZE = 20_000
WINDOW_DAYS = 730  # transactions and interactions cover the last two years
_TXN_RATE = (0.45, 0.9, 1.6)  # transactions a month while active, per tier
_EVENT_RATE = 0.9  # interactions a month while engaged


@dataclass(frozen=True)
class Plan:
    seed: int
    customers: int
    now: datetime
    products: list[Product]
    advisors: list[Advisor]
    master_key: bytes

    @property
    def chunks(self) -> int:
        return -(-self.customers // CHUNK_SIZE)


@dataclass
class EncodedChunk:
    """A chunk in COPY text format: one line per customer, one payload per other table."""

    index: int
    customers: list[bytes]
    id_numbers: list[str]
    tables: dict[str, bytes]
    counts: dict[str, int]
    onboarded: list[tuple[float, int]]


@dataclass
class Chunk:
    index: int
    customers: list[tuple[object, ...]] = field(default_factory=list)
    id_numbers: list[str] = field(default_factory=list)
    households: list[tuple[object, ...]] = field(default_factory=list)
    members: list[tuple[int, int, str]] = field(default_factory=list)
    holdings: list[tuple[object, ...]] = field(default_factory=list)
    profiles: list[tuple[object, ...]] = field(default_factory=list)
    onboarded: list[tuple[float, int]] = field(default_factory=list)


def customer_no(customer_id: int) -> str:
    """'C' and ten digits; a bijection of the id so numbers do not look sequential."""
    return f"C{(customer_id * 48_271 + 123_456_789) % 9_000_000_000 + 1_000_000_000}"


def build_encoded_chunk(plan: Plan, index: int) -> EncodedChunk:
    """``build_chunk`` in COPY text form; the cyclic GC is paused (nothing here cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        chunk = build_chunk(plan, index)
        tables: dict[str, list[Any]] = {
            "household": chunk.households, "household_member": chunk.members,
            "holding": chunk.holdings, "seed_profile": chunk.profiles,
        }  # fmt: skip
        return EncodedChunk(
            index=index,
            customers=[textcopy.line(row) for row in chunk.customers],
            id_numbers=chunk.id_numbers,
            tables={name: textcopy.lines(rows) for name, rows in tables.items()},
            counts={"customer": len(chunk.customers)} | {n: len(r) for n, r in tables.items()},
            onboarded=chunk.onboarded,
        )
    finally:
        if enabled:
            gc.enable()


def build_chunk(plan: Plan, index: int) -> Chunk:
    rng = random.Random(f"cdp-seed:{plan.seed}:{index}")
    cipher = Cipher.from_master_key(plan.master_key)
    by_branch: dict[str, list[Advisor]] = {}
    for advisor in plan.advisors:
        by_branch.setdefault(advisor.branch, []).append(advisor)
    builder = UnitBuilder(rng, plan.now, by_branch, phone_salt=plan.seed * 7_919 % 100_000_000)
    shelf = Shelf(plan.products)
    chunk = Chunk(index)
    first = index * CHUNK_SIZE + 1
    last = min(plan.customers, first + CHUNK_SIZE - 1)
    next_id = first
    while next_id <= last:
        unit = builder.unit(next_id, last - next_id + 1)
        next_id += len(unit)
        head_positions: list[Position] | None = None
        for member in unit:
            held = positions(rng, shelf, member, head_positions)
            if member.relation == "self":
                head_positions = held
            _emit(chunk, rng, cipher, shelf, plan.now, member, held)
        if len(unit) > 1:
            head = unit[0]
            chunk.households.append(
                (head.id, f"H{head.id:010d}", f"{head.person.name}家庭", head.onboarded)
            )
            chunk.members.extend((m.id, head.id, m.relation or "other") for m in unit)
    return chunk


def _emit(
    chunk: Chunk,
    rng: random.Random,
    cipher: Cipher,
    shelf: Shelf,
    now: datetime,
    m: Member,
    held: list[Position],
) -> None:
    p = m.person
    updated = max(
        m.onboarded, datetime.combine(m.risk_assessed or m.onboarded.date(), now.timetz())
    )
    chunk.id_numbers.append(p.id_number)
    chunk.customers.append((
        m.id, customer_no(m.id), p.name, p.gender, p.birth, "id_card",
        cipher.encrypt(p.id_number), cipher.keyed_hash(p.id_number),
        p.phone, cipher.keyed_hash(p.phone), p.email, p.city.province, p.city.name,
        p.occupation, p.income, m.risk, m.risk_assessed,
        "professional" if m.professional else "ordinary",
        m.advisor.id if m.advisor else None, m.advisor.branch if m.advisor else p.city.branch,
        m.onboarded, m.status, min(updated, now), m.onboarded,
    ))  # fmt: skip
    for pos in held:
        growth = rng.gauss(0.03, 0.04 if pos.product.risk_rating <= 2 else 0.15)
        nav = 1.0 if pos.product.risk_rating <= 2 else rng.uniform(0.8, 3.5)
        cost = round(pos.amount / max(0.4, 1 + growth), 2)
        chunk.holdings.append(
            (m.id, pos.product.id, round(cost / nav, 4), round(pos.amount, 2), cost, pos.opened,
             m.last_txn or pos.opened)
        )  # fmt: skip
    product_ids = [pos.product.id for pos in held]
    if m.stage == "churned":  # what they held before leaving, for their old transactions
        former = shelf.cum_weights(m.risk or 1, "mid", False, m.theme)
        product_ids = [shelf.pick(rng, former, 1e9).id for _ in range(rng.randint(1, 3))]
    chunk.profiles.append(_profile(rng, now, m, product_ids))
    chunk.onboarded.append((m.onboarded.timestamp(), m.id))


def _profile(
    rng: random.Random, now: datetime, m: Member, product_ids: list[int]
) -> tuple[object, ...]:
    """How much activity the SQL generator should create for this customer, and when."""
    window_start = now - timedelta(days=WINDOW_DAYS)
    first = max(m.onboarded, window_start)
    months = 0.0
    if m.last_txn is not None and m.last_txn > first:
        months = (m.last_txn - first).days / 30.4
    rate = _TXN_RATE[m.tier] * (0.5 if m.stage in ("sleeping", "churned") else 1.0)
    txn_count = round(months * rate * rng.uniform(0.4, 1.6))
    if m.last_txn is not None and m.last_txn > first:
        txn_count = max(1, txn_count)
    # Sleeping customers still log in for a while; churned ones stop soon after leaving.
    anchor = m.last_txn or m.onboarded
    if m.stage == "sleeping":
        event_last = anchor + rng.uniform(0, 0.6) * (now - anchor)
    elif m.stage == "churned":
        event_last = anchor + timedelta(days=rng.uniform(0, 60))
    else:
        event_last = now - timedelta(days=rng.uniform(0, 12))
    event_months = max(0.0, (event_last - first).days / 30.4)
    engagement = 0.4 if m.stage in ("prospect", "sleeping", "churned") else 1.0
    event_count = round(event_months * _EVENT_RATE * engagement * rng.uniform(0.3, 1.7))
    scale = max(m.aum, 20_000.0) * 0.08
    churned = m.stage == "churned"
    return (
        m.id,
        first,
        m.last_txn,
        txn_count,
        event_last,
        event_count,
        product_ids,
        scale,
        churned,
    )
