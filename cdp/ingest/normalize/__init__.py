"""Validation and normalisation of single source values.

Each rule is one small function that takes what a source sent (a string from a
CSV cell, or a JSON scalar) and returns the canonical value, or raises
``Rejection`` with a typed code. Empty values come back as ``None``; whether a
field may be empty is decided by the record builders, not here.
"""

from cdp.ingest.normalize.amounts import amount, quantity
from cdp.ingest.normalize.codes import (
    channel,
    consent_granted,
    consent_purpose,
    event_kind,
    gender,
    id_type,
    investor_class,
    risk_level,
    transaction_kind,
)
from cdp.ingest.normalize.dates import parse_date, parse_datetime
from cdp.ingest.normalize.errors import RejectCode, Rejection
from cdp.ingest.normalize.idnumber import id_number
from cdp.ingest.normalize.phone import phone
from cdp.ingest.normalize.text import email, name, text

__all__ = [
    "RejectCode",
    "Rejection",
    "amount",
    "channel",
    "consent_granted",
    "consent_purpose",
    "email",
    "event_kind",
    "gender",
    "id_number",
    "id_type",
    "investor_class",
    "name",
    "parse_date",
    "parse_datetime",
    "phone",
    "quantity",
    "risk_level",
    "text",
    "transaction_kind",
]
