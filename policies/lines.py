"""Policy lines: the unit every policy store loads and every check reports on.

A policy is a list of Casbin CSV lines (``p, advisor, Customer.phone, read, allow``).
Stores differ in where the lines live (a file today, PostgreSQL rows next), so
everything downstream — validation, the enforcer, the compiled plans, the matrix —
takes ``PolicyLine`` values and never a file or a table. Each line keeps the number
it had in its source so an error can point at it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_POLICY = Path(__file__).with_name("policy.csv")
MODEL_PATH = Path(__file__).with_name("model.conf")


@dataclass(frozen=True, slots=True)
class PolicyLine:
    """One policy line: its kind (``p``, ``p2`` or ``g``), its values, where it came from."""

    number: int
    ptype: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        return ", ".join((self.ptype, *self.values))


def parse_policy(text: str) -> list[PolicyLine]:
    """Split CSV policy text into lines; blank lines and ``#`` comments are skipped
    but still counted, so numbers match what an editor shows."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        ptype, *values = (cell.strip() for cell in stripped.split(","))
        lines.append(PolicyLine(number, ptype, tuple(values)))
    return lines


def read_policy(path: Path = DEFAULT_POLICY) -> list[PolicyLine]:
    """The lines of a policy file (the default policy unless told otherwise)."""
    return parse_policy(path.read_text(encoding="utf-8"))


def policy_version(lines: Iterable[PolicyLine]) -> str:
    """A version that changes when any line changes and only then.

    The hash is over the sorted lines, without numbers or comments: reordering a
    file or editing its comments does not invalidate compiled plans, and the same
    policy loaded from a file or from database rows has the same version.
    """
    canonical = "\n".join(sorted({str(line) for line in lines}))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
