"""Per-request context: the session, settings and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from cdp.config import Settings
from cdp.db.engine import AsyncReadSession
from schema.dataloaders.holdings import HoldingsLoader


@dataclass
class Context:
    session: AsyncReadSession
    settings: Settings
    request_id: str | None
    holdings: HoldingsLoader = field(init=False)

    def __post_init__(self) -> None:
        self.holdings = HoldingsLoader(self.session)
