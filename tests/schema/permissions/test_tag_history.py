"""Customer.tagTimeline and Customer.tagsAsOf: history, paged, only of readable tags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import TagEvent
from tagging.definitions import TagSpec, create_tag, publish_tag
from tests.schema.permissions.conftest import World

TIMELINE = """
query($no: String!, $after: String) {
  customer(customerNo: $no) {
    tagTimeline(first: 2, after: $after) {
      nodes { key kind oldValue newValue actor occurredAt }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
AS_OF = """
query($no: String!, $date: Date!) {
  customer(customerNo: $no) { tagsAsOf(date: $date) { key value } }
}
"""


async def _history(session: AsyncWriteSession, world: World) -> None:
    """Tier moves 2024-01 → 2024-06; the e-mail tag enters 2024-03."""
    specs = [("tier_x", "aum", "number"), ("mail_x", "email = 'x@example.com'", "boolean")]
    ids = {}
    for key, rule, value_type in specs:
        spec = TagSpec(
            key=key, name_zh=key, name_en=key, category="t", rule=rule, value_type=value_type
        )
        await create_tag(session, spec, actor="test")
        ids[key] = (await publish_tag(session, key)).id
    events = [
        ("tier_x", "entered", None, 1, datetime(2024, 1, 10, tzinfo=UTC)),
        ("mail_x", "entered", None, True, datetime(2024, 3, 1, tzinfo=UTC)),
        ("tier_x", "changed", 1, 2, datetime(2024, 6, 1, tzinfo=UTC)),
        ("tier_x", "changed", 2, 3, datetime(2024, 9, 1, tzinfo=UTC)),
    ]
    for key, kind, old, new, at in events:
        session.add(
            TagEvent(
                tag_id=ids[key],
                customer_id=world.first.id,
                kind=kind,
                old_value=old,
                new_value=new,
                version=1,
                actor="test",
                occurred_at=at,
            )
        )
    await session.flush()


async def test_the_timeline_pages_newest_first_over_readable_tags(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _history(session, world)
    marketer = await as_role("marketer")
    no = world.first.customer_no
    page = (await marketer.data(TIMELINE, no=no))["customer"]["tagTimeline"]
    got = [(n["key"], n["kind"], n["oldValue"], n["newValue"]) for n in page["nodes"]]
    # The e-mail tag's event is not there: the marketer may not filter on the e-mail.
    assert got == [("tier_x", "changed", "2", "3"), ("tier_x", "changed", "1", "2")]
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    rest = (await marketer.data(TIMELINE, no=no, after=after))["customer"]["tagTimeline"]
    # Ordered by when recorded: the world's own event was recorded first.
    older = [(n["key"], n["kind"]) for n in rest["nodes"]]
    assert older == [("tier_x", "entered"), ("world_cautious", "changed")]
    assert rest["pageInfo"]["hasNextPage"] is False
    admin = (await (await as_role("admin")).data(TIMELINE, no=no))["customer"]["tagTimeline"]
    assert page["pageInfo"]["endCursor"] != admin["pageInfo"]["endCursor"]  # sealed per role


async def test_tags_as_of_replay_the_timeline(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _history(session, world)
    admin = await as_role("admin")
    no = world.first.customer_no

    async def held(day: str) -> dict[str, str]:
        tags = (await admin.data(AS_OF, no=no, date=day))["customer"]["tagsAsOf"]
        return {t["key"]: t["value"] for t in tags}

    assert await held("2023-12-31") == {}
    assert await held("2024-03-01") == {"tier_x": "1", "mail_x": "true"}
    assert await held("2024-07-01") == {"tier_x": "2", "mail_x": "true"}
    marketer = await as_role("marketer")
    tags = (await marketer.data(AS_OF, no=no, date="2024-07-01"))["customer"]["tagsAsOf"]
    assert tags == [{"key": "tier_x", "value": "2"}]


async def test_a_forged_timeline_cursor_is_refused(world: World, as_role: Any) -> None:
    marketer = await as_role("marketer")
    error = await marketer.error(TIMELINE, no=world.first.customer_no, after="forged")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
