"""The default policy against the expected matrix: every role × every field × action.

The expectation is written out here by hand, independently of policy.csv, so a
change to the policy that alters who sees what fails until this table agrees.
Fields not listed for a role are expected to be denied.
"""

from __future__ import annotations

import pytest

from policies.compiled import CompiledPolicy
from policies.language import Decision

A, M, D = Decision.ALLOW, Decision.MASK, Decision.DENY

CUSTOMER_360 = [
    "id",
    "customerNo",
    "name",
    "gender",
    "birthDate",
    "age",
    "province",
    "city",
    "occupation",
    "annualIncome",
    "riskLevel",
    "riskLevelLabel",
    "riskAssessedAt",
    "riskAssessmentExpired",
    "investorClass",
    "branch",
    "onboardedAt",
    "status",
    "aum",
    "tier",
    "aumByCategory",
    "holdings",
    "household",
    "householdRelation",
    "referredBy",
    "referrals",
    "advisor",
    "consents",
    "tags",
    "tagTimeline",
    "tagsAsOf",
    "transactions",
    "interactions",
]
CUSTOMER_360_FILTER = [
    "customerNo",
    "name",
    "gender",
    "birthDate",
    "age",
    "province",
    "city",
    "occupation",
    "annualIncome",
    "riskLevel",
    "riskAssessedAt",
    "investorClass",
    "branch",
    "onboardedAt",
    "status",
    "aum",
    "tier",
    "holdings",
    "household",
    "advisor",
    "consents",
    "tags",
    "transactions",
    "interactions",
]
MARKETER_CUSTOMER = [
    "id",
    "customerNo",
    "gender",
    "age",
    "province",
    "city",
    "occupation",
    "riskLevel",
    "riskLevelLabel",
    "riskAssessedAt",
    "riskAssessmentExpired",
    "investorClass",
    "branch",
    "onboardedAt",
    "status",
    "aum",
    "tier",
    "aumByCategory",
    "holdings",
    "advisor",
    "consents",
    "tags",
    "tagTimeline",
    "tagsAsOf",
]
MARKETER_FILTER = [
    "customerNo",
    "gender",
    "age",
    "province",
    "city",
    "riskLevel",
    "investorClass",
    "branch",
    "onboardedAt",
    "status",
    "aum",
    "tier",
    "holdings",
    "advisor",
    "tags",
    # Behaviour aggregates a tag rule reads (never who the people are).
    "riskAssessmentExpired",
    "transactions",
    "interactions",
    "referrals",
    "household",
]
PRODUCT = "Product"
VIEW_360 = [
    "CategoryAmount",
    "Holding",
    "Household",
    "HouseholdMember",
    "Referral",
    "Transaction",
    "InteractionEvent",
    "Consent",
    "Tag",
    "TagEvent",
    "Advisor",
    "Product",
]
# The knowledge graph: cross-sell for advisors, apps and marketers (base role
# graph_advice); communities and referral networks for advisors and marketers;
# network-wide rankings and household insight without members for marketers.
CROSS_SELL = ["CrossSell", "Recommendation", "CrossSellReason", "NamedNumber", "HouseholdGap"]
NETWORK = ["Community", "ReferralNetwork", "ReferralNode", "ReferralLink"]

# What a tag means, not how it is computed (no rule, inputs, owner or versions).
DEFINITION_360 = [
    "key",
    "name",
    "nameEn",
    "category",
    "description",
    "kind",
    "valueType",
    "enumValues",
    "refresh",
    "dependencies",
    "status",
    "version",
    "updatedAt",
]
DEFINITION_360_FILTER = ["key", "name", "nameEn", "category", "status"]
TAG_AUTHORING = ["TagDefinition", "TagVersion", "TagEvent", "RuleValidation", "RuleProblem"]
# Roles that read the ID number masked filter on neither it nor the birth date.
ID_MASKED_FILTER = [f for f in CUSTOMER_360_FILTER if f != "birthDate"]
FILTER_360 = ["Holding", "Transaction", "InteractionEvent", "Tag", "Advisor", "Product"]

