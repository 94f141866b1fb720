"""API keys: issued once, stored hashed, listed without secrets, revoked, expired."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from cdp.auth import keys
from cdp.auth.base import warn_unknown
from cdp.auth.store import create_key, find_by_prefix, list_keys, record_use, revoke_key
from cdp.db.engine import AsyncWriteSession
from cdp.db.models.security import ApiKey
from cdp.errors import Conflict, InvalidInput, NotFound

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def test_key_is_returned_once_and_stored_as_a_hash(session: AsyncWriteSession) -> None:
    row, token = await create_key(session, "acme", "partner", NOW, timedelta(days=90))
    prefix, secret = keys.parse(token) or pytest.fail("malformed key")
    stored = await session.scalar(select(ApiKey).where(ApiKey.name == "acme"))
    assert stored is not None
    assert stored.prefix == prefix == row.prefix
    assert stored.key_hash == hashlib.sha256(secret.encode()).digest()
    assert secret not in repr(stored.__dict__)
    assert stored.expires_at == NOW + timedelta(days=90)
    assert token.startswith(f"cdp_{prefix}_")


async def test_lookup_verifies_secret_and_state(session: AsyncWriteSession) -> None:
    _, token = await create_key(session, "svc", "frontend", NOW, timedelta(hours=1))
    prefix, secret = keys.parse(token) or pytest.fail("malformed key")
    record = await find_by_prefix(session, prefix)
    assert record is not None
    assert keys.secret_matches(secret, record.key_hash)
    assert not keys.secret_matches(secret[:-1] + "x", record.key_hash)
    assert record.usable_at(NOW)
    assert not record.usable_at(NOW + timedelta(hours=1))
    await revoke_key(session, "svc", NOW)
    revoked = await find_by_prefix(session, prefix)
    assert revoked is not None
    assert not revoked.usable_at(NOW)


async def test_names_are_unique_and_roles_known(session: AsyncWriteSession) -> None:
    await create_key(session, "acme", "partner", NOW)
    with pytest.raises(Conflict):
        await create_key(session, "acme", "admin", NOW)
    with pytest.raises(InvalidInput, match="unknown role 'superuser'"):
        await create_key(session, "other", "superuser", NOW)
    with pytest.raises(NotFound):
        await revoke_key(session, "nobody", NOW)


async def test_source_system_keys_carry_their_sources(session: AsyncWriteSession) -> None:
    row, token = await create_key(
        session, "crm", "source_system", NOW, sources=["crm", "crm_archive", "crm"]
    )
    assert row.sources == ["crm", "crm_archive"]
    prefix, _ = keys.parse(token) or pytest.fail("malformed key")
    record = await find_by_prefix(session, prefix)
    assert record is not None
    assert record.sources == ("crm", "crm_archive")
    _, partner = await create_key(session, "acme", "partner", NOW)
    other = await find_by_prefix(session, (keys.parse(partner) or pytest.fail("malformed key"))[0])
    assert other is not None
    assert other.sources == ()


@pytest.mark.parametrize(
    ("role", "sources", "message"),
    [
        ("source_system", [], "needs the source names"),
        ("partner", ["crm"], "only source_system keys"),
        ("admin", ["crm"], "only source_system keys"),
        ("source_system", [""], "bad source name"),
        ("source_system", [" crm"], "bad source name"),
        ("source_system", ["crm\x00"], "bad source name"),
        ("source_system", ["ｃｒｍ"], "bad source name"),  # ingestion would fold it
        ("source_system", ["c" * 33], "bad source name"),
    ],
)
async def test_bad_source_bindings_are_refused(
    session: AsyncWriteSession, role: str, sources: list[str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await create_key(session, "k", role, NOW, sources=sources)


async def test_record_use_only_moves_forward(session: AsyncWriteSession) -> None:
    row, _ = await create_key(session, "acme", "partner", NOW)
    await record_use(session, [row.id], NOW + timedelta(minutes=5))
    await record_use(session, [row.id], NOW + timedelta(minutes=1))
    [listed] = [k for k in await list_keys(session) if k.name == "acme"]
    await session.refresh(listed)
    assert listed.last_used_at == NOW + timedelta(minutes=5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90d", timedelta(days=90)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert keys.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "90", "d", "0d", "-1d", "1y", "1.5d", "99999999999999w"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InvalidInput):
        keys.parse_duration(text)


@pytest.mark.parametrize(
    "token",
    ["", "cdp_", "cdp_abc_def", "Bearer x", "cdp_0123456789ab_" + "a" * 42, "xyz_" + "a" * 60],
)
def test_malformed_keys_do_not_parse(token: str) -> None:
    assert keys.parse(token) is None


def test_unknown_token_roles_are_warned_about_once(caplog: pytest.LogCaptureFixture) -> None:
    warn_unknown(["admin", "wizard"])
    warn_unknown(["wizard"])
    assert [r.__dict__.get("role") for r in caplog.records] == ["wizard"]
