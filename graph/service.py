"""The graph as one object a server process (or the GraphQL layer) holds.

``GraphService`` owns the memory-mapped core of the current snapshot and keeps it
fresh: ``refresh`` catches up from the database since the watermark and, when
``cdp graph build`` has stored a newer snapshot, switches to it (the old mapping
is dropped with the old state). Each method answers one question in domain
terms; the schema layer maps them to types and passes the caller's readable
fields (``may_read``) so reasons and ranking stay within what the caller may see.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cdp.config import Settings
from cdp.db.engine import Database
from cdp.errors import NotFound, Unavailable
from graph import households, referrals
from graph.crosssell.profiles import load_profiles
from graph.crosssell.reasons import signals_for
from graph.crosssell.service import ADVICE, CrossSell, recommend
from graph.households import Gap, HouseholdView
from graph.state import open_state, snapshot_dir
from graph.sync import CatchUp, GraphState, catch_up


class GraphService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._state: GraphState | None = None
        self._snapshot: str | None = None
        self._refreshed = float("-inf")  # monotonic time of the last refresh
        self._lock = asyncio.Lock()  # one refresh at a time: it mutates the state

    @property
    def state(self) -> GraphState:
        if self._state is None:
            raise Unavailable("the knowledge graph is not built yet; run `cdp graph build`")
        return self._state

    def _current(self) -> str | None:
        pointer = snapshot_dir(self.settings) / "current"
        return pointer.read_text().strip() if pointer.is_file() else None

    async def refresh(self) -> CatchUp | None:
        """Switch to a newer stored snapshot if there is one, then catch up."""
        async with self._lock:
            result = await self._refresh()
            self._refreshed = time.monotonic()
            return result

    async def fresh(self, max_age: float) -> None:
        """Refresh unless the last refresh is younger than ``max_age`` seconds, so a
        write reaches this process's next answer without waiting for the timer."""
        if time.monotonic() - self._refreshed >= max_age:
            await self.refresh()

    async def _refresh(self) -> CatchUp | None:
        current = self._current()
        if current is None:
            return None
        if current != self._snapshot or self._state is None:
            self._state = await open_state(self.db, self.settings)
            self._snapshot = current
            return CatchUp()
        return await catch_up(self._state, self.db)

    async def cross_sell(
        self,
        customer_id: int,
        first: int,
        today: date,
        *,
        may_read: Callable[[str], bool],
        purpose: str = ADVICE,
    ) -> CrossSell:
        async with self.db.read_session() as session:
            profiles = await load_profiles(session, [customer_id])
        if customer_id not in profiles:
            raise NotFound(f"no customer {customer_id}")
        signals = signals_for(may_read)
        return recommend(
            self.state.core, profiles[customer_id], first, today, purpose=purpose, signals=signals
        )

    def referral_network(self, customer_id: int, depth: int) -> referrals.Cascade:
        return referrals.cascade(self.state.core, customer_id, depth)

    def top_referrers(self, first: int) -> list[referrals.Referrer]:
        return referrals.top_referrers(self.state.core, first)

    def prospects(self, first: int) -> list[referrals.Prospect]:
        return referrals.prospects(
            self.state.core,
            float(self.settings.tier_hnw_min),
            float(self.settings.tier_potential_min),
            first,
        )

    def household(self, customer_id: int) -> HouseholdView | None:
        mine = self.state.core.household_of(customer_id)
        if mine is None:
            return None
        return households.view(
            self.state.core,
            mine[0],
            float(self.settings.tier_potential_min),
            float(self.settings.tier_hnw_min),
        )

    async def household_gaps(self, customer_id: int, today: date) -> list[Gap]:
        family = self.household(customer_id)
        if family is None:
            return []
        async with self.db.read_session() as session:
            profile = (await load_profiles(session, [customer_id]))[customer_id]
        return households.gaps(self.state.core, family, profile, today)

    @property
    def snapshot_path(self) -> Path | None:
        return snapshot_dir(self.settings) / self._snapshot if self._snapshot else None
