"""Row builders for ingestion tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text

from cdp.db.engine import AsyncWriteSession
from cdp.idcard import make_number


def person(key: str, name: str, **fields: Any) -> dict[str, object]:
    return {"source_key": key, "name": name, "updated_at": "2024-06-01"} | fields


def card(n: int, birth: date = date(1985, 3, 12)) -> str:
    return make_number("310101", birth, n * 2 + 1)


async def scalar(session: AsyncWriteSession, sql: str, **params: Any) -> Any:
    return (await session.execute(text(sql), params)).scalar()
