"""Validation and normalisation of a batch, apart from the database work.

This is the CPU-heavy half of ingestion and needs nothing but the rows, so a file
import can run it in a worker process for the next batch while the current one is
written. Its output is plain, picklable data: per row either the normalised record
or a ``Rejected`` with the field, code and reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

from cdp.crypto import get_cipher
from cdp.ingest.activity_records import BUILDERS
from cdp.ingest.customer_record import CustomerRecord, normalise_customer
from cdp.ingest.normalize import Rejection


class Rejected(NamedTuple):
    field: str | None
    code: str
    reason: str


Prepared = list[Any]  # per row: CustomerRecord / activity Record, or Rejected


def prepare_rows(
    kind: str, rows: Sequence[Mapping[str, object]], today: date, *, seal: bool
) -> Prepared:
    """Each row normalised, or why not; ``seal`` also encrypts customer ID numbers.

    Sealing every record costs an encryption for records that turn out unchanged, which
    is worth it where it runs beside the database work rather than before it.
    """
    out: Prepared = []
    append = out.append
    if kind == "customers":
        cipher = get_cipher()
        for row in rows:
            try:
                rec = normalise_customer(row, cipher, today)
            except Rejection as r:
                append(Rejected(r.field, r.code, r.reason))
                continue
            if seal:
                rec.seal(cipher)
            append(rec)
        return out
    build = BUILDERS[kind]
    for row in rows:
        try:
            append(build(row))
        except Rejection as r:
            append(Rejected(r.field, r.code, r.reason))
    return out


def prepare_for_transfer(kind: str, rows: Sequence[Mapping[str, object]], today: date) -> Prepared:
    """``prepare_rows`` with sealing, in the form that leaves a worker process: sealed
    customer records as plain tuples (``CustomerRecord.wire``). ``received`` undoes it."""
    out = prepare_rows(kind, rows, today, seal=True)
    if kind == "customers":
        return [rec.wire() if type(rec) is CustomerRecord else rec for rec in out]
    return out


def received(kind: str, prepared: Prepared) -> Prepared:
    """What ``prepare_for_transfer`` sent, as ``prepare_rows`` would have returned it."""
    if kind != "customers":
        return prepared
    from_wire = CustomerRecord.from_wire
    return [from_wire(rec) if type(rec) is tuple else rec for rec in prepared]
