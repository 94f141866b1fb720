"""Identity resolution for one batch: which new records are which person.

Rules, strongest first (the first that links a record names its merge rule):

1. ``id_number`` — equal keyed hash of the ID number.
2. ``phone_name`` — equal normalised mobile and equal normalised name.
3. ``email_name`` — equal normalised e-mail and equal normalised name.

Rules 2 and 3 never link two records whose ID numbers differ or whose birth dates
differ (when both sides have one): shared phones within a family and common names
make those the typical false merges. A phone shared by more than
``identity_phone_cap`` distinct people is a switchboard (a branch's or an agent's
number) and is not matched on at all. Two distinct existing golden customers are
never merged with each other by ingestion; a record matching both joins the one
matched by the stronger rule.

Nodes are the batch's new records and the existing customers that candidate
lookups returned; links are applied with union-find under the constraints above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

RULES = ("id_number", "phone_name", "email_name")


@dataclass(frozen=True)
class Keys:
    """What matching looks at, for a new record or an existing customer's record."""

    id_hash: bytes | None
    phone_hash: bytes | None
    email: str | None
    name: str
    birth_date: str | None


@dataclass
class _Group:
    customer_id: int | None = None
    id_hashes: set[bytes] = field(default_factory=set)
    birth_dates: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Resolution:
    """Per new record: the existing customer or the leader record of its new group."""

    customer_id: int | None
    leader: int | None  # index of the batch record that creates the customer
    rule: str | None  # None when the record creates a customer


def person_token(keys: Keys) -> bytes:
    """Distinct-person token for the switchboard count: ID hash, else the name."""
    return keys.id_hash if keys.id_hash is not None else b"n:" + keys.name.encode()


def switchboards(
    records: Iterable[Keys], candidates: Iterable[tuple[int, Keys]], cap: int
) -> set[bytes]:
    people: dict[bytes, set[bytes]] = defaultdict(set)
    for k in [*records, *(k for _, k in candidates)]:
        if k.phone_hash is not None:
            people[k.phone_hash].add(person_token(k))
    return {phone for phone, who in people.items() if len(who) > cap}


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.groups = [_Group() for _ in range(size)]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, strict: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self.groups[ra], self.groups[rb]
        if ga.customer_id is not None and gb.customer_id is not None:
            return False
        if strict and _conflict(ga.id_hashes, gb.id_hashes):
            return False
        if strict and _conflict(ga.birth_dates, gb.birth_dates):
            return False
        if rb < ra:
            ra, rb, ga, gb = rb, ra, gb, ga
        self.parent[rb] = ra
        if ga.customer_id is None:
            ga.customer_id = gb.customer_id
        ga.id_hashes |= gb.id_hashes
        ga.birth_dates |= gb.birth_dates
        return True


def _conflict(a: set[Any], b: set[Any]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _rule_keys(k: Keys, blocked: set[bytes]) -> list[tuple[str, object]]:
    keys: list[tuple[str, object]] = []
    if k.id_hash is not None:
        keys.append(("id_number", k.id_hash))
    name = k.name.casefold()  # "WANG Wu" and "Wang Wu" are one spelling
    if k.phone_hash is not None and k.phone_hash not in blocked:
        keys.append(("phone_name", (k.phone_hash, name)))
    if k.email is not None:
        keys.append(("email_name", (k.email, name)))
    return keys


def resolve(
    records: Sequence[Keys], candidates: Sequence[tuple[int, Keys]], blocked: set[bytes]
) -> list[Resolution]:
    """Assign each new record to an existing customer or a new group."""
    n = len(records)
    customer_ids = sorted({cid for cid, _ in candidates})
    node_of = {cid: n + i for i, cid in enumerate(customer_ids)}
    uf = _UnionFind(n + len(customer_ids))
    for cid, node in node_of.items():
        uf.groups[node].customer_id = cid
    all_nodes: list[tuple[int, Keys]] = [(i, k) for i, k in enumerate(records)]
    all_nodes += [(node_of[cid], k) for cid, k in candidates]
    for node, k in all_nodes:
        g = uf.groups[uf.find(node)]
        if k.id_hash is not None:
            g.id_hashes.add(k.id_hash)
        if k.birth_date is not None:
            g.birth_dates.add(k.birth_date)
    rule_of: dict[int, str] = {}
    for rule in RULES:
        buckets: dict[object, list[int]] = defaultdict(list)
        for node, k in all_nodes:
            for r, key in _rule_keys(k, blocked):
                if r == rule:
                    buckets[key].append(node)
        for nodes in buckets.values():
            # Existing customers first, so a record joins the person already known.
            nodes.sort(key=lambda x: (x < n, x))
            for j in range(1, len(nodes)):
                other = nodes[j]
                for prev in nodes[:j]:
                    if uf.union(prev, other, strict=rule != "id_number"):
                        for x in (prev, other):
                            if x < n:
                                rule_of.setdefault(x, rule)
                        break
    result: list[Resolution] = []
    for i in range(n):
        root = uf.find(i)
        owner = uf.groups[root].customer_id
        if owner is not None:
            result.append(Resolution(owner, None, rule_of.get(i)))
        elif root == i:
            result.append(Resolution(None, i, None))
        else:
            result.append(Resolution(None, root, rule_of.get(i)))
    return result
