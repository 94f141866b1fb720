"""Offline evaluation: metrics, splits, the holdings file, and a planted signal found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cdp.errors import InvalidInput
from graph.build import empty_columns
from graph.evaluate.holdings_file import parse_amount, parse_day, read_holdings
from graph.evaluate.metrics import Scoreboard, average_precision
from graph.evaluate.run import evaluate
from graph.evaluate.splits import leave_one_out, temporal

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_metrics() -> None:
    assert average_precision([5, 1, 7], {1}, 3) == pytest.approx(0.5)
    assert average_precision([1, 9, 2], {1, 2}, 3) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision([9, 8], {1}, 2) == 0.0
    board = Scoreboard(catalogue=10, ks=(1, 3))
    board.add([1, 2, 3], {2})
    board.add([4, 5, 6], {9})
    assert (board.hr(1), board.hr(3)) == (0.0, 0.5)
    assert board.map(3) == pytest.approx(0.25)
    assert board.coverage == pytest.approx(0.6)


def _columns(rows: list[tuple[int, int, int]]):  # type: ignore[no-untyped-def]
    cols = empty_columns()
    users = sorted({u for u, _, _ in rows})
    cols.customer_ids = np.array(users, np.int64)
    cols.risk_level = np.zeros(len(users), np.int8)
    cols.advisor = np.zeros(len(users), np.int64)
    cols.holding_customer = np.array([u for u, _, _ in rows], np.int64)
    cols.holding_product = np.array([p for _, p, _ in rows], np.int64)
    cols.holding_value = np.ones(len(rows))
    cols.holding_since = np.array([d for _, _, d in rows], np.int32)
    return cols


def test_leave_one_out_holds_out_the_latest() -> None:
    cols = _columns([(1, 10, 5), (1, 11, 9), (1, 12, 7), (2, 10, 1)])
    train, truth = leave_one_out(cols, seed=1)
    assert truth == {1: {11}}  # customer 2 has one holding only
    assert sorted(train.holding_product.tolist()) == [10, 10, 12]


def test_temporal_split() -> None:
    rows = [(u, p, d) for u in range(1, 11) for p, d in ((1, 10), (2, 20))] + [(1, 3, 100)]
    train, truth, cutoff = temporal(_columns(rows), quantile=0.9)
    assert cutoff == 20
    assert truth == {1: {2, 3}} | {u: {2} for u in range(2, 11)}
    assert set(train.holding_product.tolist()) == {1}


def test_holdings_file_in_the_import_format(tmp_path: Path) -> None:
    data = read_holdings(EXAMPLES / "holdings.csv")
    assert data.rows > 0
    assert data.dated
    assert len(data.columns.holding_customer) + data.skipped == data.rows
    assert parse_day("2024年1月2日") == parse_day("2024/1/2") == parse_day("20240102")
    assert parse_day("2024-02-30") is None
    assert parse_amount("12.5万") == 125_000
    assert parse_amount("-5") is None
    bad = tmp_path / "bad.csv"
    bad.write_text("customer,product\nx,y\n")
    with pytest.raises(InvalidInput):
        read_holdings(bad)
    with pytest.raises(InvalidInput):
        read_holdings(tmp_path / "missing.csv")


def test_planted_co_holding_beats_popularity(tmp_path: Path) -> None:
    """Each customer holds the three products of one group; a popular product P adds noise."""
    lines = ["customer_key,product_code,opened_at"]
    rng = np.random.default_rng(3)
    for u in range(400):
        group = u % 8
        for item, month in zip("ABC", rng.permutation([2, 3, 4]), strict=True):
            lines.append(f"u{u},{item}{group},2024-0{month}-15")
        if rng.random() < 0.7:
            lines.append(f"u{u},P,2023-06-01")
    path = tmp_path / "planted.csv"
    path.write_text("\n".join(lines) + "\n")
    data = read_holdings(path)
    results, notes = evaluate(data.columns, data.products, 5e5, 6e6, sample=1000, seed=1)
    boards = {(r.protocol, r.method): r.board for r in results}
    for protocol in ("leave-one-out", "temporal"):
        graph, popular = boards[protocol, "graph"], boards[protocol, "popularity"]
        assert graph.hr(3) > 0.9, protocol
        assert graph.hr(3) > 2 * popular.hr(3), protocol
        assert graph.map(7) > popular.map(7)
    assert "temporal" in notes
    assert boards["leave-one-out", "graph"].users == 400
