"""Rich tables for the ``cdp graph`` commands."""

from __future__ import annotations

from rich.table import Table

from graph.communities import Community
from graph.crosssell.service import CrossSell
from graph.evaluate.metrics import KS
from graph.evaluate.run import Result
from graph.households import Gap, HouseholdView
from graph.referrals import Cascade, Prospect, Referrer


def _money(value: float) -> str:
    return f"{value:,.0f}"


def cross_sell(result: CrossSell, customer_no: str) -> Table:
    table = Table(title=f"cross-sell for {customer_no}")
    for column in ("product", "name", "score", "components", "reasons"):
        table.add_column(column)
    for item in result.items:
        parts = " ".join(f"{k}={v:.3f}" for k, v in item.components.items())
        reasons = "; ".join(r.text for r in item.reasons) or "-"
        table.add_row(item.product_code, item.product_name, f"{item.score:.4f}", parts, reasons)
    if result.withheld:
        table.caption = f"nothing offered: {result.withheld}"
    else:
        removed = ", ".join(f"{k} {v}" for k, v in result.excluded.items() if v)
        table.caption = f"filtered out: {removed or 'none'}"
    return table


def cascade(c: Cascade, numbers: dict[int, str]) -> Table:
    table = Table(title=f"referral cascade of {numbers.get(c.root, c.root)}")
    for column in ("depth", "customer", "referred by", "AUM"):
        table.add_column(column, justify="right" if column in ("depth", "AUM") else "left")
    parent = {b: a for a, b in c.edges}
    for node in c.referees:
        table.add_row(
            str(node.depth),
            numbers.get(node.customer_id, str(node.customer_id)),
            numbers.get(parent[node.customer_id], "?"),
            _money(node.aum),
        )
    table.caption = f"{len(c.referees):,} referees, total AUM {_money(c.total_aum)}"
    return table


def referrers(rows: list[Referrer], numbers: dict[int, str]) -> Table:
    table = Table(title="top referrers (PageRank on the referral graph)")
    for column in ("customer", "influence", "direct", "cascade", "cascade AUM"):
        table.add_column(column, justify="left" if column == "customer" else "right")
    for r in rows:
        table.add_row(
            numbers.get(r.customer_id, str(r.customer_id)),
            f"{r.influence:.6f}",
            str(r.direct),
            str(r.cascade_size),
            _money(r.cascade_aum),
        )
    return table


def prospects(rows: list[Prospect], numbers: dict[int, str]) -> Table:
    table = Table(title="prospects around high-net-worth customers")
    for column in ("customer", "AUM", "connected AUM", "why"):
        table.add_column(column, justify="right" if "AUM" in column else "left")
    for p in rows:
        why = "; ".join(sorted(set(p.reasons)))
        cid = p.customer_id
        table.add_row(numbers.get(cid, str(cid)), _money(p.aum), _money(p.connected_aum), why)
    return table


def communities(rows: list[Community], numbers: dict[int, str], total: int) -> Table:
    table = Table(title=f"communities (Louvain): {total:,} with two or more customers")
    for column in ("community", "customers", "households", "AUM", "examples"):
        table.add_column(column, justify="left" if column == "examples" else "right")
    for c in rows:
        examples = ", ".join(numbers.get(x, str(x)) for x in c.customers[:3])
        table.add_row(str(c.id), str(c.size), str(c.households), _money(c.aum), examples)
    return table


def household(view: HouseholdView, numbers: dict[int, str], gaps: list[Gap]) -> Table:
    table = Table(title=f"household {view.household_id}: {view.tier}, AUM {_money(view.aum)}")
    table.add_column("member")
    table.add_column("relation")
    table.add_column("AUM", justify="right")
    for m in view.members:
        table.add_row(numbers.get(m.customer_id, "?"), m.relation, _money(m.aum))
    held = ", ".join(f"{k} {_money(v)}" for k, v in view.by_category.items())
    offers = "; ".join(f"{g.text} → {g.product_code or '-'}" for g in gaps)
    table.caption = f"holdings: {held or 'none'}\n{offers}"
    return table


def evaluation(results: list[Result], notes: dict[str, str], title: str) -> Table:
    table = Table(title=title)
    table.add_column("protocol")
    table.add_column("method")
    table.add_column("users", justify="right")
    for k in KS:
        table.add_column(f"HR@{k}", justify="right")
    for k in KS:
        table.add_column(f"MAP@{k}", justify="right")
    table.add_column("coverage", justify="right")
    for r in results:
        b = r.board
        table.add_row(
            r.protocol,
            r.method,
            f"{b.users:,}",
            *(f"{b.hr(k):.3f}" for k in KS),
            *(f"{b.map(k):.3f}" for k in KS),
            f"{b.coverage:.2f}",
        )
    table.caption = "\n".join(f"{k}: {v}" for k, v in notes.items())
    return table
