"""GraphiQL works offline: the page loads only same-origin assets, all served by cdp."""

from __future__ import annotations

import base64
import hashlib
import re

from cdp.http.graphiql import HERE, STATIC_DIR
from tests.conftest import AppClient

HTML = {"accept": "text/html"}


async def test_the_page_loads_only_same_origin_assets_that_answer(
    app_client: AppClient,
) -> None:
    async with app_client(env="development", headers={}) as browser:
        page = await browser.get("/graphql", headers=HTML)
        assert page.status_code == 200
        assert "GraphiQL" in page.text
        references = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        integrity = dict(
            re.findall(r'(?:src|href)="([^"]+)"\s+integrity="sha384-([^"]+)"', page.text)
        )
        assert len(references) == 6
        assert set(references) == set(integrity)
        for url in references:
            # Same origin: a path, no scheme, no protocol-relative host.
            assert url.startswith("/")
            assert not url.startswith("//")
            asset = await browser.get(url)  # no credentials, as a browser loads them
            assert asset.status_code == 200, url
            digest = base64.b64encode(hashlib.sha384(asset.content).digest()).decode()
            assert digest == integrity[url], url
        assert "unpkg" not in page.text
        assert re.search(r"https?://", page.text) is None


async def test_no_page_and_no_assets_in_production(app_client: AppClient) -> None:
    async with app_client(env="production") as client:
        assert (await client.get("/graphiql/graphiql.min.js")).status_code == 404
        page = await client.get("/graphql", headers=HTML)
        assert "GraphiQL" not in page.text


def test_vendored_files_match_their_checksums() -> None:
    sums = (HERE / "SHA256SUMS").read_text().split("\n")
    listed = {}
    for line in filter(None, sums):
        digest, name = line.split(maxsplit=1)
        listed[name.lstrip("*")] = digest
    assert set(listed) == {p.name for p in STATIC_DIR.iterdir()}
    for name, digest in listed.items():
        assert hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest() == digest, name
