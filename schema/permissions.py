"""The permission seam: every object the API returns and every root query pass here.

Two decisions are made per request, both by the ``FieldPolicy`` in the context:

* **Field decisions** — ``project(type_name, values)`` receives the field values of
  one object (keyed by Python field name, relations included) just before the
  object is constructed from its row, and returns the values to expose. A policy
  masks a value by replacing it (``138****1234``), denies it by replacing it with
  ``DENIED`` (the executor turns that into ``null`` plus a ``FORBIDDEN_FIELD``
  error at the field's path), and allows it by leaving it alone. Resolvers
  never look at permissions: adding ``phone`` to ``Customer`` later means adding
  the column and the field, and the policy decides what a caller sees. A real
  policy compiles its rules once per policy version into a per-type plan (which
  fields to mask with which function) so ``project`` does a few dictionary writes
  per object, never a rule evaluation per field per row. ``wants`` lets the
  assembler skip loading a relation the policy would deny anyway.

* **Row scopes** — ``row_scope`` is the caller's scope as a hashable value
  (``policies.row_scopes.RowScope``) and ``scope(entity)`` its SQLAlchemy predicate
  over the entity's table (``customer``, ``household``, ``product``, ``advisor``),
  ``None`` for no restriction. Repositories AND it into every statement that
  returns such rows: connection pages, ``totalCount``, ``node(id)``, single lookups
  and nested lists (household members, referrals), so no path reads around it.
  Repositories that keep statements take the value and key their caches on it.

* **Writes** — ``require_write(type_name, attributes)`` raises ``Forbidden`` when a
  mutation would set a field the caller may not ``write``.

* **Filters** — ``require_filter(type_name, fields)`` raises ``ForbiddenFilter``
  when an argument selects or orders rows by a field the caller may not filter on
  (asking for ``phone = …`` and counting the rows reveals the phone).

Fields with a resolver of their own (paged histories, counts) cannot be replaced
in ``project``; their resolvers call ``require_read`` first.

``audience`` names the caller's role set: global IDs and cursors are sealed under
it (``schema.relay``), so they are per role set.

``in_clear`` says which fields the caller reads unmasked; reads of sensitive
fields in clear are audited (``policies.sensitive``).

``DenyAll``, the context's default, denies every field, filter, write and row, so
an entry point that forgets to pass a policy fails closed; ``AllowAll`` (benchmarks,
unit tests of loaders) allows everything and must be asked for by name. The policy
compiled from Casbin lines is ``schema.plan_policy.PlanPolicy``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from sqlalchemy import ColumnElement

from cdp.errors import Forbidden, ForbiddenField, ForbiddenFilter
from policies.row_scopes import EVERY_ROW, NO_ROW, Entity, RowScope

__all__ = ["DENIED", "AllowAll", "Entity", "FieldPolicy"]


class _Denied:
    """The value of a field the caller may not read. Nothing accepts it as a value
    (no scalar serialises it, it has no attributes and is not iterable), so a
    compiled completion plan declines it and graphql-core's completion meets it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DENIED"


DENIED: Final = _Denied()


class FieldPolicy:
    """Allows everything; subclasses override what they restrict."""

    version = "allow-all"
    # What global IDs and cursors are sealed under (``schema.relay``): the role set,
    # so that one role set's values neither open nor compare with another's.
    audience = b"cdp:allow-all"
    row_scope: RowScope = EVERY_ROW

    def project(self, type_name: str, values: dict[str, Any]) -> dict[str, Any]:
        """The values of one ``type_name`` object the caller may see (may mutate ``values``)."""
        return values

    def wants(self, type_name: str, field: str) -> bool:
        """Whether the caller may see ``type_name.field`` at all (relations not seen are
        not loaded)."""
        return True

    def in_clear(self, type_name: str, field: str) -> bool:
        """Whether the caller reads the GraphQL field ``type_name.field`` unmasked."""
        return True

    def require_read(self, type_name: str, field: str) -> None:
        """Raise ``ForbiddenField`` unless the caller may read ``type_name.field``."""

    def may_read(self, type_name: str, field: str) -> bool:
        """Whether the caller may read the GraphQL field ``type_name.field`` (in clear
        or masked): what the knowledge graph may use on the caller's behalf."""
        return True

    def require_filter(self, type_name: str, fields: Iterable[str]) -> None:
        """Raise ``ForbiddenFilter`` unless the caller may filter on all ``fields``."""

    def require_write(self, type_name: str, attributes: Iterable[str]) -> None:
        """Raise ``Forbidden`` unless the caller may set every one of the Python
        ``attributes`` of ``type_name`` that the type exposes."""

    def scope(self, entity: Entity) -> ColumnElement[bool] | None:
        """The row-scope predicate over ``entity``'s table, ``None`` for every row."""
        return self.row_scope.predicate(entity)


class AllowAll(FieldPolicy):
    """The policy before field permissions exist: every field, every row."""


class DenyAll(FieldPolicy):
    """No field, no filter, no write, no row: what a context without a policy gets."""

    version = "deny-all"
    # Repositories read the scope value itself (their statement caches key on it).
    row_scope = NO_ROW

    def project(self, type_name: str, values: dict[str, Any]) -> dict[str, Any]:
        return dict.fromkeys(values, DENIED)

    def wants(self, type_name: str, field: str) -> bool:
        return False

    def in_clear(self, type_name: str, field: str) -> bool:
        return False

    def require_read(self, type_name: str, field: str) -> None:
        raise ForbiddenField(f"you may not read {type_name}.{field}", field=f"{type_name}.{field}")

    def may_read(self, type_name: str, field: str) -> bool:
        return False

    def require_filter(self, type_name: str, fields: Iterable[str]) -> None:
        names = sorted(f"{type_name}.{f}" for f in fields)
        if names:
            raise ForbiddenFilter(f"you may not filter or sort on {', '.join(names)}", fields=names)

    def require_write(self, type_name: str, attributes: Iterable[str]) -> None:
        raise Forbidden(f"you may not write {type_name}")
