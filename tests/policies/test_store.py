"""The file-backed policy store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdp.errors import NotFound
from policies.lines import policy_version, read_policy
from policies.store import CasbinPolicyStore, FilePolicyStore


async def test_loads_the_default_policy() -> None:
    store: CasbinPolicyStore = FilePolicyStore()
    assert store.version is None
    lines = await store.load()
    assert list(lines) == read_policy()
    assert store.version == policy_version(lines)


async def test_version_follows_the_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.csv"
    path.write_text("p, a, Customer.name, read, allow\n", encoding="utf-8")
    store = FilePolicyStore(path)
    await store.load()
    first = store.version
    await store.load()
    assert store.version == first
    path.write_text("p, a, Customer.name, read, mask\n", encoding="utf-8")
    await store.load()
    assert store.version != first


async def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no policy file"):
        await FilePolicyStore(tmp_path / "missing.csv").load()
