"""The audit trail of sensitive reads: entries, the batching writer, auditor queries.

DESIGN.md asks to log who read which sensitive field, when, under which policy.
The request path builds an ``AuditEntry`` and hands it to ``AuditWriter.record``;
the writer stores entries in batches off the request path; ``AuditRepository``
serves auditors and applies the retention setting ``audit_retention_days``.
"""

from policies.audit.entry import AuditEntry
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
    "UnwrittenAuditEntries",
]
