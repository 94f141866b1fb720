"""The fields a policy may name: the API's object types plus fields still to come.

The schema layer owns the list of fields and will pass it in; this package never
imports it. Tools that run without the app (``cdp policy check``, the matrix) read
the committed SDL file instead — the same contract the front-end teams generate
code from — and add ``PLANNED_FIELDS``: sensitive customer data that policies must already govern
before the API exposes it, so exposing it later changes no policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from graphql import GraphQLObjectType, build_schema

SDL_PATH: Final = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"

PLANNED_FIELDS: Final = frozenset(
    {
        "Customer.phone",
        "Customer.email",
        "Customer.idNumber",
        "Customer.pseudonymousId",
    }
)


def _governed(type_name: str, schema_roots: set[str]) -> bool:
    """Object types carrying data. Root operation types and Relay plumbing
    (connections, edges, page info) hold no data of their own."""
    return not (
        type_name.startswith("__")
        or type_name in schema_roots
        or type_name.endswith(("Connection", "Edge"))
        or type_name == "PageInfo"
    )


def sdl_fields(sdl: str) -> frozenset[str]:
    """``Type.field`` for every field of every governed object type in ``sdl``."""
    schema = build_schema(sdl)
    roots = {t.name for t in (schema.query_type, schema.mutation_type) if t is not None}
    return frozenset(
        f"{name}.{field}"
        for name, gtype in schema.type_map.items()
        if isinstance(gtype, GraphQLObjectType) and _governed(name, roots)
        for field in gtype.fields
    )


def known_fields(sdl_path: Path = SDL_PATH) -> frozenset[str]:
    """The SDL's governed fields and the planned ones."""
    return sdl_fields(sdl_path.read_text(encoding="utf-8")) | PLANNED_FIELDS
