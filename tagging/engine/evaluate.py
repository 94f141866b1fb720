"""Evaluating tags set-based: features once, then many tags per statement.

The per-customer features (aggregates over holdings, transactions, interactions,
households) are computed once per run into a temporary table of plain numbers.
Each statement then evaluates a batch of tags over that table in one pass, as a
``LATERAL (VALUES …)`` that turns each customer row into one row per tag, and
keeps only the rows where the customer has the tag; evidence is built only for
those rows. Results go to a staging table that the write step diffs against the
stored values. A tag that reads another tag of the run reads its new value, so
layers run in dependency order; the values later layers read are also copied, as
they are staged, into a narrow table (``RUN_READS``: customer, tag, value as
text) from the same statement's ``RETURNING``. Pivoting staging itself would scan
every staged row and its evidence for each later batch: at a million customers,
most of a minute per batch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ClauseElement,
    ColumnElement,
    Executable,
    FromClause,
    Integer,
    Numeric,
    Select,
    TableClause,
    Text,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    null,
    select,
    table,
    text,
    true,
    values,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from cdp.db.models import Consent, TagDefinition, TagValue
from tagging.compiler import FeatureColumns
from tagging.engine.plan import PlannedTag
from tagging.features import feature_query
from tagging.language.typed import Attr
from tagging.language.typed import TagValue as TagValueSpec
from tagging.language.types import Kind
from tagging.language.walk import nodes

FEATURES = "tag_features"
STAGING = "tag_staging"
SCOPE = "tag_scope"
RUN_READS = "tag_run_reads"
# Tags per statement: enough to share the pass over the features, few enough that
# the statement stays small to plan and a progress bar moves.
BATCH = 25
# jsonb_build_object takes at most 100 arguments: 50 evidence entries per tag.
MAX_EVIDENCE = 50


class CreateTempTableAs(Executable, ClauseElement):
    """``CREATE TEMP TABLE name ON COMMIT DROP AS <select>``, with bound parameters."""

    inherit_cache = False

    def __init__(self, name: str, query: Select[Any]) -> None:
        self.name = name
        self.query = query


@compiles(CreateTempTableAs)
def _create_temp_table_as(element: CreateTempTableAs, compiler: SQLCompiler, **kw: Any) -> str:
    return (
        f"CREATE TEMP TABLE {element.name} ON COMMIT DROP AS "
        f"{compiler.process(element.query, **kw)}"
    )


@dataclass(frozen=True)
class Features:
    """The run's materialised features and their column names."""

    table: FromClause
    rows: int


def profiling_allowed(customer_id: Any) -> ColumnElement[bool]:
    """Only an explicit ``profiling`` grant lets a customer be profiled (PIPL).

    Read from the consent table directly: the consent gates live in ``policies``,
    a sibling domain this package does not import; the rule is the same.
    """
    c = Consent.__table__.alias("profiling_consent")
    return (
        select(literal(1))
        .where(c.c.customer_id == customer_id, c.c.purpose == "profiling", c.c.granted.is_(True))
        .exists()
    )


# The path of a JSON document's root: ``value #>> '{}'`` is a JSON scalar as text.
_WHOLE: ColumnElement[Any] = literal_column("'{}'::text[]")


def _column_type(spec: TagValueSpec) -> Any:
    kind = spec.type.kind
    if kind is Kind.BOOLEAN:
        return Boolean()
    if kind is Kind.NUMBER:
        return Numeric()
    return Text()


async def drop_temp_tables(session: AsyncSession) -> None:
    """Temp tables normally go at commit; a run inside a caller's transaction drops them."""
    for name in (FEATURES, STAGING, RUN_READS):
        await session.execute(text(f"DROP TABLE IF EXISTS pg_temp.{name}"))


