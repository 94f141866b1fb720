"""The base of every loader: its batch function runs under the request's session lock.

One ``AsyncSession`` runs one statement at a time, while graphql-core resolves
sibling fields concurrently and each DataLoader dispatches its batch as its own
task. The lock serialises them; batching keeps their number small.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from strawberry.dataloader import DataLoader

from cdp.db.engine import AsyncReadSession
from schema.permissions import FieldPolicy

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True)
class Deps:
    session: AsyncReadSession
    lock: asyncio.Lock
    policy: FieldPolicy


class BatchLoader(DataLoader[K, V], Generic[K, V]):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        super().__init__(load_fn=self._locked)

    async def _locked(self, keys: list[K]) -> Sequence[V]:
        async with self.deps.lock:
            return await self.fetch(keys)

    async def fetch(self, keys: list[K]) -> Sequence[V]:
        raise NotImplementedError
