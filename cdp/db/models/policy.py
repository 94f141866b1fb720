"""Policy lines as rows: the table casbin-async-sqlalchemy-adapter reads and writes.

The adapter's layout (``ptype`` plus up to six values ``v0``..``v5``, unused ones
NULL) holds every line kind of our model — ``p`` (four values), ``p2`` and ``g``
(two) — so the table is the adapter's own rather than one of ours: Casbin tooling
pointed at the database sees the same policy the API enforces. ``id`` keeps the
order lines were added in and stands in for the line number in validation errors.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cdp.db.base import Base


class PolicyRule(Base):
    __tablename__ = "casbin_rule"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ptype: Mapped[str | None] = mapped_column(String(255))
    v0: Mapped[str | None] = mapped_column(String(255))
    v1: Mapped[str | None] = mapped_column(String(255))
    v2: Mapped[str | None] = mapped_column(String(255))
    v3: Mapped[str | None] = mapped_column(String(255))
    v4: Mapped[str | None] = mapped_column(String(255))
    v5: Mapped[str | None] = mapped_column(String(255))
