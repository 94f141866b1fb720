"""Definitions: versions on every edit, status transitions, the has_tag DAG, errors."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import TagEvent, TagValue, TagVersion
from cdp.errors import Conflict, InvalidInput
from tagging.definitions import (
    TagSpec,
    archive_tag,
    create_tag,
    get_tag,
    publish_tag,
    update_tag,
)
from tagging.language import ForbiddenRuleFilter, RuleError, TagCycle
from tests.factories import create_customer

HNW = TagSpec(
    key="hnw",
    name_zh="高净值",
    name_en="High net worth",
    category="assets",
    rule="aum >= 6000000",
)


def _spec(key: str, rule: str) -> TagSpec:
    return TagSpec(key=key, name_zh=key, name_en=key, category="test", rule=rule)


async def _versions(session: AsyncWriteSession, tag_id: int) -> list[int]:
    rows = await session.scalars(
        select(TagVersion.version).where(TagVersion.tag_id == tag_id).order_by(TagVersion.version)
    )
    return list(rows)


async def test_every_edit_is_a_new_version(session: AsyncWriteSession) -> None:
    tag = await create_tag(session, HNW, actor="alice")
    assert (tag.status, tag.version, tag.owner) == ("draft", 1, "alice")
    assert tag.permission_fields == ["Customer.aum"]

    await update_tag(session, "hnw", {"rule": "aum >= 10000000"}, actor="bob")
    await update_tag(session, "hnw", {"name_en": "Private banking"}, actor="bob")
    # An edit that changes nothing makes no version.
    await update_tag(session, "hnw", {"rule": "aum >= 10000000"}, actor="bob")

    tag = await get_tag(session, "hnw")
    assert tag.version == 3
    assert await _versions(session, tag.id) == [1, 2, 3]
    first = await session.get(TagVersion, (tag.id, 1))
    assert first is not None
    assert first.spec["rule"] == "aum >= 6000000"
    assert first.created_by == "alice"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "other"}, "cannot change key"),
        ({"value_type": "colour"}, "value type"),
        ({"rule": ""}, "needs a rule"),
        ({"name_zh": ""}, "name_zh"),
        ({"enum_values": ("a",)}, "only an enum tag"),
    ],
)
async def test_bad_edits_are_refused(
    session: AsyncWriteSession, changes: dict[str, object], message: str
) -> None:
    await create_tag(session, HNW, actor="alice")
    with pytest.raises(InvalidInput, match=message):
        await update_tag(session, "hnw", changes, actor="alice")
    assert (await get_tag(session, "hnw")).version == 1


async def test_bad_key_and_rule_errors_name_the_problem(session: AsyncWriteSession) -> None:
    with pytest.raises(InvalidInput, match="tag key"):
        await create_tag(session, _spec("Bad Key", "aum > 1"), actor="a")
    with pytest.raises(RuleError) as caught:
        await create_tag(session, _spec("typo", "aun >= 5"), actor="a")
    assert caught.value.suggestion == "aum"
    assert (caught.value.line, caught.value.column) == (1, 1)
    await create_tag(session, HNW, actor="a")
    with pytest.raises(Conflict):
        await create_tag(session, HNW, actor="a")


async def test_rule_over_a_field_the_author_may_not_filter_is_refused(
    session: AsyncWriteSession,
) -> None:
    with pytest.raises(ForbiddenRuleFilter) as caught:
        await create_tag(
            session,
            _spec("mail", "email is not null and aum > 0"),
            actor="marketer",
            filterable=lambda field: field != "Customer.email",
        )
    assert caught.value.code == "FORBIDDEN_FILTER"
    assert caught.value.fields == ("Customer.email",)


async def test_a_cycle_is_refused_with_the_cycle_named(session: AsyncWriteSession) -> None:
    await create_tag(session, _spec("ta", "aum > 1"), actor="x")
    await create_tag(session, _spec("tb", "has_tag('ta')"), actor="x")
    await create_tag(session, _spec("tc", "has_tag('tb')"), actor="x")
    with pytest.raises(TagCycle) as caught:
        await update_tag(session, "ta", {"rule": "has_tag('tc')"}, actor="x")
    assert set(caught.value.cycle) >= {"ta", "tb", "tc"}
    assert (await get_tag(session, "ta")).version == 1


async def test_publish_needs_active_dependencies(session: AsyncWriteSession) -> None:
    await create_tag(session, _spec("ta", "aum > 1"), actor="x")
    await create_tag(session, _spec("tb", "has_tag('ta')"), actor="x")
    with pytest.raises(Conflict, match="not active: ta"):
        await publish_tag(session, "tb")
    await publish_tag(session, "ta")
    assert (await publish_tag(session, "tb")).status == "active"
    with pytest.raises(Conflict, match="only a draft"):
        await publish_tag(session, "tb")


async def test_archive_removes_values_and_keeps_history(session: AsyncWriteSession) -> None:
    await create_tag(session, _spec("ta", "aum > 1"), actor="x")
    await create_tag(session, _spec("tb", "has_tag('ta')"), actor="x")
    tag = await publish_tag(session, "ta")
    customer = await create_customer(session)
    session.add(TagValue(tag_id=tag.id, customer_id=customer.id, value=True, version=1))
    await session.flush()

    with pytest.raises(Conflict, match="read 'ta'"):
        await archive_tag(session, "ta", actor="x")
    await archive_tag(session, "tb", actor="x")
    archived = await archive_tag(session, "ta", actor="x")

    assert archived.status == "archived"
    assert await session.scalar(select(func.count()).select_from(TagValue)) == 0
    event = (await session.scalars(select(TagEvent).where(TagEvent.tag_id == tag.id))).one()
    assert (event.kind, event.customer_id, event.old_value, event.actor) == (
        "left",
        customer.id,
        True,
        "x",
    )
    with pytest.raises(Conflict, match="archived"):
        await update_tag(session, "ta", {"rule": "aum > 2"}, actor="x")
