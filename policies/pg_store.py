"""Policy lines in PostgreSQL: ``PgPolicyStore`` and the one way to change them.

Rows live in ``casbin_rule`` (the casbin-async-sqlalchemy-adapter layout, see
``cdp.db.models.policy``), seeded with the default policy by the migration that
creates the table. Lines are read with a plain select rather than through the
adapter: the adapter loads into an enforcer, and we need ``PolicyLine`` values to
validate, version and compile.

A change is applied in one transaction that (1) takes a transaction-level
advisory lock, so two administrators' changes are serialised instead of each
validating against a policy the other is replacing, (2) validates the whole
resulting policy, not just the new lines (removing a parent role can break a
``g`` line elsewhere), and (3) sends ``NOTIFY`` on ``POLICY_CHANNEL``, which
PostgreSQL delivers only if and when the transaction commits — every process's
watcher then reloads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Final

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.engine import Database
from cdp.db.models import PolicyRule
from cdp.errors import InvalidInput
from policies.lines import PolicyLine, policy_version
from policies.store import CasbinPolicyStore
from policies.validation import lint

POLICY_CHANNEL: Final = "cdp_policy"
# Any constant works; it only has to be the same in every process.
_LOCK_KEY: Final = 0x0CD9_0011
_VALUES: Final = ("v0", "v1", "v2", "v3", "v4", "v5")
_COLUMNS: Final = (PolicyRule.id, PolicyRule.ptype, *(getattr(PolicyRule, v) for v in _VALUES))


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """Lines to add and lines to remove, applied together or not at all."""

    add: Sequence[PolicyLine] = field(default_factory=tuple)
    remove: Sequence[PolicyLine] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class AppliedChange:
    """A change as committed: the new version, the whole policy, the lines added."""

    version: str
    lines: Sequence[PolicyLine]
    added: Sequence[PolicyLine]


class PgPolicyStore(CasbinPolicyStore):
    """Policy lines in the database of ``db``."""

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db

    async def _read(self) -> Sequence[PolicyLine]:
        async with self.db.read_session() as session:
            return await stored_lines(session)

    async def apply(self, change: PolicyChange, known_fields: Collection[str]) -> str:
        """Apply ``change`` and return the new version; ``InvalidInput`` (nothing
        changed) when a removed line is not in the policy or the result is invalid."""
        return (await self.apply_change(change, known_fields)).version

    async def apply_change(
        self, change: PolicyChange, known_fields: Collection[str]
    ) -> AppliedChange:
        """``apply``, answering with the resulting policy and its new lines (the
        objects of ``lines``), for checks that look at the outcome."""
        async with self.db.write_session() as session:
            await session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))
            current = await stored_lines(session)
            ids = {str(line): line.number for line in current}
            missing = [str(line) for line in change.remove if str(line) not in ids]
            if missing:
                raise InvalidInput(
                    "not in the policy: " + "; ".join(missing), lines=missing, field="remove"
                )
            gone = {ids[str(line)] for line in change.remove}
            kept = [line for line in current if line.number not in gone]
            # New lines are numbered after the stored ones so errors can tell them apart.
            top = max((line.number for line in current), default=0)
            added = [
                PolicyLine(top + i, line.ptype, line.values)
                for i, line in enumerate(change.add, start=1)
            ]
            result = [*kept, *added]
            _check(result, known_fields)
            if gone:
                await session.execute(delete(PolicyRule).where(PolicyRule.id.in_(gone)))
            if added:
                await session.execute(insert(PolicyRule), [_row(line) for line in added])
            version = policy_version(result)
            await session.execute(
                text("SELECT pg_notify(:channel, :version)"),
                {"channel": POLICY_CHANNEL, "version": version},
            )
        self._version = version
        return AppliedChange(version, result, added)


async def stored_lines(session: AsyncSession) -> list[PolicyLine]:
    """The stored lines, read on ``session``: a caller that already holds one reads
    on it rather than opening a second beside it (``PgPolicyStore.load``)."""
    rows = await session.execute(select(*_COLUMNS).order_by(PolicyRule.id))
    lines = []
    for number, ptype, *values in rows:
        # Unused value columns are NULL.
        present = tuple(v for v in values if v is not None)
        lines.append(PolicyLine(number, ptype or "", present))
    return lines


def _check(lines: Sequence[PolicyLine], known_fields: Collection[str]) -> None:
    """``InvalidInput`` quoting each offending line: row ids mean nothing to a caller."""
    by_number = {line.number: str(line) for line in lines}
    problems = [(by_number[p.line], p.message) for p in lint(lines, known_fields)]
    if problems:
        raise InvalidInput(
            "invalid policy: " + "; ".join(f"{line!r}: {message}" for line, message in problems),
            problems=[{"line": line, "message": message} for line, message in problems],
        )


def _row(line: PolicyLine) -> dict[str, str | None]:
    if len(line.values) > len(_VALUES):
        raise InvalidInput(f"a policy line has at most {len(_VALUES)} values: {line}")
    return {
        "ptype": line.ptype,
        **dict.fromkeys(_VALUES),
        **dict(zip(_VALUES, line.values, strict=False)),
    }