# Segments: marketers define and export them, advisors read and preview them in
# their scope, auditors read definitions and history.
SEGMENT_READ = ["Segment", "SegmentVersion", "SegmentRun"]
SEGMENT_COUNTS = ["SegmentPreview", "SegmentOverlap"]

ALL = "*"
# role → type → decision for every field of the type, or field → decision.
Expected = dict[str, dict[str, Decision | dict[str, Decision]]]
READ: Expected = {
    "admin": {ALL: A},
    "advisor": {
        "Customer": {
            **dict.fromkeys(CUSTOMER_360, A),
            "phone": A,
            "email": A,
            "idNumber": M,
            "birthDate": M,
            "crossSell": A,
            "community": A,
        },
        **dict.fromkeys(VIEW_360, A),
        **dict.fromkeys([*SEGMENT_READ, *SEGMENT_COUNTS], A),
        **dict.fromkeys([*CROSS_SELL, *NETWORK], A),
        "TagDefinition": dict.fromkeys(DEFINITION_360, A),
    },
    "frontend": {
        "Customer": {
            **dict.fromkeys(CUSTOMER_360, A),
            "phone": M,
            "email": M,
            "idNumber": M,
            "birthDate": M,
            "crossSell": A,
        },
        **dict.fromkeys(VIEW_360, A),
        **dict.fromkeys(CROSS_SELL, A),
        "TagDefinition": dict.fromkeys(DEFINITION_360, A),
    },
    "marketer": {
        "Customer": {
            **dict.fromkeys(MARKETER_CUSTOMER, A),
            "name": M,
            "phone": M,
            "crossSell": A,
            "community": A,
            "referredBy": A,
            "referrals": A,
        },
        **dict.fromkeys(["CategoryAmount", "Holding", "Tag", "Consent", "Advisor", "Product"], A),
        **dict.fromkeys([*SEGMENT_READ, *SEGMENT_COUNTS, "SegmentExport"], A),
        **dict.fromkeys([*CROSS_SELL, *NETWORK, "TopReferrer", "Referral"], A),
        "Household": dict.fromkeys(["id", "tier", "holdingsByCategory", "gaps"], A),
        **dict.fromkeys(TAG_AUTHORING, A),
    },
    "partner": {
        "Customer": dict.fromkeys(["pseudonymousId", "tier", "riskLevel", "tags"], A),
        "Tag": dict.fromkeys(["key", "value"], A),
    },
    "auditor": {
        "Customer": dict.fromkeys(["id", "customerNo", "consents"], A),
        "Consent": A,
        "AuditEntry": A,
        **dict.fromkeys(["TagDefinition", "TagVersion"], A),
        **dict.fromkeys(SEGMENT_READ, A),
    },
    "source_system": {
        **dict.fromkeys(["BatchResult", "BatchCounts", "Rejection"], A),
        # Not customerNo: a source system may not read customer numbers.
        "BatchItemResult": dict.fromkeys(["index", "status", "sourceKey", "rejection"], A),
    },
}
FILTER: Expected = {
    "admin": {ALL: A},
    "advisor": {
        "Customer": dict.fromkeys([*ID_MASKED_FILTER, "phone", "email"], A),
        **dict.fromkeys(FILTER_360, A),
        "TagDefinition": dict.fromkeys(DEFINITION_360_FILTER, A),
    },
    "frontend": {
        "Customer": dict.fromkeys(ID_MASKED_FILTER, A),
        **dict.fromkeys(FILTER_360, A),
        "TagDefinition": dict.fromkeys(DEFINITION_360_FILTER, A),
    },
    "marketer": {
        "Customer": dict.fromkeys(MARKETER_FILTER, A),
        **dict.fromkeys([PRODUCT, "Holding", "Tag", "TagDefinition"], A),
        "Transaction": dict.fromkeys(["kind", "amount", "channel", "occurredAt"], A),
        "InteractionEvent": dict.fromkeys(["kind", "occurredAt"], A),
        "Referral": dict.fromkeys(["channel", "referredAt"], A),
        "Household": dict.fromkeys(["aum", "members"], A),
    },
    "partner": {
        "Customer": dict.fromkeys(["tier", "riskLevel", "tags"], A),
        "Tag": dict.fromkeys(["key", "value"], A),
    },
    "auditor": {
        "Customer": {"customerNo": A},
        "Consent": A,
        "AuditEntry": A,
        "TagDefinition": A,
    },
}
WRITE: Expected = {
    "admin": {ALL: A},
    "marketer": {"TagDefinition": A, "Tag": {"value": A}, "Segment": A},
    "source_system": dict.fromkeys(
        ["Customer", "Holding", "Transaction", "InteractionEvent", "Consent"], A
    ),
}
SCOPES = {
    "admin": {"none"},
    "advisor": {"own_customers"},
    "frontend": {"none"},
    "marketer": {"none"},
    "partner": {"partner_sharing_consent"},
    "auditor": {"none"},
    "source_system": set(),
}
ROLES = list(SCOPES)


