"""The code blocks of the repository's documentation, read at test time.

Every ```graphql and ```sh block of README.md and docs/*.md is an example a reader
may paste, so the tests run them all; a block added later is covered without
touching the tests. A GraphQL block may carry comment lines (valid GraphQL, sent
as they are) that say how to run it:

- ``# as: marketer`` — the caller's role (admin otherwise); ``# as: advisor
  (advisor_id 12)`` adds the token's advisor id, ``# as: source_system (sources
  crm)`` the sources it may send as;
- ``# expect: QUERY_TOO_COMPLEX`` — the error code the example is meant to show;
- ``# covered by: tests/…`` — a mutating example run by that test instead.

A ```json block that follows a GraphQL block, with only prose between them, is
that query's answer as the document shows it.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^\s*#\s*(as|expect|covered by):\s*(.+?)\s*$", re.MULTILINE)
_ROLE = re.compile(r"^(\w+)(?:\s+\((advisor_id|sources)\s+([^)]+)\))?$")


def documents() -> list[Path]:
    """README.md and every page under docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    lang: str
    text: str
    answer: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    def marker(self, key: str) -> str | None:
        found = [value for k, value in _MARKER.findall(self.text) if k == key]
        assert len(found) <= 1, f"{self.name}: more than one `# {key}:` marker"
        return found[0] if found else None


@dataclass(frozen=True)
class Caller:
    """Who a GraphQL example runs as, from its ``# as:`` marker."""

    roles: tuple[str, ...] = ("admin",)
    advisor_id: int | None = None
    claims: dict[str, object] = field(default_factory=dict)


def caller(block: Block) -> Caller:
    spec = block.marker("as")
    if spec is None:
        return Caller()
    match = _ROLE.match(spec)
    assert match, f"{block.name}: `# as: {spec}` is not `role` or `role (advisor_id N)`"
    role, key, value = match.groups()
    if key == "advisor_id":
        return Caller((role,), advisor_id=int(value))
    if key == "sources":
        return Caller((role,), claims={"sources": value.split()})
    return Caller((role,))


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of one Markdown file, each GraphQL one with its answer."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    start: tuple[int, str] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, 1):
        fence = _FENCE.match(line)
        if start is None:
            if fence:
                start, body = (number, fence.group(1)), []
            continue
        if not line.startswith("```"):
            body.append(line)
            continue
        line_no, lang = start
        text = "\n".join(body) + "\n"
        previous = found[-1] if found else None
        if lang == "json" and previous and previous.lang == "graphql" and previous.answer is None:
            found[-1] = Block(previous.path, previous.line, previous.lang, previous.text, text)
        found.append(Block(path, line_no, lang, text))
        start = None
    assert start is None, f"{path.name}: a code block opened on line {start[0]} is not closed"
    return found


def all_blocks(lang: str) -> list[Block]:
    return [b for path in documents() for b in blocks(path) if b.lang == lang]


def shell_commands(block: Block) -> list[list[str]]:
    """The commands of a shell block: continuations joined, comments dropped."""
    commands: list[list[str]] = []
    pending = ""
    for line in block.text.splitlines():
        pending += line
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        words = shlex.split(pending, comments=True)
        if words:
            commands.append(words)
        pending = ""
    return commands
