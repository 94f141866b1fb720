"""Segments over HTTP, per role: rules limited to filterable fields, scoped and withheld
counts, previews projected like direct queries and audited like filters, exports."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import AuditLog, SegmentDefinition
from cdp.principal import Principal
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import parse_policy
from policies.masking import mask_name
from schema import build_schema
from schema.plan_policy import PlanPolicy, PolicyRules, schema_fields
from schema.segments import withhold
from tests.conftest import AppClient
from tests.factories import create_advisor, create_consent
from tests.schema.conftest import Api
from tests.tagging.tagkit import profiled_customer

CREATE = """mutation($key: String!, $rule: String!) {
  createSegment(key: $key, name: "Segment", rule: $rule) { key version status }
}"""
PREVIEW = """query($rule: String!) {
  previewSegment(rule: $rule) { count customers { customerNo name } }
}"""


@pytest.fixture
async def who(engine: AsyncEngine) -> AsyncIterator[str]:
    principal = f"seg-{uuid.uuid4().hex[:12]}"
    yield principal
    async with engine.begin() as conn:
        await conn.execute(delete(AuditLog).where(AuditLog.principal == principal))


async def as_api(app_client: AppClient, stack: Any, *roles: str, **kw: Any) -> Api:
    return Api(await stack.enter_async_context(app_client(roles=list(roles), **kw)))


async def test_a_marketer_saves_versions_publishes_and_refreshes(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    for aum in (7_000_000, 8_000_000, 100):
        await profiled_customer(session, aum=aum)
    async with app_client(roles=["marketer"]) as client:
        api = Api(client)
        refused = await api.error(CREATE, key="by_mail", rule="email is not null")
        assert refused["extensions"]["code"] == "FORBIDDEN_FILTER"
        assert refused["extensions"]["fields"] == ["Customer.email"]
        assert await session.scalar(select(SegmentDefinition.id)) is None
        created = await api.data(CREATE, key="rich", rule="aum >= 600万")
        assert created["createSegment"] == {"key": "rich", "version": 1, "status": "draft"}
        await api.data('mutation { updateSegment(key: "rich", rule: "aum >= 750万") { version } }')
        await api.data('mutation { publishSegment(key: "rich") { status } }')
        await api.data('mutation { refreshSegment(key: "rich") { size } }')
        data = await api.data(
            '{ segment(key: "rich") { version size versions { version rule createdBy } '
            "history { version size entered left } } }"
        )
    segment = data["segment"]
    assert segment["version"] == 2
    assert segment["size"] == 1
    assert [v["rule"] for v in segment["versions"]] == ["aum >= 600万", "aum >= 750万"]
    assert segment["history"] == [{"version": 2, "size": 1, "entered": 1, "left": 0}]


async def test_roles_without_write_rights_cannot_save(app_client: AppClient) -> None:
    for role in ("advisor", "auditor", "partner"):
        async with app_client(roles=[role]) as client:
            error = await Api(client).error(CREATE, key="nope", rule="aum > 1")
        assert error["extensions"]["code"] in {"FORBIDDEN", "FORBIDDEN_FIELD"}, role


async def test_preview_projects_customers_and_counts_in_scope(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    advisor = await create_advisor(session)
    mine = await profiled_customer(session, aum=7_000_000, name="张三丰", advisor_id=advisor.id)
    for _ in range(11):
        await profiled_customer(session, aum=7_000_000)
    async with app_client(roles=["marketer"]) as client:
        data = await Api(client).data(PREVIEW, rule="aum >= 600万")
    assert data["previewSegment"]["count"] == 12
    first = data["previewSegment"]["customers"][0]
    assert first == {"customerNo": mine.customer_no, "name": mask_name("张三丰")}
    async with app_client(roles=["advisor"], advisor_id=advisor.id) as client:
        api = Api(client)
        scoped = await api.data(PREVIEW, rule="aum >= 600万")
        assert scoped["previewSegment"] == {
            "count": 1,
            "customers": [{"customerNo": mine.customer_no, "name": "张三丰"}],
        }
    async with app_client(roles=["marketer"]) as client:
        body = await Api(client).raw(
            "query($rule: String!) { previewSegment(rule: $rule) { customers { email } } }",
            rule="aum >= 600万",
        )
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN_FIELD"}


async def test_a_marketer_cannot_learn_a_denied_field_through_a_rule(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    await profiled_customer(session, aum=10, email="a@example.com")
    async with app_client(roles=["marketer"]) as client:
        error = await Api(client).error(PREVIEW, rule="email = 'a@example.com'")
    assert error["extensions"]["code"] == "FORBIDDEN_FILTER"
    assert error["extensions"]["fields"] == ["Customer.email"]


async def test_a_binary_search_on_aum_through_previews_is_audited(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    target = await profiled_customer(session, aum=1_234_567, branch="审计分行")
    async with app_client(subject=who, roles=["marketer"]) as client:
        api = Api(client)
        for bound in (1_000_000, 2_000_000, 1_500_000):
            await api.data(PREVIEW, rule=f"branch = '审计分行' and aum >= {bound}")
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(AuditLog).where(AuditLog.principal == who).order_by(AuditLog.id)
            )
        ).all()
    assert len(rows) == 3
    assert all(r.field_paths == ["Customer.aum@filter"] for r in rows)
    assert rows[0].customer_ids == [target.id]


def _policy(lines: str, role: str) -> PlanPolicy:
    plan = CompiledPolicy.from_lines(parse_policy(lines), known_fields()).plan([role])
    rules = PolicyRules(schema_fields(build_schema()._schema)).rules(plan)
    return PlanPolicy(rules, Principal(subject="t", kind="jwt", roles=frozenset({role})))


@pytest.mark.parametrize(
    ("number_line", "small", "none", "large"),
    [
        ("p, viewer, Customer.customerNo, read, allow", 3, 0, 10),
        ("p, viewer, Customer.customerNo, read, mask", None, 0, 10),
        ("", None, 0, 10),
    ],
)
def test_small_groups_are_withheld_from_roles_that_cannot_see_individuals(
    number_line: str, small: int | None, none: int, large: int
) -> None:
    policy = _policy(f"p, viewer, SegmentPreview.*, read, allow\n{number_line}\n", "viewer")
    assert withhold(policy, 10, 3) == small
    assert withhold(policy, 10, 0) == none
    assert withhold(policy, 10, 10) == large
    assert withhold(policy, 3, 3) == 3


EXPORT = """mutation($fields: [String!]!, $first: Int, $after: String) {
  exportSegment(key: "rich", fields: $fields, format: "csv", first: $first, after: $after) {
    content rows membersInScope withoutConsent nextCursor
  }
}"""


async def test_exports_follow_the_callers_plan(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    people = [await profiled_customer(session, aum=7_000_000, name="李四") for _ in range(3)]
    await create_consent(session, people[2], "marketing", granted=False)
    async with app_client() as client:
        admin = Api(client)
        await admin.data(CREATE, key="rich", rule="aum >= 600万")
        await admin.data('mutation { publishSegment(key: "rich") { status } }')
        await admin.data('mutation { refreshSegment(key: "rich") { size } }')
    async with app_client(roles=["marketer"]) as client:
        api = Api(client)
        denied = await api.error(EXPORT, fields=["customerNo", "email", "idNumber"])
        assert denied["extensions"]["code"] == "FORBIDDEN_FIELD"
        assert denied["extensions"]["fields"] == ["Customer.email", "Customer.idNumber"]
        page = (await api.data(EXPORT, fields=["customerNo", "name"], first=1))["exportSegment"]
        rest = (await api.data(EXPORT, fields=["customerNo", "name"], after=page["nextCursor"]))[
            "exportSegment"
        ]
    assert (page["rows"], page["membersInScope"], page["withoutConsent"]) == (1, 3, 1)
    rows = [
        *csv.DictReader(io.StringIO(page["content"])),
        *csv.DictReader(io.StringIO(rest["content"])),
    ]
    assert [r["customerNo"] for r in rows] == [p.customer_no for p in people[:2]]
    assert {r["name"] for r in rows} == {mask_name("李四")}
    assert rest["nextCursor"] is None
    async with app_client(roles=["advisor"]) as client:
        refused = await Api(client).error(EXPORT, fields=["customerNo"])
    assert refused["extensions"]["code"] == "FORBIDDEN"
