"""Per-request context: session, database, settings, principal, permission policy, loaders.

``policy`` is the permission seam (see ``schema.permissions``); the composition
root passes the caller's policy, and the default allows everything. ``lock``
serialises statements on the one session (see ``schema.dataloaders.base``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

from cdp.config import Settings
from cdp.db.engine import AsyncReadSession, Database
from cdp.principal import Principal
from schema.dataloaders.base import Deps
from schema.dataloaders.registry import Loaders
from schema.permissions import AllowAll, FieldPolicy


@dataclass
class Context:
    session: AsyncReadSession
    settings: Settings
    request_id: str | None
    # Mutations open their own write session from here; reads use ``session``.
    db: Database
    # Who is calling, authenticated before the request reached GraphQL.
    principal: Principal
    policy: FieldPolicy = field(default_factory=AllowAll)
    # One "today" per request, so ages and expiries agree across a response.
    today: date = field(default_factory=date.today)
    lock: asyncio.Lock = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.lock = asyncio.Lock()
        self.loaders = Loaders(Deps(self.session, self.lock, self.policy))
