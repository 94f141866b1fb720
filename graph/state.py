"""Making a ``GraphState``: from the database (the builder) or from the stored snapshot.

The builder reads a snapshot (``graph.load``), assembles the core and, when
asked, writes it for the server's workers (``graph.store``). A server worker
opens the stored snapshot memory-mapped and catches up from its watermark;
batch commands build in memory with the networkx twin.
"""

from __future__ import annotations

from pathlib import Path

from cdp.config import Settings
from cdp.db.engine import Database
from graph import store
from graph.build import assemble
from graph.load import Progress, Snapshot, read_snapshot
from graph.model import to_networkx
from graph.sync import GraphState, catch_up


def snapshot_dir(settings: Settings) -> Path:
    return Path(settings.data_dir) / "graph"


def state_from(snapshot: Snapshot, settings: Settings, with_networkx: bool) -> GraphState:
    core = assemble(
        snapshot.columns,
        snapshot.products,
        float(settings.tier_potential_min),
        float(settings.tier_hnw_min),
    )
    graph = to_networkx(snapshot.columns, snapshot.products) if with_networkx else None
    return GraphState(core, snapshot.watermark, snapshot.referral_id, graph)


async def build_state(
    db: Database,
    settings: Settings,
    *,
    with_networkx: bool = False,
    progress: Progress | None = None,
) -> GraphState:
    snapshot = await read_snapshot(db, progress)
    return state_from(snapshot, settings, with_networkx)


def write_state(state: GraphState, settings: Settings) -> Path:
    return store.save(state.core, snapshot_dir(settings), state.watermark, state.referral_id)


async def open_state(db: Database, settings: Settings) -> GraphState:
    """The stored snapshot (memory-mapped), caught up with the database."""
    core, watermark, referral_id = store.load(snapshot_dir(settings))
    state = GraphState(core, watermark, referral_id)
    await catch_up(state, db)
    return state
