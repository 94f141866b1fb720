"""Per-request context: session, database, settings, principal, permission policy, loaders.

``policy`` is the permission seam (see ``schema.permissions``); the composition
root passes the caller's policy, and without one a context denies everything, so an
entry point that forgets it fails closed. ``lock``
serialises statements on the one session (see ``schema.dataloaders.base``).
``audit`` gathers the sensitive fields the request reads in clear; the composition
root turns it into an audit entry, with ``purpose`` and ``operation``, afterwards.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

from cdp.config import Settings
from cdp.db.engine import AsyncReadSession, Database
from cdp.principal import Principal
from graph.service import GraphService
from policies.audit.reads import SensitiveReads
from schema.dataloaders.base import Deps
from schema.dataloaders.registry import Loaders
from schema.permissions import DenyAll, FieldPolicy


@dataclass
class Context:
    session: AsyncReadSession
    settings: Settings
    request_id: str | None
    # Mutations open their own write session from here; reads use ``session``.
    db: Database
    # Who is calling, authenticated before the request reached GraphQL.
    principal: Principal
    policy: FieldPolicy = field(default_factory=DenyAll)
    # One "today" per request, so ages and expiries agree across a response.
    today: date = field(default_factory=date.today)
    # Why the caller reads sensitive data (the X-Purpose header), if it said.
    purpose: str | None = None
    # What this request read of sensitive data, for the audit trail.
    audit: SensitiveReads = field(default_factory=SensitiveReads)
    # The operation being executed, set once the document is parsed.
    operation: str | None = None
    # The process's knowledge graph (``cdp.app`` keeps it fresh); none outside a server.
    graph: GraphService | None = None
    lock: asyncio.Lock = field(init=False)
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.lock = asyncio.Lock()
        self.loaders = Loaders(Deps(self.session, self.lock, self.policy))
