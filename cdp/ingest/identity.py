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

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

RULES = ("id_number", "phone_name", "email_name")


class Keys(NamedTuple):
    """What matching looks at, for a new record or an existing customer's record.

    A tuple: a batch's keys cross from the worker process and are made per
    candidate row, where a tuple is the cheapest object to pickle and build.
    """

    id_hash: bytes | None
    phone_hash: bytes | None
    email: str | None
    name: str
    birth_date: str | None


class Resolution(NamedTuple):
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
    everyone = [*records, *(k for _, k in candidates)]
    # Distinct people never outnumber a phone's rows: count rows first (in C), and
    # collect people only for the few phones that could be over the cap.
    rows = Counter(k.phone_hash for k in everyone if k.phone_hash is not None)
    suspects = {phone for phone, n in rows.items() if n > cap}
    if not suspects:
        return set()
    people: dict[bytes, set[bytes]] = defaultdict(set)
    for k in everyone:
        if k.phone_hash in suspects:
            people[k.phone_hash].add(person_token(k))
    return {phone for phone, who in people.items() if len(who) > cap}


class _UnionFind:
    """Union-find whose groups carry a customer id and the ID hashes and birth dates
    seen in them. Most nodes never take part in a union, so a node's sets are made
    from its keys only when it first does."""

    def __init__(self, keys: Sequence[Keys | None]) -> None:
        self.parent = list(range(len(keys)))
        self.keys = keys
        self.customer: dict[int, int] = {}
        self.id_hashes: dict[int, set[bytes]] = {}
        self.birth_dates: dict[int, set[str]] = {}

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def add(self, node: int, k: Keys) -> None:
        """Merge ``k``'s ID hash and birth date into ``node``'s (unmerged) group."""
        self._sets(node)
        if k.id_hash is not None:
            self.id_hashes[node].add(k.id_hash)
        if k.birth_date is not None:
            self.birth_dates[node].add(k.birth_date)

    def _sets(self, root: int) -> tuple[set[bytes], set[str]]:
        ids = self.id_hashes.get(root)
        if ids is None:
            k = self.keys[root]
            ids = self.id_hashes[root] = set()
            births = self.birth_dates[root] = set()
            if k is not None:
                if k.id_hash is not None:
                    ids.add(k.id_hash)
                if k.birth_date is not None:
                    births.add(k.birth_date)
            return ids, births
        return ids, self.birth_dates[root]

    def union(self, a: int, b: int, strict: bool) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ca, cb = self.customer.get(ra), self.customer.get(rb)
        if ca is not None and cb is not None:
            return False
        ids_a, births_a = self._sets(ra)
        ids_b, births_b = self._sets(rb)
        if strict and (_conflict(ids_a, ids_b) or _conflict(births_a, births_b)):
            return False
        if rb < ra:
            ra, rb, ids_a, ids_b, births_a, births_b = rb, ra, ids_b, ids_a, births_b, births_a
        self.parent[rb] = ra
        owner = ca if ca is not None else cb
        if owner is not None:
            self.customer[ra] = owner
        ids_a |= ids_b
        births_a |= births_b
        return True


def _conflict(a: set[Any], b: set[Any]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def resolve(
    records: Sequence[Keys], candidates: Sequence[tuple[int, Keys]], blocked: set[bytes]
) -> list[Resolution]:
    """Assign each new record to an existing customer or a new group."""
    n = len(records)
    customer_ids = sorted({cid for cid, _ in candidates})
    node_of = {cid: n + i for i, cid in enumerate(customer_ids)}
    uf = _UnionFind([*records, *([None] * len(customer_ids))])
    for cid, node in node_of.items():
        uf.customer[node] = cid
    for cid, k in candidates:
        uf.add(node_of[cid], k)
    # One pass files every node under its key for each rule. A key of one node
    # links nothing, and most keys are unique: counting them first (in C) leaves
    # the pass only the nodes with a shared ID hash, phone or e-mail to file.
    buckets: tuple[dict[object, list[int]], ...] = ({}, {}, {})
    by_id, by_phone, by_email = buckets
    nodes = [*enumerate(records), *((node_of[cid], k) for cid, k in candidates)]
    everyone = [k for _, k in nodes]
    shared_ids = _shared(k.id_hash for k in everyone)
    shared_phones = _shared(k.phone_hash for k in everyone if k.phone_hash not in blocked)
    shared_emails = _shared(k.email for k in everyone)
    for node, k in nodes:
        if k.id_hash in shared_ids:
            by_id.setdefault(k.id_hash, []).append(node)
        phone = k.phone_hash if k.phone_hash in shared_phones else None
        email = k.email if k.email in shared_emails else None
        if phone is not None or email is not None:
            name = k.name.casefold()  # "WANG Wu" and "Wang Wu" are one spelling
            if phone is not None:
                by_phone.setdefault((phone, name), []).append(node)
            if email is not None:
                by_email.setdefault((email, name), []).append(node)
    rule_of: dict[int, str] = {}
    for rule, bucket in zip(RULES, buckets, strict=True):
        strict = rule != "id_number"
        for linked in bucket.values():
            if len(linked) < 2:
                continue
            # Existing customers first, so a record joins the person already known.
            linked.sort(key=lambda x: (x < n, x))
            for j in range(1, len(linked)):
                other = linked[j]
                for prev in linked[:j]:
                    if uf.union(prev, other, strict):
                        for x in (prev, other):
                            if x < n:
                                rule_of.setdefault(x, rule)
                        break
    result: list[Resolution] = []
    parent, owners = uf.parent, uf.customer
    for i in range(n):
        if parent[i] == i and i not in owners:  # linked to nobody: a customer of its own
            result.append(Resolution(None, i, None))
            continue
        root = uf.find(i)
        owner = owners.get(root)
        if owner is not None:
            result.append(Resolution(owner, None, rule_of.get(i)))
        elif root == i:
            result.append(Resolution(None, i, None))
        else:
            result.append(Resolution(None, root, rule_of.get(i)))
    return result


def _shared(values: Iterable[object]) -> set[object]:
    """The values (``None`` aside) that occur more than once."""
    return {v for v, count in Counter(values).items() if count > 1 and v is not None}
