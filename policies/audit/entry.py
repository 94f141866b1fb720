"""One audited read: who read which sensitive fields of which customers, and why.

Entries are built on the request path and written later in batches, so every
limit the ``audit_log`` columns impose is checked here, when the entry is made:
a value that cannot be stored fails the request that produced it, loudly, instead
of failing a whole batch of other requests' entries at flush time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cdp.principal import Principal

# Column widths of ``audit_log`` (cdp.db.models.security.AuditLog).
_LIMITS = {
    "principal": 100,
    "role": 32,
    "purpose": 64,
    "operation": 200,
    "policy_version": 64,
    "request_id": 64,
}

# A caller may hold several roles; the one ``role`` column keeps them all, sorted
# and comma-separated, so an auditor sees the exact role set the policy judged.
ROLE_SEPARATOR = ","


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """An immutable record of one audited operation.

    ``occurred_at`` is taken when the entry is made, not when it is written, so
    batching never shifts the time an auditor sees.
    """

    principal: str
    roles: tuple[str, ...]
    operation: str | None
    field_paths: tuple[str, ...]
    customer_ids: tuple[int, ...]
    purpose: str | None = None
    policy_version: str | None = None
    request_id: str | None = None
    occurred_at: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        # Runs on the request path for every audited read: plain comparisons only.
        if not self.roles:
            raise ValueError("an audit entry needs at least one role")
        role = self.role
        if role.count(ROLE_SEPARATOR) != len(self.roles) - 1:
            raise ValueError(f"role names may not contain {ROLE_SEPARATOR!r}")
        if self.occurred_at.tzinfo is None:
            raise ValueError("occurred_at must be timezone-aware")
        if (
            len(self.principal) > _LIMITS["principal"]
            or len(role) > _LIMITS["role"]
            or len(self.purpose or "") > _LIMITS["purpose"]
            or len(self.operation or "") > _LIMITS["operation"]
            or len(self.policy_version or "") > _LIMITS["policy_version"]
            or len(self.request_id or "") > _LIMITS["request_id"]
        ):
            self._too_long(role)

    def _too_long(self, role: str) -> None:
        for name, limit in _LIMITS.items():
            value = role if name == "role" else getattr(self, name)
            if value is not None and len(value) > limit:
                raise ValueError(f"audit {name} longer than {limit} characters: {value!r}")

    @classmethod
    def of(
        cls,
        principal: Principal,
        *,
        operation: str | None,
        field_paths: Iterable[str],
        customer_ids: Iterable[int],
        purpose: str | None = None,
        policy_version: str | None = None,
        request_id: str | None = None,
    ) -> AuditEntry:
        """An entry for ``principal``; paths and ids are de-duplicated and sorted."""
        return cls(
            principal=principal.subject,
            roles=principal.role_key,
            operation=operation,
            field_paths=tuple(sorted(set(field_paths))),
            customer_ids=tuple(sorted(set(customer_ids))),
            purpose=purpose,
            policy_version=policy_version,
            request_id=request_id,
        )

    @property
    def role(self) -> str:
        """The value of the ``role`` column: the sorted role set."""
        return ROLE_SEPARATOR.join(sorted(self.roles))

    def as_record(self) -> tuple[object, ...]:
        """The row in ``COLUMNS`` order, as COPY and INSERT take it."""
        return (
            self.occurred_at,
            self.principal,
            self.role,
            self.purpose,
            self.operation,
            list(self.field_paths),
            list(self.customer_ids),
            self.policy_version,
            self.request_id,
        )


COLUMNS = (
    "occurred_at",
    "principal",
    "role",
    "purpose",
    "operation",
    "field_paths",
    "customer_ids",
    "policy_version",
    "request_id",
)
