"""CLI command ``cdp policy check`` (registered by the CLI, which owns the ``cdp`` app).

Checks a policy file before it is deployed or loaded into the database: every
problem is printed with its line number, and the exit code is that of
``InvalidInput`` when there is any, so the command can guard a CI job. A valid
file may still hold lines that change nothing (``policies.no_effect``); they are
printed as warnings and do not fail the check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cdp.errors import InvalidInput
from policies.known_fields import SDL_PATH, known_fields
from policies.lines import DEFAULT_POLICY, policy_version, read_policy
from policies.no_effect import no_effect
from policies.validation import lint

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


def check(
    path: Annotated[
        Path, typer.Argument(help="Policy CSV file (default: the built-in policy).")
    ] = DEFAULT_POLICY,
    sdl: Annotated[
        Path, typer.Option("--sdl", help="GraphQL SDL naming the fields policies may govern.")
    ] = SDL_PATH,
) -> None:
    """Check a policy file: known types, fields, actions, effects and roles, no cycles."""
    for needed in (path, sdl):
        if not needed.is_file():
            err_console.print(f"[bold red]error:[/] no such file: {needed}")
            raise typer.Exit(InvalidInput.exit_code)
    lines = read_policy(path)
    fields = known_fields(sdl)
    problems = lint(lines, fields)
    for problem in problems:
        err_console.print(f"{path}:{problem.line}: {problem.message}", markup=False)
    if problems:
        err_console.print(f"[bold red]{len(problems)} problem(s)[/] in {path}")
        raise typer.Exit(InvalidInput.exit_code)
    warnings = no_effect(lines, lines, fields)
    for warning in warnings:
        err_console.print(f"{path}:{warning.line.number}: warning: {warning}", markup=False)
    counted = f", {len(warnings)} warning(s)" if warnings else ""
    console.print(
        f"{path}: {len(lines)} lines, version {policy_version(lines)}, no problems{counted}"
    )
