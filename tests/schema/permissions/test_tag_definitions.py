"""Tag definitions over the API: authoring under the caller's filter rights, versions,
status changes, and who reads what of a definition."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import TagDefinition
from tests.schema.permissions.conftest import World

CREATE = """
mutation($tag: TagInput!) {
  createTag(tag: $tag) { key name status version rule inputs owner }
}
"""
UPDATE = "mutation($tag: TagInput!) { updateTag(tag: $tag) { version rule } }"
PUBLISH = "mutation($key: String!) { publishTag(key: $key) { status } }"
ARCHIVE = "mutation($key: String!) { archiveTag(key: $key) { status } }"
VALIDATE = """
mutation($rule: String!) {
  validateRule(rule: $rule) {
    valid inputs dependencies
    errors { code message line column expected suggestion fields }
  }
}
"""
VERSIONS = """
query($key: String!) {
  tag(key: $key) { version status versions { version rule author status } }
}
"""


def _tag(key: str, rule: str) -> dict[str, Any]:
    return {"key": key, "name": "测试", "nameEn": "test", "category": "test", "rule": rule}


async def _count(session: AsyncWriteSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(TagDefinition)) or 0)


async def test_a_marketer_cannot_save_a_rule_over_the_email(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    marketer = await as_role("marketer")
    before = await _count(session)
    error = await marketer.error(CREATE, tag=_tag("mail", "email = 'a@example.com'"))
    assert error["extensions"]["code"] == "FORBIDDEN_FILTER"
    assert error["extensions"]["fields"] == ["Customer.email"]
    assert await _count(session) == before


async def test_validate_rule_reports_position_and_suggestion_and_saves_nothing(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    marketer = await as_role("marketer")
    before = await _count(session)
    result = (await marketer.data(VALIDATE, rule="aun >= 1000"))["validateRule"]
    assert result["valid"] is False
    [problem] = result["errors"]
    assert problem["code"] == "UNKNOWN_ATTRIBUTE"
    assert (problem["line"], problem["column"]) == (1, 1)
    assert problem["suggestion"] == "aum"
    forbidden = (await marketer.data(VALIDATE, rule="id_number = 'x'"))["validateRule"]
    assert forbidden["errors"][0]["code"] == "FORBIDDEN_FILTER"
    assert forbidden["errors"][0]["fields"] == ["Customer.idNumber"]
    behaviour = "count(transactions where kind = 'purchase' within 90d) >= 3 and aum > 0"
    assert (await marketer.data(VALIDATE, rule=behaviour))["validateRule"]["valid"] is True
    ok = (await marketer.data(VALIDATE, rule="aum >= 1000"))["validateRule"]
    assert ok == {"valid": True, "inputs": ["Customer.aum"], "dependencies": [], "errors": []}
    assert await _count(session) == before


async def test_a_marketer_creates_edits_publishes_and_archives_a_tag(
    world: World, as_role: Any
) -> None:
    marketer = await as_role("marketer")
    created = (await marketer.data(CREATE, tag=_tag("big", "aum >= 100000")))["createTag"]
    assert created["status"] == "draft"
    assert created["version"] == 1
    assert created["inputs"] == ["Customer.aum"]
    assert created["owner"] == "test-marketer"
    updated = (await marketer.data(UPDATE, tag=_tag("big", "aum >= 200000")))["updateTag"]
    assert updated == {"version": 2, "rule": "aum >= 200000"}
    assert (await marketer.data(PUBLISH, key="big"))["publishTag"] == {"status": "active"}
    tag = (await marketer.data(VERSIONS, key="big"))["tag"]
    assert tag["versions"] == [
        {"version": 2, "rule": "aum >= 200000", "author": "test-marketer", "status": "active"},
        {"version": 1, "rule": "aum >= 100000", "author": "test-marketer", "status": "superseded"},
    ]
    assert (await marketer.data(ARCHIVE, key="big"))["archiveTag"] == {"status": "archived"}
    again = await marketer.error(PUBLISH, key="big")
    assert again["extensions"]["code"] == "CONFLICT"


async def test_an_advisor_may_neither_author_tags_nor_read_rules(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    advisor = await as_role("advisor")
    before = await _count(session)
    error = await advisor.error(CREATE, tag=_tag("mine", "aum >= 1"))
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert await _count(session) == before
    body = await advisor.raw('{ tag(key: "world_cautious") { key name rule } }')
    assert body["data"]["tag"]["key"] == "world_cautious"
    assert body["data"]["tag"]["rule"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN_FIELD"]


async def test_definitions_page_by_key_and_search_as_typed(world: World, as_role: Any) -> None:
    marketer = await as_role("marketer")
    for key in ("alpha_one", "alpha_two", "beta"):
        await marketer.data(CREATE, tag=_tag(key, "aum >= 1"))
    query = """
    query($after: String, $search: String) {
      tagDefinitions(first: 1, after: $after, filter: {search: $search}) {
        totalCount pageInfo { hasNextPage endCursor } nodes { key }
      }
    }
    """
    first = (await marketer.data(query, search="alpha"))["tagDefinitions"]
    assert first["totalCount"] == 2
    assert [n["key"] for n in first["nodes"]] == ["alpha_one"]
    cursor = first["pageInfo"]["endCursor"]
    second = (await marketer.data(query, search="alpha", after=cursor))["tagDefinitions"]
    assert [n["key"] for n in second["nodes"]] == ["alpha_two"]
    assert second["pageInfo"]["hasNextPage"] is False
    # A wildcard is searched for as typed, not as a pattern.
    none = (await marketer.data(query, search="%"))["tagDefinitions"]
    assert none["totalCount"] == 0


async def test_a_partner_reads_no_definitions(world: World, as_role: Any) -> None:
    partner = await as_role("partner")
    error = await partner.error("{ tagDefinitions(first: 5) { nodes { key } } }")
    assert error["extensions"]["code"] == "FORBIDDEN_FIELD"
