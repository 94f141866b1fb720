"""setManualTag: the caller's right first, the customer inside its row scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import TagEvent, TagValue
from tagging.definitions import TagSpec, create_tag, publish_tag
from tests.schema.permissions.conftest import World

SET = """
mutation($no: String!, $value: String) {
  setManualTag(customerNo: $no, key: "vip_met", value: $value) { key value source }
}
"""


async def _manual(session: AsyncWriteSession) -> int:
    spec = TagSpec(key="vip_met", name_zh="面谈", name_en="met", category="t", kind="manual")
    await create_tag(session, spec, actor="test")
    return (await publish_tag(session, "vip_met")).id


async def _values(session: AsyncWriteSession, tag_id: int) -> dict[int, Any]:
    rows = await session.execute(
        select(TagValue.customer_id, TagValue.value).where(TagValue.tag_id == tag_id)
    )
    return {customer_id: value for customer_id, value in rows}


async def test_a_marketer_sets_and_removes_a_manual_value(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    tag_id = await _manual(session)
    marketer = await as_role("marketer")
    no = world.first.customer_no
    got = (await marketer.data(SET, no=no, value="true"))["setManualTag"]
    assert got == {"key": "vip_met", "value": "true", "source": "manual"}
    assert await _values(session, tag_id) == {world.first.id: True}
    assert (await marketer.data(SET, no=no, value=None))["setManualTag"] is None
    assert await _values(session, tag_id) == {}
    actors = await session.scalars(select(TagEvent.actor).where(TagEvent.tag_id == tag_id))
    assert list(actors) == ["test-marketer", "test-marketer"]


async def test_a_reader_may_not_set_values_and_nothing_changes(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    tag_id = await _manual(session)
    advisor = await as_role("advisor")
    error = await advisor.error(SET, no=world.first.customer_no, value="true")
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await _values(session, tag_id) == {}


async def test_a_bad_value_is_a_user_error(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _manual(session)
    admin = await as_role("admin")
    error = await admin.error(SET, no=world.first.customer_no, value="maybe")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    missing = await admin.error(SET, no="NOPE", value="true")
    assert missing["extensions"]["code"] == "NOT_FOUND"
