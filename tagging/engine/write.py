"""Writing a run's results: diff staging against stored values, write only changes.

The diff is one statement into a temporary table: a full join of the staged
values with the stored values of the run's tags and customers, keeping the rows
that differ. Four set-based statements then apply it (delete what customers
left, update what changed, insert what they entered, append one timeline event
per change). A value whose rule was edited but that came out the same is
re-stamped with the new version without an event: its value did not change.

The diff is stored in customer order and the inserts read it in that order (a
plain scan of a fresh table returns its rows as written): the indexes on
``customer_id`` of values and events then grow at one end instead of taking
random page writes (a first run at a million customers inserts 12 M rows into
each). It changes nothing else: the order is a matter of speed only.

Evidence is written with the value; while a value stays the same its evidence is
that of the run that last changed it (rewriting every row whose underlying
numbers moved would write most rows on every run).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tagging.engine.evaluate import SCOPE, STAGING

DIFF = "tag_diff"


async def create_scope(session: AsyncSession, customer_ids: Sequence[int]) -> None:
    """The customers an incremental run covers (a full run covers everyone)."""
    await session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{SCOPE}"))
    await session.execute(
        text(f"CREATE TEMP TABLE {SCOPE} (customer_id bigint PRIMARY KEY) ON COMMIT DROP")
    )
    await session.execute(
        text(f"INSERT INTO {SCOPE} SELECT unnest(CAST(:ids AS bigint[]))"), {"ids": customer_ids}
    )
    # Without statistics the planner guesses the scope large and scans every value
    # of the run's tags instead of looking the few customers up.
    await session.execute(text(f"ANALYZE {SCOPE}"))


async def diff(session: AsyncSession, tag_ids: Sequence[int], *, scoped: bool) -> None:
    # Scoped: driven by the few customers of the scope, through the customer index.
    scope_join = f"JOIN {SCOPE} sc ON sc.customer_id = v.customer_id" if scoped else ""
    await session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{DIFF}"))
    await session.execute(
        text(
            f"""
            CREATE TEMP TABLE {DIFF} ON COMMIT DROP AS
            SELECT coalesce(s.tag_id, v.tag_id) AS tag_id,
                   coalesce(s.customer_id, v.customer_id) AS customer_id,
                   v.value AS old_value, s.value AS new_value, s.evidence,
                   coalesce(s.version, d.version) AS version,
                   CASE WHEN v.tag_id IS NULL THEN 'entered'
                        WHEN s.tag_id IS NULL THEN 'left'
                        WHEN v.value <> s.value THEN 'changed' END AS kind
            FROM {STAGING} s
            FULL JOIN (
                SELECT v.* FROM tag_value v {scope_join}
                WHERE v.tag_id = ANY(CAST(:tags AS integer[])) AND v.source = 'rule'
            ) v ON v.tag_id = s.tag_id AND v.customer_id = s.customer_id
            LEFT JOIN tag_definition d ON d.id = v.tag_id
            WHERE v.tag_id IS NULL OR s.tag_id IS NULL
               OR v.value <> s.value OR v.version <> s.version
            ORDER BY 2, 1
            """
        ),
        {"tags": list(tag_ids)},
    )


async def apply(session: AsyncSession, run_id: int) -> None:
    params = {"run": run_id}
    await session.execute(
        text(
            f"DELETE FROM tag_value v USING {DIFF} x WHERE x.kind = 'left'"
            " AND v.tag_id = x.tag_id AND v.customer_id = x.customer_id"
        )
    )
    await session.execute(
        text(
            f"UPDATE tag_value v SET value = x.new_value, evidence = x.evidence,"
            " version = x.version, run_id = :run, updated_at = now()"
            f" FROM {DIFF} x WHERE (x.kind = 'changed' OR x.kind IS NULL)"
            " AND v.tag_id = x.tag_id AND v.customer_id = x.customer_id"
        ),
        params,
    )
    await session.execute(
        text(
            "INSERT INTO tag_value (tag_id, customer_id, value, evidence, version, run_id, source)"
            f" SELECT tag_id, customer_id, new_value, evidence, version, :run, 'rule'"
            f" FROM {DIFF} WHERE kind = 'entered'"
        ),
        params,
    )
    await session.execute(
        text(
            "INSERT INTO tag_event (tag_id, customer_id, kind, old_value, new_value, version,"
            " run_id, occurred_at)"
            " SELECT tag_id, customer_id, kind, old_value, new_value, version, :run, now()"
            f" FROM {DIFF} WHERE kind IS NOT NULL"
        ),
        params,
    )


async def change_counts(session: AsyncSession) -> dict[int, dict[str, int]]:
    """Per tag id: entered / left / changed in this run."""
    rows = await session.execute(
        text(f"SELECT tag_id, kind, count(*) FROM {DIFF} WHERE kind IS NOT NULL GROUP BY 1, 2")
    )
    counts: dict[int, dict[str, int]] = {}
    for tag_id, kind, n in rows:
        counts.setdefault(tag_id, {})[kind] = int(n)
    return counts


async def value_counts(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(text(f"SELECT tag_id, count(*) FROM {STAGING} GROUP BY 1"))
    return {int(tag_id): int(n) for tag_id, n in rows}


async def drop(session: AsyncSession) -> None:
    for name in (DIFF, SCOPE):
        await session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{name}"))
