"""The numeric core: the graph as arrays, for per-customer questions in microseconds.

Customers and products are rows and columns of a sparse customer × product matrix
of market values; product co-holding counts are a dense product × product matrix
(the shelf has hundreds of products, not millions); households and referrals are
compressed adjacency arrays keyed from the customer side, so a per-customer
question reads the customer's own row, its housemates' rows and the product
co-holding rows of what it holds, and never lists a product's holders.

Changes after the snapshot go into a small private ``Delta`` (see ``graph.sync``);
the counts a score reads (holders, co-holdings, segment counts) are updated in
place, so the next recommendation sees a new holding without a rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from cdp.db.enums import HOUSEHOLD_RELATIONS, PRODUCT_CATEGORIES

RELATIONS = HOUSEHOLD_RELATIONS
CATEGORIES = PRODUCT_CATEGORIES
NO_SEGMENT = -1


@dataclass
class Products:
    """The shelf, one entry per column of the holdings matrix."""

    ids: np.ndarray  # int64, sorted
    codes: list[str]
    names: list[str]
    category: np.ndarray  # int8 index into CATEGORIES
    rating: np.ndarray  # int8, 1..5
    min_investment: np.ndarray  # float64
    on_sale: np.ndarray  # bool
    _by_code: dict[str, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, product_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, product_id))
        return i if i < len(self.ids) and self.ids[i] == product_id else None

    def by_code(self, code: str) -> int | None:
        if not self._by_code:
            self._by_code = {c: i for i, c in enumerate(self.codes)}
        return self._by_code.get(code)


@dataclass
class Delta:
    """Changes since the snapshot, keyed by database ids (new customers included)."""

    holdings: dict[int, dict[int, float]] = field(default_factory=dict)
    household: dict[int, tuple[int, int]] = field(default_factory=dict)  # (0, -1): none
    members: dict[int, list[int]] = field(default_factory=dict)
    referrer: dict[int, int] = field(default_factory=dict)
    referees: dict[int, list[int]] = field(default_factory=dict)


@dataclass
class Core:
    products: Products
    customer_ids: np.ndarray  # int64, sorted
    segment: np.ndarray  # int16, NO_SEGMENT when unknown
    advisor: np.ndarray  # int64, 0 = none
    household: np.ndarray  # int64 household id, 0 = none
    relation: np.ndarray  # int8 index into RELATIONS, -1 = none
    household_ids: np.ndarray  # int64, sorted
    members_indptr: np.ndarray  # int64, by household index
    members: np.ndarray  # int64 customer ids
    indptr: np.ndarray  # holdings CSR over customer rows
    indices: np.ndarray  # int32 product columns
    values: np.ndarray  # float32 market values
    since: np.ndarray  # int32 days since 1970-01-01 when the position was opened
    referrer: np.ndarray  # int64 referrer id, 0 = none
    referees_indptr: np.ndarray
    referees: np.ndarray  # int64 customer ids
    holders: np.ndarray  # int32 per product
    co: np.ndarray  # int32 product × product co-holding counts (diagonal = holders)
    seg_counts: np.ndarray  # int32 segment × product holders
    seg_sizes: np.ndarray  # int32 customers per segment
    community: np.ndarray  # int32 community id per customer row (0 = none), from the build
    delta: Delta = field(default_factory=Delta)

    # -- lookups -------------------------------------------------------------
    def row(self, customer_id: int) -> int | None:
        i = int(np.searchsorted(self.customer_ids, customer_id))
        ids = self.customer_ids
        return i if i < len(ids) and ids[i] == customer_id else None

    def held(self, customer_id: int) -> dict[int, float]:
        """Product column → market value of what the customer holds now."""
        out: dict[int, float] = {}
        i = self.row(customer_id)
        if i is not None:
            lo, hi = self.indptr[i], self.indptr[i + 1]
            out = dict(zip(self.indices[lo:hi].tolist(), self.values[lo:hi].tolist(), strict=True))
        extra = self.delta.holdings.get(customer_id)
        if extra:
            out.update(extra)
        return out

    def aum(self, customer_id: int) -> float:
        return float(sum(self.held(customer_id).values()))

    def segment_of(self, customer_id: int) -> int:
        i = self.row(customer_id)
        return int(self.segment[i]) if i is not None else NO_SEGMENT

    def household_of(self, customer_id: int) -> tuple[int, str] | None:
        """(household id, relation to its head), or None."""
        if customer_id in self.delta.household:
            hid, rel = self.delta.household[customer_id]
        else:
            i = self.row(customer_id)
            if i is None:
                return None
            hid, rel = int(self.household[i]), int(self.relation[i])
        return (hid, RELATIONS[rel]) if hid else None

    def members_of(self, household_id: int) -> list[int]:
        if household_id in self.delta.members:
            return list(self.delta.members[household_id])
        h = int(np.searchsorted(self.household_ids, household_id))
        if h >= len(self.household_ids) or self.household_ids[h] != household_id:
            return []
        found: list[int] = self.members[
            self.members_indptr[h] : self.members_indptr[h + 1]
        ].tolist()
        return found

    def housemates(self, customer_id: int) -> list[tuple[int, str]]:
        """The other members of the customer's household with their relation to its head."""
        mine = self.household_of(customer_id)
        if mine is None:
            return []
        out = []
        for other in self.members_of(mine[0]):
            theirs = self.household_of(other) if other != customer_id else None
            if theirs is not None and theirs[0] == mine[0]:
                out.append((other, theirs[1]))
        return out

    def community_of(self, customer_id: int) -> int | None:
        i = self.row(customer_id)
        return int(self.community[i]) or None if i is not None else None

    def referrer_of(self, customer_id: int) -> int | None:
        if customer_id in self.delta.referrer:
            return self.delta.referrer[customer_id]
        i = self.row(customer_id)
        return int(self.referrer[i]) or None if i is not None else None

    def referees_of(self, customer_id: int) -> list[int]:
        out: list[int] = []
        i = self.row(customer_id)
        if i is not None:
            lo, hi = self.referees_indptr[i], self.referees_indptr[i + 1]
            out = self.referees[lo:hi].tolist()
        return out + self.delta.referees.get(customer_id, [])

    def matrix(self) -> sparse.csr_matrix:
        """The snapshot's customer × product market values (without the delta)."""
        shape = (len(self.customer_ids), len(self.products))
        return sparse.csr_matrix((self.values, self.indices, self.indptr), shape=shape)

    # -- changes -------------------------------------------------------------
    def apply_holding(self, customer_id: int, product_id: int, market_value: float) -> bool:
        """Record a position; returns False when the product is unknown to the snapshot."""
        j = self.products.index(product_id)
        if j is None:
            return False
        held = self.held(customer_id)
        if j not in held:
            cols = np.fromiter(held, dtype=np.int64, count=len(held))
            self.holders[j] += 1
            self.co[j, j] += 1
            self.co[j, cols] += 1
            self.co[cols, j] += 1
            s = self.segment_of(customer_id)
            if s != NO_SEGMENT:
                self.seg_counts[s, j] += 1
        self.delta.holdings.setdefault(customer_id, {})[j] = float(market_value)
        return True

    def apply_referral(self, referrer_id: int, referee_id: int) -> bool:
        """Record who referred whom; a customer is referred at most once."""
        if self.referrer_of(referee_id) is not None:
            return False
        self.delta.referrer[referee_id] = referrer_id
        self.delta.referees.setdefault(referrer_id, []).append(referee_id)
        return True

    def apply_membership(self, customer_id: int, household_id: int | None, relation: str) -> None:
        """Move the customer into ``household_id`` (None: out of any household)."""
        before = self.household_of(customer_id)
        if before is not None:
            self.delta.members[before[0]] = [
                m for m in self.members_of(before[0]) if m != customer_id
            ]
        if household_id:
            members = self.members_of(household_id)
            self.delta.members[household_id] = [*members, customer_id]
            self.delta.household[customer_id] = (household_id, RELATIONS.index(relation))
        else:
            self.delta.household[customer_id] = (0, -1)
