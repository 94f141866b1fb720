"""The GraphiQL page and its assets, served by cdp itself (no CDN at run time).

``static/`` holds the minified GraphiQL, React and explorer-plugin files exactly as
published on npm (``scripts/vendor-graphiql.sh`` fetches them; ``SHA256SUMS`` and
the page's ``integrity`` attributes pin their content); ``index.html`` loads them
from ``ASSETS_PATH`` on the same origin.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
ASSETS_PATH = "/graphiql"


def page() -> str:
    return (HERE / "index.html").read_text(encoding="utf-8")
