"""Every document the code and the docs cite is in the repository.

The repository must stand on its own: a module docstring pointing at a page that
is not here leaves its reader with nothing. Citations are names ending in ``.md``,
resolved from the repository root, the citing file's folder or ``docs/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.docs.markdown import ROOT

FOLDERS = ("cdp", "schema", "tagging", "graph", "policies", "docs", "bench", "tests")
_CITATION = re.compile(r"(?<![\w/.-])(\w[\w./-]*\.md)\b")


def _sources() -> list[Path]:
    found = [ROOT / "README.md"]
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            # This module names a missing page on purpose, to see it found.
            own = path == Path(__file__)
            if path.suffix in (".py", ".md") and "node_modules" not in path.parts and not own:
                found.append(path)
    return found


def _unresolved(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    bases = (ROOT, path.parent, ROOT / "docs")
    return [name for name in _CITATION.findall(text) if not any((b / name).exists() for b in bases)]


def test_cited_documents_exist() -> None:
    missing = [f"{p.relative_to(ROOT)}: {name}" for p in _sources() for name in _unresolved(p)]
    assert missing == []


def test_a_missing_citation_is_found(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text('"""Rules in docs/architecture.md, README.md and nowhere/RULES.md."""\n')
    assert _unresolved(module) == ["nowhere/RULES.md"]
