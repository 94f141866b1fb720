"""The audit trail of sensitive reads: entries, the batching writer, auditor queries.

Personal-information rules (PIPL; JR/T 0171) ask to log who read which sensitive
field, when, under which policy (docs/architecture.md, *Personal information*).
While a request runs, ``SensitiveReads`` gathers what it read; afterwards the
request path builds an ``AuditEntry`` from it and hands it to ``AuditWriter.record``;
the writer stores entries in batches off the request path; ``AuditRepository``
serves auditors and applies the retention setting ``audit_retention_days``.
"""

from policies.audit.entry import AuditEntry
from policies.audit.purpose import parse_purpose, purpose_required
from policies.audit.reads import SensitiveReads
from policies.audit.repository import (
    AuditCursor,
    AuditFilter,
    AuditPage,
    AuditRepository,
    AuditRow,
)
from policies.audit.writer import AuditWriter, UnwrittenAuditEntries

__all__ = [
    "AuditCursor",
    "AuditEntry",
    "AuditFilter",
    "AuditPage",
    "AuditRepository",
    "AuditRow",
    "AuditWriter",
    "SensitiveReads",
    "UnwrittenAuditEntries",
    "parse_purpose",
    "purpose_required",
]
