"""the stored policy gains the knowledge graph's lines

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 19:30:00.000000

The GraphQL fields of the knowledge graph (``Customer.crossSell``,
``Customer.community``, ``referralNetwork``, ``topReferrers``, ``prospects``,
household insight) are denied to every role but admin until the stored policy
grants them. A database seeded before them gets the default policy's lines for
them here; lines it already has (a database seeded from today's default policy in
0003) are not added twice, and an administrator's own changes are left alone.
Downgrading removes exactly these lines.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYS = ("ptype", "v0", "v1", "v2", "v3", "v4", "v5")
_LINES: tuple[tuple[str, ...], ...] = (
    ("g", "advisor", "graph_advice"),
    ("p", "advisor", "Customer.community", "read", "allow"),
    ("p", "advisor", "Community.*", "read", "allow"),
    ("p", "advisor", "ReferralNetwork.*", "read", "allow"),
    ("p", "advisor", "ReferralNode.*", "read", "allow"),
    ("p", "advisor", "ReferralLink.*", "read", "allow"),
    ("g", "frontend", "graph_advice"),
    ("g", "marketer", "graph_advice"),
    ("p", "marketer", "Customer.referredBy", "read", "allow"),
    ("p", "marketer", "Customer.referrals", "read", "allow"),
    ("p", "marketer", "Referral.*", "read", "allow"),
    ("p", "marketer", "Customer.community", "read", "allow"),
    ("p", "marketer", "Community.*", "read", "allow"),
    ("p", "marketer", "ReferralNetwork.*", "read", "allow"),
    ("p", "marketer", "ReferralNode.*", "read", "allow"),
    ("p", "marketer", "ReferralLink.*", "read", "allow"),
    ("p", "marketer", "TopReferrer.*", "read", "allow"),
    ("p", "marketer", "Household.id", "read", "allow"),
    ("p", "marketer", "Household.tier", "read", "allow"),
    ("p", "marketer", "Household.holdingsByCategory", "read", "allow"),
    ("p", "marketer", "Household.gaps", "read", "allow"),
    ("p", "graph_advice", "Customer.crossSell", "read", "allow"),
    ("p", "graph_advice", "CrossSell.*", "read", "allow"),
    ("p", "graph_advice", "Recommendation.*", "read", "allow"),
    ("p", "graph_advice", "CrossSellReason.*", "read", "allow"),
    ("p", "graph_advice", "NamedNumber.*", "read", "allow"),
    ("p", "graph_advice", "HouseholdGap.*", "read", "allow"),
)
_RULE = sa.table("casbin_rule", *(sa.column(name) for name in _KEYS))


def _row(line: tuple[str, ...]) -> dict[str, str | None]:
    return dict.fromkeys(_KEYS) | dict(zip(_KEYS, line, strict=False))


def _match(line: tuple[str, ...]) -> sa.ColumnElement[bool]:
    row = _row(line)
    return sa.and_(
        *(_RULE.c[k] == v if v is not None else _RULE.c[k].is_(None) for k, v in row.items())
    )


def upgrade() -> None:
    bind = op.get_bind()
    missing = [
        _row(line)
        for line in _LINES
        if bind.execute(sa.select(sa.func.count()).select_from(_RULE).where(_match(line))).scalar()
        == 0
    ]
    if missing:
        op.bulk_insert(_RULE, missing)


def downgrade() -> None:
    for line in _LINES:
        op.execute(_RULE.delete().where(_match(line)))
