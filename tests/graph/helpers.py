"""Hand-built graphs in the test database, and the graph state read back from it."""

from __future__ import annotations

from datetime import date

from cdp.config import get_settings
from cdp.db.engine import Database
from graph.state import build_state
from graph.sync import GraphState

TODAY = date(2026, 12, 1)


async def state_of(db: Database, with_networkx: bool = True) -> GraphState:
    return await build_state(db, get_settings(), with_networkx=with_networkx)