async def materialise_features(
    session: AsyncSession,
    tags: Iterable[PlannedTag],
    *,
    as_of: datetime,
    customer_ids: Select[Any] | None,
) -> Features:
    """Compute every aggregate the run's tags need, once, for profiled customers."""
    tags = list(tags)
    specs = {spec for tag in tags for spec in tag.compiled.aggregates}
    # Only the columns the rules read: copying unread customer fields (an encrypted
    # ID number…) into the feature table costs for nothing.
    attrs = {n.name for t in tags for n in nodes(t.compiled.rule.expr) if isinstance(n, Attr)}
    query = feature_query(
        sorted(specs, key=lambda s: s.name),
        as_of=as_of,
        customer_ids=customer_ids,
        # Tags of this run are read from the run's own values (``_run_features``):
        # their stored values would be pivoted out of every stored value for nothing.
        tag_values=stored_tag_values(customer_ids, skip={t.key for t in tags}),
        attributes=sorted(attrs),
    ).subquery("f")
    wanted = {"customer_id", *attrs, *(s.name for s in specs)}
    kept = [c for c in query.c if c.name in wanted]
    allowed = select(*kept).where(profiling_allowed(query.c.customer_id))
    result = await session.execute(CreateTempTableAs(FEATURES, allowed))
    rows = getattr(result, "rowcount", -1)
    if rows is None or rows < 0:
        rows = await session.scalar(text(f"SELECT count(*) FROM {FEATURES}")) or 0
    # Temporary tables get no statistics by themselves; later layers join on it.
    await session.execute(text(f"ANALYZE {FEATURES}"))
    cols = [column(c.name, c.type) for c in kept]
    return Features(table(FEATURES, *cols), int(rows))


async def create_staging(session: AsyncSession) -> FromClause:
    await session.execute(
        text(
            f"CREATE TEMP TABLE {STAGING} (tag_id integer NOT NULL, customer_id bigint NOT NULL,"
            " value jsonb NOT NULL, evidence jsonb NOT NULL, version integer NOT NULL)"
            " ON COMMIT DROP"
        )
    )
    await session.execute(
        text(
            f"CREATE TEMP TABLE {RUN_READS} (tag_id integer NOT NULL,"
            " customer_id bigint NOT NULL, value text) ON COMMIT DROP"
        )
    )
    return staging_table()


def staging_table() -> TableClause:
    return table(
        STAGING,
        column("tag_id", Integer),
        column("customer_id"),
        column("value", JSONB),
        column("evidence", JSONB),
        column("version", Integer),
    )


def _run_reads_table() -> TableClause:
    return table(RUN_READS, column("tag_id", Integer), column("customer_id"), column("value", Text))


def _run_features(
    features: Features, batch: Sequence[PlannedTag], in_run: dict[str, int]
) -> FeatureColumns:
    """The features, except that tags of this run are read from staging.

    The feature table holds every tag's *stored* value; a tag of a later layer that
    reads a tag of this run must see its new value, computed into staging by an
    earlier layer: one pivot of those values (``RUN_READS``) per statement replaces
    those columns.
    """
    reads = sorted(
        {
            spec
            for tag in batch
            for spec in tag.compiled.aggregates
            if isinstance(spec, TagValueSpec) and spec.key in in_run
        },
        key=lambda s: s.name,
    )
    if not reads:
        return FeatureColumns(features.table)
    staged = _run_reads_table()
    pivot = (
        select(
            staged.c.customer_id,
            *(
                func.max(staged.c.value).filter(staged.c.tag_id == in_run[s.key]).label(s.name)
                for s in reads
            ),
        )
        .where(staged.c.tag_id.in_(sorted({in_run[s.key] for s in reads})))
        .group_by(staged.c.customer_id)
        .subquery("run_tags")
    )
    f = features.table
    replaced = {s.name for s in reads}
    columns = [c for c in f.c if c.name not in replaced]
    columns += [cast(pivot.c[s.name], _column_type(s)).label(s.name) for s in reads]
    joined = f.outerjoin(pivot, pivot.c.customer_id == f.c.customer_id)
    return FeatureColumns(select(*columns).select_from(joined).subquery("features"))


def stored_tag_values(
    customer_ids: Select[Any] | None = None, *, skip: Iterable[str] = ()
) -> FromClause:
    """Current values as ``feature_query`` reads other tags: (customer_id, tag_key, text).

    ``skip``: tag keys left out (none of their rows is read).
    """
    stmt = select(
        TagValue.customer_id,
        TagDefinition.key.label("tag_key"),
        TagValue.value.op("#>>")(_WHOLE).label("value"),
    ).join(TagDefinition, TagDefinition.id == TagValue.tag_id)
    if customer_ids is not None:
        stmt = stmt.where(TagValue.customer_id.in_(customer_ids))
    skipped = sorted(set(skip))
    if skipped:
        stmt = stmt.where(TagDefinition.key.not_in(skipped))
    return stmt.subquery("stored_tag_values")


