"""The core on disk: written once by the builder, memory-mapped by every server worker.

Each array is one ``.npy`` file in a versioned directory; ``current`` names the
newest complete one (written last, renamed into place, so a reader never sees a
half-written snapshot). Workers open the arrays with ``mmap_mode="c"``: the pages
come from the operating system's page cache, shared by all processes, and an
incremental update (a counter bumped by a new holding) copies only the page it
touches into the worker. N workers therefore cost one core plus N small deltas.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from graph.core import Core, Products

_PRODUCT_ARRAYS = ("ids", "category", "rating", "min_investment", "on_sale")
_CORE_ARRAYS = tuple(f.name for f in fields(Core) if f.name not in ("products", "delta"))
KEEP = 2  # snapshots kept besides the current one, for workers still reading them


def save(core: Core, root: Path, watermark: datetime, referral_id: int) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    # Ordered by watermark; the suffix tells apart two builds of the same moment.
    name = f"{watermark:%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"
    target = root / name
    staging = root / f".{name}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for attr in _CORE_ARRAYS:
        np.save(staging / f"{attr}.npy", np.ascontiguousarray(getattr(core, attr)))
    for attr in _PRODUCT_ARRAYS:
        np.save(staging / f"product_{attr}.npy", getattr(core.products, attr))
    meta = {
        "watermark": watermark.isoformat(),
        "referral_id": referral_id,
        "codes": core.products.codes,
        "names": core.products.names,
    }
    (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    pointer = root / ".current.tmp"
    pointer.write_text(name)
    os.replace(pointer, root / "current")
    _prune(root, name)
    return target


def load(root: Path) -> tuple[Core, datetime, int]:
    """The current snapshot, memory-mapped copy-on-write; raises FileNotFoundError if none."""
    directory = root / (root / "current").read_text().strip()
    meta = json.loads((directory / "meta.json").read_text())

    def array(name: str) -> np.ndarray:
        loaded: np.ndarray = np.load(directory / f"{name}.npy", mmap_mode="c")
        return loaded

    products = Products(
        ids=array("product_ids"),
        codes=meta["codes"],
        names=meta["names"],
        category=array("product_category"),
        rating=array("product_rating"),
        min_investment=array("product_min_investment"),
        on_sale=array("product_on_sale"),
    )
    arrays: dict[str, Any] = {attr: array(attr) for attr in _CORE_ARRAYS}
    core = Core(products=products, **arrays)
    return core, datetime.fromisoformat(meta["watermark"]), int(meta["referral_id"])


def _prune(root: Path, current: str) -> None:
    older = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for stale in [p for p in older if p.name != current][:-KEEP]:
        shutil.rmtree(stale, ignore_errors=True)
