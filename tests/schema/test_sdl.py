"""The committed SDL is the contract front-end teams generate clients from."""

from __future__ import annotations

from schema.export import SDL_PATH, sdl


def test_committed_sdl_matches_the_code() -> None:
    committed = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    assert committed == sdl(), (
        "schema/schema.graphql differs from the schema in code: run `make schema` "
        "and commit the file (review the diff: it is the API contract)"
    )
