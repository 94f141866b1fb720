"""How a documented answer is compared with the API's: by shape, not by value.

The seed is deterministic for a seed and size, but ages, expiry flags and
pseudonymous ids depend on the day and the key, and a change to the generator
would otherwise break every page. So the test compares what a reader relies on:
the keys, list lengths, which values are null (denied or masked to nothing),
where a masked string keeps its stars, and each error's path and code.
"""

from __future__ import annotations

import re
from typing import Any


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        # A mask keeps its stars in place: 138****1234 and 张* read as such.
        return re.sub(r"[^*@]", "x", value) if "*" in value else "string"
    return value


def answer_shape(body: dict[str, Any]) -> dict[str, Any]:
    """The data's shape and the errors as (path, code), the message left out."""
    result: dict[str, Any] = {"data": shape(body.get("data"))}
    errors = body.get("errors")
    if errors is not None:
        result["errors"] = sorted(
            (tuple(e.get("path") or ()), e.get("extensions", {}).get("code")) for e in errors
        )
    return result
