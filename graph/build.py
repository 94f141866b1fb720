"""Assemble the numeric core from plain columns (from PostgreSQL or a holdings file).

Pure array work: every input is a numpy column, so one pass over each table and a
few vectorised steps (sort, ``bincount``, one sparse product for co-holdings) make
the core, whatever the source.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from graph.core import NO_SEGMENT, Core, Products

TIERS = 3  # 大众 / 潜力 / 高净值
SEGMENTS = 6 * TIERS  # risk level 0 (unknown) .. 5 × asset tier


@dataclass
class Columns:
    """Raw columns of one snapshot; ids are database ids."""

    customer_ids: np.ndarray  # int64
    risk_level: np.ndarray  # int8, 0 = unknown
    advisor: np.ndarray  # int64, 0 = none
    holding_customer: np.ndarray  # int64
    holding_product: np.ndarray  # int64
    holding_value: np.ndarray  # float64
    holding_since: np.ndarray  # int32 days
    member_customer: np.ndarray  # int64
    member_household: np.ndarray  # int64
    member_relation: np.ndarray  # int8
    referral_referrer: np.ndarray  # int64
    referral_referee: np.ndarray  # int64
    referral_day: np.ndarray  # int32 days since 1970-01-01
    referral_channel: np.ndarray  # int8 index into REFERRAL_CHANNELS


def empty_columns() -> Columns:
    i64, i32, i8 = np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int8)
    return Columns(i64, i8, i64, i64, i64, np.zeros(0), i32, i64, i64, i8, i64, i64, i32, i8)


def segments(risk_level: np.ndarray, aum: np.ndarray, potential: float, hnw: float) -> np.ndarray:
    """Similar customers: the same risk level and asset tier."""
    tier = (aum >= potential).astype(np.int16) + (aum >= hnw).astype(np.int16)
    return (risk_level.astype(np.int16) * TIERS + tier).astype(np.int16)


def assemble(cols: Columns, products: Products, potential: float, hnw: float) -> Core:
    order = np.argsort(cols.customer_ids, kind="stable")
    ids = cols.customer_ids[order]
    n, p = len(ids), len(products)

    rows = np.searchsorted(ids, cols.holding_customer)
    pcols = np.searchsorted(products.ids, cols.holding_product)
    known = (rows < n) & (pcols < p)
    known[known] &= ids[rows[known]] == cols.holding_customer[known]
    known[known] &= products.ids[pcols[known]] == cols.holding_product[known]
    rows, pcols = rows[known], pcols[known]
    by_row = np.lexsort((pcols, rows))
    rows, pcols = rows[by_row], pcols[by_row].astype(np.int32)
    values = cols.holding_value[known][by_row].astype(np.float32)
    since = cols.holding_since[known][by_row].astype(np.int32)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])

    aum = np.bincount(rows, weights=values, minlength=n)
    segment = segments(cols.risk_level[order], aum, potential, hnw) if n else np.zeros(0, np.int16)
    binary = sparse.csr_matrix((np.ones(len(rows), np.int32), pcols, indptr), shape=(n, p))
    co = np.asarray((binary.T @ binary).todense(), dtype=np.int32).reshape(p, p)
    seg_binary = sparse.csr_matrix(
        (np.ones(n, np.int32), (np.maximum(segment, 0), np.arange(n))), shape=(SEGMENTS, n)
    )
    seg_counts = np.asarray((seg_binary @ binary).todense(), dtype=np.int32).reshape(SEGMENTS, p)
    seg_sizes = np.bincount(np.maximum(segment, 0), minlength=SEGMENTS).astype(np.int32)

    household, relation = _by_customer(
        ids, cols.member_customer, (cols.member_household, 0), (cols.member_relation, -1)
    )
    hh_ids, members_indptr, members = _adjacency(cols.member_household, cols.member_customer)
    (referrer,) = _by_customer(ids, cols.referral_referee, (cols.referral_referrer, 0))
    ref_rows = np.searchsorted(ids, cols.referral_referrer)
    ok = ref_rows < n
    ok[ok] &= ids[ref_rows[ok]] == cols.referral_referrer[ok]
    ref_order = np.argsort(ref_rows[ok], kind="stable")
    referees = cols.referral_referee[ok][ref_order].astype(np.int64)
    ref_indptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(ref_rows[ok], minlength=n), out=ref_indptr[1:])
    return Core(
        products=products,
        customer_ids=ids,
        segment=segment if n else np.full(0, NO_SEGMENT, np.int16),
        advisor=cols.advisor[order].astype(np.int64),
        household=household.astype(np.int64),
        relation=relation.astype(np.int8),
        household_ids=hh_ids,
        members_indptr=members_indptr,
        members=members,
        indptr=indptr,
        indices=pcols,
        values=values,
        since=since,
        referrer=referrer.astype(np.int64),
        referees_indptr=ref_indptr,
        referees=referees,
        holders=np.diagonal(co).copy(),
        co=co,
        seg_counts=seg_counts,
        seg_sizes=seg_sizes,
        community=np.zeros(n, np.int32),
    )


def _by_customer(
    ids: np.ndarray, keys: np.ndarray, *columns: tuple[np.ndarray, int]
) -> list[np.ndarray]:
    """Spread (key → value) columns onto the customer rows, with a default elsewhere."""
    rows = np.searchsorted(ids, keys)
    ok = rows < len(ids)
    ok[ok] &= ids[rows[ok]] == keys[ok]
    out = []
    for values, default in columns:
        column = np.full(len(ids), default, dtype=np.int64)
        column[rows[ok]] = values[ok]
        out.append(column)
    return out


def _adjacency(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct keys, and the values of each as one CSR."""
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    distinct, counts = np.unique(keys, return_counts=True)
    indptr = np.zeros(len(distinct) + 1, np.int64)
    np.cumsum(counts, out=indptr[1:])
    return distinct.astype(np.int64), indptr, values.astype(np.int64)
