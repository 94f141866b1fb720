"""Writes the SDL contract, ``schema/schema.graphql`` (``make schema``).

Front-end teams generate clients from this file and review its diff, so it is
committed, and a test fails when the code and the file disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from schema.build import build_schema

SDL_PATH = Path(__file__).with_name("schema.graphql")


def sdl() -> str:
    """The schema as SDL; limits and production mode do not change it."""
    return build_schema().as_str() + "\n"


def main() -> None:
    SDL_PATH.write_text(sdl(), encoding="utf-8")
    sys.stdout.write(f"wrote {SDL_PATH}\n")


if __name__ == "__main__":
    main()
