"""Where policy lines live: ``CasbinPolicyStore`` and its file-backed implementation.

The API compiles whatever a store loads, so stores only need two things: ``load()``
returns the current lines and ``version`` identifies them (the hash of the sorted
lines, ``policies.lines.policy_version``, so a file and database rows holding the
same policy have the same version and plans are recompiled only on real changes).
``load`` is asynchronous because the PostgreSQL store (Casbin rows through
casbin-async-sqlalchemy-adapter, changes announced with LISTEN/NOTIFY) reads the
database; a watcher then only has to call ``load`` again and compare versions.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from cdp.errors import NotFound
from policies.lines import DEFAULT_POLICY, PolicyLine, parse_policy, policy_version


class CasbinPolicyStore(ABC):
    """A source of policy lines."""

    def __init__(self) -> None:
        self._version: str | None = None

    @property
    def version(self) -> str | None:
        """The version of the lines the last ``load`` returned; ``None`` before any."""
        return self._version

    async def load(self) -> Sequence[PolicyLine]:
        """The current policy lines, in their stored order."""
        lines = await self._read()
        self._version = policy_version(lines)
        return lines

    @abstractmethod
    async def _read(self) -> Sequence[PolicyLine]:
        """Read the lines from the backing storage."""


class FilePolicyStore(CasbinPolicyStore):
    """Policy lines in a Casbin CSV file (the default policy unless told otherwise)."""

    def __init__(self, path: Path = DEFAULT_POLICY) -> None:
        super().__init__()
        self.path = path

    async def _read(self) -> Sequence[PolicyLine]:
        try:
            text = await asyncio.to_thread(self.path.read_text, encoding="utf-8")
        except FileNotFoundError:
            raise NotFound(f"no policy file at {self.path}") from None
        return parse_policy(text)
