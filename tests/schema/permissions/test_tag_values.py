"""Customer.tags: stored values, readable only by roles that may filter on every input."""

from __future__ import annotations

from typing import Any

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import TagValue
from tagging.definitions import TagSpec, create_tag, get_tag, publish_tag
from tests.schema.permissions.conftest import World

QUERY = """
query($no: String!) {
  customer(customerNo: $no) {
    customerNo tags { key value version source explanation evidence }
  }
}
"""


async def _tag(session: AsyncWriteSession, key: str, rule: str) -> int:
    spec = TagSpec(
        key=key, name_zh=key, name_en=key, category="test", rule=rule, value_type="boolean"
    )
    await create_tag(session, spec, actor="test")
    return (await publish_tag(session, key)).id


async def _store(session: AsyncWriteSession, world: World) -> None:
    """Three tags of ``first``: over AUM, over the e-mail, over a tag over the e-mail."""
    rich = await _tag(session, "rich", "aum >= 100000")
    mail = await _tag(session, "mail_user", "email = 'zhang@example.com'")
    derived = await _tag(session, "mail_rich", "has_tag('mail_user') and aum > 0")
    for tag_id in (rich, mail, derived):
        session.add(
            TagValue(
                tag_id=tag_id,
                customer_id=world.first.id,
                value=True,
                evidence={"aum": 120000},
                version=1,
                source="rule",
            )
        )
    await session.flush()


async def _tags(api: Any, world: World) -> dict[str, dict[str, Any]]:
    body = await api.raw(QUERY, no=world.first.customer_no)
    node = body["data"]["customer"]
    return {t["key"]: t for t in node["tags"] or []}


async def test_admin_reads_every_stored_value_with_its_evidence(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _store(session, world)
    tags = await _tags(await as_role("admin"), world)
    assert set(tags) == {"rich", "mail_user", "mail_rich", "world_cautious"}
    assert tags["rich"]["value"] == "true"
    assert tags["rich"]["evidence"] == ["aum = 120,000"]
    assert tags["rich"]["explanation"] == "aum = 120,000"
    assert (tags["rich"]["version"], tags["rich"]["source"]) == (1, "rule")


async def test_a_marketer_learns_no_tag_derived_from_the_email(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _store(session, world)
    tags = await _tags(await as_role("marketer"), world)
    # The e-mail tag and the tag that reads it through has_tag are both withheld.
    assert set(tags) == {"rich", "world_cautious"}
    assert tags["rich"]["evidence"] == ["aum = 120,000"]


PARTNER_QUERY = "{ customers(first: 10) { nodes { tags { key value explanation evidence } } } }"


async def test_a_partner_reads_only_key_and_value_of_permitted_tags_of_consenting_customers(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    await _store(session, world)
    tag_id = (await get_tag(session, "rich")).id
    # The stranger granted no partner sharing: the partner must not see the value.
    session.add(TagValue(tag_id=tag_id, customer_id=world.stranger.id, value=True, version=1))
    await session.flush()
    body = await (await as_role("partner")).raw(PARTNER_QUERY)
    nodes = body["data"]["customers"]["nodes"]
    # first and friend consented; only first has tags, and only the one over the risk
    # level (which the partner may filter on) survives: the partner may not filter on the AUM.
    assert len(nodes) == 2
    assert sorted(t["key"] for n in nodes for t in n["tags"]) == ["world_cautious"]
    for tag in (t for n in nodes for t in n["tags"]):
        assert tag["evidence"] is None
        assert tag["explanation"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN_FIELD"}


async def test_a_marketer_reads_a_behaviour_tag_without_the_evidence_behind_it(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    rule = "count(transactions where kind = 'purchase' within 90d) >= 1"
    tag_id = await _tag(session, "buyer", rule)
    session.add(
        TagValue(
            tag_id=tag_id,
            customer_id=world.first.id,
            value=True,
            evidence={"count(transactions)": 1},
            version=1,
        )
    )
    await session.flush()
    marketer = await _tags(await as_role("marketer"), world)
    # May filter on transaction counts, may not read transactions: value, no evidence.
    assert marketer["buyer"]["value"] == "true"
    assert marketer["buyer"]["evidence"] is None
    assert marketer["buyer"]["explanation"] is None
    advisor = await _tags(await as_role("advisor"), world)
    assert advisor["buyer"]["evidence"] == ["count(transactions) = 1"]
