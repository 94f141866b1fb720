"""``cdp demo`` prints a ready admin key: reused while valid, replaced when not."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from cdp.auth.commands import DEMO_KEY_NAME, demo_key
from cdp.auth.store import revoke_key
from cdp.db.engine import Database


async def test_demo_key_is_reused_then_replaced_after_revocation(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "demo-admin.key"
    first = await demo_key(db, path)
    assert path.read_text().strip() == first
    assert path.stat().st_mode & 0o777 == 0o600
    assert await demo_key(db, path) == first

    async with db.write_session() as session:
        await revoke_key(session, DEMO_KEY_NAME, datetime.now(UTC))
    replaced = await demo_key(db, path)
    assert replaced != first
    assert path.read_text().strip() == replaced