def expected(table: Expected, role: str, type_name: str, field: str) -> Decision:
    per_role = table.get(role, {})
    rule = per_role.get(ALL, per_role.get(type_name, D))
    return rule if isinstance(rule, Decision) else rule.get(field, D)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "table"), [("read", READ), ("filter", FILTER), ("write", WRITE)]
)
def test_every_field_of_every_type(
    default_policy: CompiledPolicy, role: str, action: str, table: Expected
) -> None:
    wrong = [
        f"{type_name}.{field}: {got} (expected {want})"
        for type_name, type_fields in sorted(default_policy.types.items())
        for field in sorted(type_fields)
        if (got := default_policy.decision([role], type_name, field, action))
        != (want := expected(table, role, type_name, field))
    ]
    assert wrong == []


def test_the_expectation_names_only_known_fields(default_policy: CompiledPolicy) -> None:
    for table in (READ, FILTER, WRITE):
        for per_role in table.values():
            for type_name, rule in per_role.items():
                assert type_name == ALL or type_name in default_policy.types
                if isinstance(rule, dict):
                    assert set(rule) <= default_policy.types[type_name], type_name


@pytest.mark.parametrize("role", ROLES)
def test_row_scopes(default_policy: CompiledPolicy, role: str) -> None:
    assert default_policy.row_scopes([role]) == SCOPES[role]


def test_sensitive_fields_are_never_in_clear_outside_admin_and_advisor(
    default_policy: CompiledPolicy,
) -> None:
    for role in ROLES:
        if role in ("admin", "advisor"):
            continue
        for field in ("phone", "email", "idNumber"):
            assert default_policy.decision([role], "Customer", field, "read") is not A
            assert default_policy.decision([role], "Customer", field, "filter") is D


def test_a_second_role_cannot_grant_back_what_pii_restricted_denies(
    default_policy: CompiledPolicy,
) -> None:
    # marketer inherits the explicit deny on the ID number; advisor's mask cannot undo it.
    assert default_policy.decision(["advisor", "marketer"], "Customer", "idNumber", "read") is D
    assert default_policy.decision(["advisor", "marketer"], "Customer", "phone", "read") is M
    assert default_policy.row_scopes(["advisor", "marketer"]) == {"none"}


def test_roles_that_mask_the_id_number_mask_its_birth_date_digits(
    default_policy: CompiledPolicy,
) -> None:
    for roles in (["advisor"], ["frontend"], ["advisor", "admin"], ["frontend", "admin"]):
        assert default_policy.decision(roles, "Customer", "idNumber", "read") is M
        assert default_policy.decision(roles, "Customer", "birthDate", "read") is M
        assert default_policy.decision(roles, "Customer", "birthDate", "filter") is D
        assert default_policy.decision(roles, "Customer", "idNumber", "filter") is D
        assert default_policy.decision(roles, "Customer", "age", "read") is A


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("type_name", ["ImportRun", "ImportCount", "QuarantinedRow"])
def test_ingestion_records_are_for_administrators_only(
    default_policy: CompiledPolicy, role: str, type_name: str
) -> None:
    fields = default_policy.types[type_name]
    assert fields
    want = A if role == "admin" else D
    for field in fields:
        for action in ("read", "filter"):
            assert default_policy.decision([role], type_name, field, action) is want, field
