"""Every GraphQL example of README.md and docs/*.md runs against a seeded database.

Each block is sent as it is written, as admin or as the role its ``# as:`` marker
names (see ``tests/docs/markdown.py``), and must answer without errors unless an
``# expect:`` marker names the error it shows. An answer printed after the query
(a ```json block) must have the same shape as the API's (``tests/docs/answers.py``);
when it does not, the failure prints the API's answer to paste into the page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cdp.cli import demo_banner
from cdp.db.engine import Database
from cdp.seed.chunk import customer_no
from tests.conftest import AppClient
from tests.docs.answers import answer_shape
from tests.docs.markdown import ROOT, Block, all_blocks, caller

GRAPHQL = all_blocks("graphql")
RUN = [b for b in GRAPHQL if b.marker("covered by") is None]
COVERED = [b for b in GRAPHQL if b.marker("covered by") is not None]

# Mutating examples that another test runs, by the file that runs them.
COVERED_BY = {
    "tests/schema/mutations/test_policy.py",
}


@pytest.mark.parametrize("block", RUN, ids=[b.name for b in RUN])
async def test_graphql_example(
    block: Block, app_client: AppClient, docs_db: Database, docs_data_dir: Path
) -> None:
    who = caller(block)
    async with app_client(
        roles=who.roles,
        advisor_id=who.advisor_id,
        claims=who.claims,
        database=docs_db,
        data_dir=docs_data_dir,
        graph_refresh_seconds=0,
    ) as client:
        response = await client.post("/graphql", json={"query": block.text})
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    expected = block.marker("expect")
    if expected is None:
        assert codes == [], f"{block.name}: {json.dumps(body, ensure_ascii=False)}"
    else:
        assert set(codes) == {expected}, f"{block.name}: expected {expected}, got {body}"
    if block.answer is not None:
        shown = json.loads(block.answer)
        actual = json.dumps(body, ensure_ascii=False, indent=2)
        assert answer_shape(shown) == answer_shape(body), (
            f"{block.name}: the answer shown differs from the API's:\n{actual}"
        )


def test_examples_are_found() -> None:
    """The extraction sees the pages' blocks (a broken fence would hide them all)."""
    names = {b.path.name for b in GRAPHQL}
    assert {"README.md", "roles.md"} <= names
    assert all(b.answer is not None for b in GRAPHQL if b.path.name == "roles.md")


def test_covered_examples_name_their_test() -> None:
    assert [b.marker("covered by") for b in COVERED] == sorted(COVERED_BY)
    root = Path(__file__).resolve().parents[2]
    for name in COVERED_BY:
        assert (root / name).is_file(), f"{name} is named as covering an example but is missing"
    for block in COVERED:
        assert block.text.lstrip().startswith(("mutation", "#")), block.name


def _one_line(query: str) -> str:
    without_comments = re.sub(r"#[^\n]*", "", query)
    return re.sub(r"\s+", " ", without_comments).replace("{ ", "{").replace(" }", "}").strip()


def test_demo_prints_the_readme_query() -> None:
    """`cdp demo` prints the README's first query, for a customer of its data set."""
    readme_query = next(b for b in GRAPHQL if b.path == ROOT / "README.md").text
    number = customer_no(1)
    assert f'"{number}"' in readme_query
    lines = demo_banner(
        "http://127.0.0.1:8000", "cdp_x_y", "eyJ.x.y", number, ["C2", "C3"], Path(".cdp")
    )
    start = lines.index("  then try in GraphiQL:") + 1
    printed = " ".join(lines[start : start + 2])
    assert _one_line(printed) == _one_line(readme_query)
    assert any(line.endswith(": C2, C3") for line in lines)