def _tag_id(key: str) -> ColumnElement[int]:
    return select(TagDefinition.id).where(TagDefinition.key == key).scalar_subquery()


def _evidence(tag: PlannedTag, f: FeatureColumns) -> ColumnElement[Any]:
    pairs: list[Any] = []
    for label, expr in tag.compiled.evidence(f)[:MAX_EVIDENCE]:
        pairs.extend((literal(label), expr))
    if not pairs:
        return cast(literal("{}"), JSONB)
    return func.jsonb_build_object(*pairs)


def read_later(layered: Sequence[Sequence[PlannedTag]]) -> set[int]:
    """Ids of the run's tags that other tags of the run read."""
    in_run = {tag.key: tag.id for layer in layered for tag in layer}
    return {
        in_run[spec.key]
        for layer in layered
        for tag in layer
        for spec in tag.compiled.aggregates
        if isinstance(spec, TagValueSpec) and spec.key in in_run
    }


def batch_statement(
    features: Features,
    batch: Sequence[PlannedTag],
    in_run: dict[str, int],
    read: set[int] | frozenset[int] = frozenset(),
) -> Executable:
    """INSERT the batch's values (and evidence, where the customer has the tag) to staging.

    Values of tags in ``read`` (ids) are copied to ``RUN_READS`` by the same statement.
    """
    f = _run_features(features, batch, in_run)
    rows = [
        (literal(tag.id), literal(tag.version), func.to_jsonb(tag.compiled.value(f)))
        for tag in batch
    ]
    v = values(
        column("tag_id", Integer), column("version", Integer), column("value", JSONB), name="v"
    ).data(rows)
    lateral = v.lateral("v")
    evidence = case(
        *((lateral.c.tag_id == tag.id, _evidence(tag, f)) for tag in batch), else_=null()
    )
    query = (
        select(
            lateral.c.tag_id,
            f.customer_id,
            lateral.c.value,
            evidence,
            lateral.c.version,
        )
        .select_from(f.source.join(lateral, true()))
        .where(
            and_(
                lateral.c.value.is_not(None),
                lateral.c.value != cast(literal("false"), JSONB),
                lateral.c.value != cast(literal("null"), JSONB),
            )
        )
    )
    staged = staging_table()
    insert = staged.insert().from_select(
        ["tag_id", "customer_id", "value", "evidence", "version"], query
    )
    copied = sorted(read & {tag.id for tag in batch})
    if not copied:
        return insert
    inserted = insert.returning(staged.c.tag_id, staged.c.customer_id, staged.c.value).cte("staged")
    reads = _run_reads_table()
    return reads.insert().from_select(
        ["tag_id", "customer_id", "value"],
        select(inserted.c.tag_id, inserted.c.customer_id, inserted.c.value.op("#>>")(_WHOLE)).where(
            inserted.c.tag_id.in_(copied)
        ),
    )


async def evaluate_layers(
    session: AsyncSession,
    features: Features,
    layered: Sequence[Sequence[PlannedTag]],
    *,
    on_batch: Callable[[Sequence[PlannedTag], float], None],
) -> None:
    """Evaluate every layer into staging, ``BATCH`` tags per statement."""
    in_run = {tag.key: tag.id for layer in layered for tag in layer}
    read = read_later(layered)
    for layer in layered:
        for start in range(0, len(layer), BATCH):
            batch = layer[start : start + BATCH]
            began = time.perf_counter()
            await session.execute(batch_statement(features, batch, in_run, read))
            on_batch(batch, time.perf_counter() - began)
        # Temporary tables get no statistics by themselves; the next layer's pivot
        # and the diff are planned on these.
        await session.execute(text(f"ANALYZE {STAGING}"))
        if read:
            await session.execute(text(f"ANALYZE {RUN_READS}"))
