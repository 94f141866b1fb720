"""Enumerations stored as text with CHECK constraints.

Text plus CHECK (rather than PostgreSQL enum types) keeps COPY loads simple and
lets a migration add a value without a type rewrite.
"""

from __future__ import annotations

GENDERS = ("M", "F")
ID_TYPES = ("id_card", "passport", "hk_macau_permit", "taiwan_permit", "foreign_permanent")
INVESTOR_CLASSES = ("ordinary", "professional")
CUSTOMER_STATUSES = ("active", "dormant", "closed", "merged")
HOUSEHOLD_RELATIONS = ("self", "spouse", "child", "parent", "sibling", "other")
REFERRAL_CHANNELS = ("advisor", "app", "event", "friend", "partner")
PRODUCT_CATEGORIES = (
    "deposit",
    "wealth_management",
    "mutual_fund",
    "insurance",
    "trust",
    "bond",
    "private_fund",
)
PRODUCT_STATUSES = ("on_sale", "suspended", "closed")
TRANSACTION_KINDS = (
    "purchase",
    "redemption",
    "dividend",
    "deposit",
    "withdrawal",
    "transfer_in",
    "transfer_out",
    "fee",
)
CHANNELS = ("branch", "app", "web", "phone", "advisor")
INTERACTION_KINDS = (
    "login",
    "product_view",
    "call",
    "complaint",
    "survey",
    "email_open",
    "branch_visit",
)
CONSENT_PURPOSES = ("profiling", "marketing", "partner_sharing")
RECORD_KINDS = ("customers", "holdings", "transactions", "events", "consents")
