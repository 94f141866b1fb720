"""The policy a process enforces right now: ``PolicyHolder``.

One holder per process keeps the current ``CompiledPolicy`` and hands out plans
from it. ``refresh`` reloads the store and recompiles only when the version
changed; the watcher (``policies.watcher``) calls it whenever another process
announces a change, after every reconnect, and now and then on its own.

Fail closed: when the store cannot be read, or holds lines that do not validate,
the holder forgets its policy and every plan denies every field and every row
until a later refresh succeeds. Keeping the last good policy instead would keep
serving a permission an administrator may just have revoked, for as long as the
database is out of reach.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType
from typing import Final

from policies.compiled import CompiledPolicy, FieldPlan
from policies.language import ACTIONS, Decision
from policies.store import CasbinPolicyStore

log = logging.getLogger(__name__)

# The version a deny-everything plan carries, so audits can tell it apart.
NO_POLICY: Final = "unavailable"


def deny_all(roles: Iterable[str]) -> FieldPlan:
    """A plan under which nothing is visible, filterable or writable, and no row is
    in scope: every ``decision`` lookup misses and falls back to deny."""
    no_types: Mapping[str, Mapping[str, Decision]] = MappingProxyType({})
    return FieldPlan(
        roles=frozenset(roles),
        version=NO_POLICY,
        decisions=MappingProxyType(dict.fromkeys(ACTIONS, no_types)),
        visible={},
        maskers={},
        filterable={},
        writable={},
        row_scopes=frozenset(),
    )


class PolicyHolder:
    """The current compiled policy of one process."""

    def __init__(self, store: CasbinPolicyStore, known_fields: Collection[str]) -> None:
        self.store = store
        self.known_fields = frozenset(known_fields)
        self._policy: CompiledPolicy | None = None
        self._lock = asyncio.Lock()
        self.error: str | None = "not loaded yet"

    @property
    def policy(self) -> CompiledPolicy | None:
        """The compiled policy, ``None`` while the store cannot be read."""
        return self._policy

    @property
    def version(self) -> str:
        """The version being enforced; ``NO_POLICY`` while denying everything."""
        return self._policy.version if self._policy is not None else NO_POLICY

    def plan(self, roles: Iterable[str]) -> FieldPlan:
        """The plan of a role set under the current policy, or one denying everything."""
        policy = self._policy
        return policy.plan(roles) if policy is not None else deny_all(roles)

    async def refresh(self) -> bool:
        """Reload the store; recompile when its version changed. Returns whether a
        usable policy is held afterwards. Never raises: failures deny."""
        async with self._lock:
            try:
                lines = await self.store.load()
                version = self.store.version
                if self._policy is None or self._policy.version != version:
                    self._policy = CompiledPolicy.from_lines(lines, self.known_fields)
                    log.info("policy version %s in force (%d lines)", version, len(lines))
            except Exception as exc:  # any failure must deny, not crash
                if self._policy is not None or self.error is None:
                    log.error("policy store unusable, denying everything: %s", exc)
                self._policy = None
                self.error = f"{type(exc).__name__}: {exc}"
                return False
            self.error = None
            return True
