from __future__ import annotations

from strawberry.types import Info as _Info

from schema.context import Context

Info = _Info[Context, None]
