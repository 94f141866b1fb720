"""A holdings file in the import format, as columns to evaluate on.

Only what a ranking needs is read: ``customer_key`` and ``product_code`` (both
required) and, when present, the acquisition date (``opened_at``, or
``acquired_at``) and ``market_value``. Keys are opaque: the file need not match
the database. Rows missing a key, or with a date or amount that does not parse,
are counted and skipped.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from cdp.errors import InvalidInput
from graph.build import Columns, empty_columns
from graph.core import Products
from graph.evaluate.splits import UNDATED

_DATE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})|(\d{2})(\d{2}))")
_AMOUNT = re.compile(r"^(?:¥|RMB|CNY)?\s*([\d,]+(?:\.\d+)?)\s*(万|亿)?\s*元?$", re.IGNORECASE)
_DATE_COLUMNS = ("opened_at", "acquired_at")
EPOCH = date(1970, 1, 1)


@dataclass
class HoldingsFile:
    columns: Columns
    products: Products
    rows: int
    skipped: int
    dated: bool


def _records(path: Path) -> Iterator[dict[str, object]]:
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with path.open(encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    yield {str(k).lower(): v for k, v in record.items()}
        return
    with path.open(encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            yield {str(k).strip().lower(): v for k, v in row.items() if k is not None}


def parse_day(value: object) -> int | None:
    match = _DATE.match(str(value))
    if not match:
        return None
    year, month, day = (
        match.group(1),
        match.group(2) or match.group(4),
        match.group(3) or match.group(5),
    )
    try:
        return (date(int(year), int(month), int(day)) - EPOCH).days
    except ValueError:
        return None


def parse_amount(value: object) -> float | None:
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    match = _AMOUNT.match(str(value).strip())
    if not match:
        return None
    scale = {"万": 1e4, "亿": 1e8}.get(match.group(2) or "", 1.0)
    return float(match.group(1).replace(",", "")) * scale


def read_holdings(path: Path) -> HoldingsFile:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    users: dict[str, int] = {}
    codes: dict[str, int] = {}
    seen: set[tuple[int, int]] = set()
    cust, prod, value, since = [], [], [], []
    rows = skipped = 0
    dated = False
    for record in _records(path):
        rows += 1
        key, code = (
            str(record.get("customer_key") or "").strip(),
            str(record.get("product_code") or "").strip(),
        )
        raw_day = next((record[c] for c in _DATE_COLUMNS if record.get(c)), None)
        day = parse_day(raw_day) if raw_day is not None else UNDATED
        amount = parse_amount(record["market_value"]) if record.get("market_value") else 0.0
        if not key or not code or day is None or amount is None:
            skipped += 1
            continue
        u = users.setdefault(key, len(users) + 1)
        p = codes.setdefault(code, len(codes) + 1)
        if (u, p) in seen:
            skipped += 1  # one position per customer and product, as in the database
            continue
        seen.add((u, p))
        dated |= day != UNDATED
        cust.append(u)
        prod.append(p)
        value.append(amount)
        since.append(day)
    if rows and not users:
        raise InvalidInput(f"{path}: no usable rows (customer_key and product_code are required)")
    cols = empty_columns()
    cols.customer_ids = np.arange(1, len(users) + 1, dtype=np.int64)
    cols.risk_level = np.zeros(len(users), np.int8)
    cols.advisor = np.zeros(len(users), np.int64)
    cols.holding_customer = np.array(cust, np.int64)
    cols.holding_product = np.array(prod, np.int64)
    cols.holding_value = np.array(value, np.float64)
    cols.holding_since = np.array(since, np.int32)
    p = len(codes)
    products = Products(
        ids=np.arange(1, p + 1, dtype=np.int64),
        codes=list(codes),
        names=list(codes),
        category=np.zeros(p, np.int8),
        rating=np.ones(p, np.int8),
        min_investment=np.zeros(p),
        on_sale=np.ones(p, bool),
    )
    return HoldingsFile(cols, products, rows, skipped, dated)
