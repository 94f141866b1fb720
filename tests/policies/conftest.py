"""Shared inputs: the fields the committed SDL governs and the default policy."""

from __future__ import annotations

import pytest

from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import read_policy


@pytest.fixture(scope="session")
def fields() -> frozenset[str]:
    return known_fields()


@pytest.fixture(scope="session")
def default_policy(fields: frozenset[str]) -> CompiledPolicy:
    return CompiledPolicy.from_lines(read_policy(), fields)
