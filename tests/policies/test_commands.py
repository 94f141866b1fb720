"""``cdp policy check``: problems with line numbers, exit code 2 when there are any."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from policies.commands import check

app = typer.Typer()
app.command()(check)


def test_the_default_policy_passes() -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_problems_are_listed_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "policy.csv"
    path.write_text(
        "p, a, Customer.name, read, allow\np, a, Customer.salary, read, allow\ng, a, nobody\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, [str(path)])
    assert result.exit_code == 2
    assert f"{path}:2: unknown field 'salary' of Customer" in result.output
    assert f"{path}:3: unknown role 'nobody'" in result.output
    assert "2 problem(s)" in result.output


def test_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [str(tmp_path / "missing.csv")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_lines_without_effect_are_warnings_not_problems(tmp_path: Path) -> None:
    path = tmp_path / "policy.csv"
    path.write_text(
        "g, marketer, pii_restricted\n"
        "p, marketer, Customer.name, read, allow\n"
        "p, marketer, Customer.email, read, mask\n"
        "p2, marketer, none\n"
        "p, pii_restricted, Customer.email, read, deny\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, [str(path)])
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:3: warning: p, marketer, Customer.email, read, mask has no effect: "
        "marketer inherits a deny on Customer.email from pii_restricted"
    ) in result.output
    assert "no problems, 1 warning(s)" in result.output
