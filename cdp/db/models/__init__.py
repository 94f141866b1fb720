"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from cdp.db.base import Base
from cdp.db.models.activity import InteractionEvent, Transaction
from cdp.db.models.consent import Consent, ConsentEvent
from cdp.db.models.customer import Advisor, Customer
from cdp.db.models.household import Household, HouseholdMember, Referral
from cdp.db.models.idempotency import IdempotencyKey
from cdp.db.models.ingest import IdentityMerge, ImportRun, Quarantine, SourceRecord
from cdp.db.models.policy import PolicyRule
from cdp.db.models.product import Holding, Product
from cdp.db.models.security import ApiKey, AuditLog
from cdp.db.models.segment import (
    SegmentDefinition,
    SegmentEvent,
    SegmentMember,
    SegmentRun,
    SegmentVersion,
)
from cdp.db.models.tag import (
    TagDefinition,
    TagDirtyCustomer,
    TagEvent,
    TagRun,
    TagValue,
    TagVersion,
)

__all__ = [
    "Advisor",
    "ApiKey",
    "AuditLog",
    "Base",
    "Consent",
    "ConsentEvent",
    "Customer",
    "Holding",
    "Household",
    "HouseholdMember",
    "IdempotencyKey",
    "IdentityMerge",
    "ImportRun",
    "InteractionEvent",
    "PolicyRule",
    "Product",
    "Quarantine",
    "Referral",
    "SegmentDefinition",
    "SegmentEvent",
    "SegmentMember",
    "SegmentRun",
    "SegmentVersion",
    "SourceRecord",
    "TagDefinition",
    "TagDirtyCustomer",
    "TagEvent",
    "TagRun",
    "TagValue",
    "TagVersion",
    "Transaction",
]
