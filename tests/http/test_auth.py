"""Who may call: 401 for missing or bad credentials, open probes, keys and tokens accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from cdp.auth.store import create_key, revoke_key
from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models.security import ApiKey
from tests.conftest import TEST_JWT_SECRET, AppClient, bearer, mint_token

QUERY = {"query": "{ __typename }"}


def _assert_401(response: httpx.Response, message: str | None = None) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith('Bearer realm="cdp"')
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "Traceback" not in response.text
    if message:
        assert message in error["message"]


async def _post(
    app_client: AppClient, headers: dict[str, str], **settings: object
) -> httpx.Response:
    async with app_client(headers=headers, **settings) as client:
        return await client.post("/graphql", json=QUERY)


async def test_no_credentials_is_401(app_client: AppClient) -> None:
    async with app_client(headers={}) as client:
        post = await client.post("/graphql", json=QUERY)
        get = await client.get("/graphql", params=QUERY)
        other = await client.get("/nowhere")
    _assert_401(post, "Authentication required")
    assert post.headers["www-authenticate"] == 'Bearer realm="cdp"'
    _assert_401(get)
    _assert_401(other)
    assert post.headers["x-request-id"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer not-a-jwt",
        "Bearer cdp_short",
        "Bearer cdp_0123456789ab_" + "A" * 43,
    ],
)
async def test_bad_credentials_are_401(app_client: AppClient, authorization: str) -> None:
    _assert_401(await _post(app_client, {"authorization": authorization}))


async def test_api_key_accepted_until_revoked_or_expired(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    now = datetime.now(UTC)
    _, good = await create_key(session, "acme", "partner", now, timedelta(days=1))
    _, old = await create_key(session, "old", "partner", now - timedelta(days=2), timedelta(days=1))
    _, gone = await create_key(session, "gone", "partner", now)
    await revoke_key(session, "gone", now)
    await session.commit()

    assert (await _post(app_client, bearer(good))).status_code == 200
    _assert_401(await _post(app_client, bearer(old)), "expired")
    _assert_401(await _post(app_client, bearer(gone)), "revoked")
    wrong_secret = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    _assert_401(await _post(app_client, bearer(wrong_secret)), "not valid")


async def test_revocation_reaches_a_running_app_after_the_cache_time(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    _, token = await create_key(session, "acme", "partner", datetime.now(UTC))
    await session.commit()
    async with app_client(headers=bearer(token), api_key_cache_seconds=0) as client:
        assert (await client.post("/graphql", json=QUERY)).status_code == 200
        await revoke_key(session, "acme", datetime.now(UTC))
        await session.commit()
        _assert_401(await client.post("/graphql", json=QUERY), "revoked")


async def test_last_used_is_written_at_most_once_per_interval(
    app_client: AppClient, session: AsyncWriteSession, db: Database
) -> None:
    row, token = await create_key(session, "acme", "partner", datetime.now(UTC))
    await session.commit()
    async with app_client(headers=bearer(token)) as client:
        await client.post("/graphql", json=QUERY)
        async with db.read_session() as read:
            first = await read.scalar(select(ApiKey.last_used_at).where(ApiKey.id == row.id))
        await client.post("/graphql", json=QUERY)
        async with db.read_session() as read:
            second = await read.scalar(select(ApiKey.last_used_at).where(ApiKey.id == row.id))
    assert first is not None
    assert second == first


def _hs256(payload: bytes, secret: bytes) -> str:
    """Signed by hand: the library rightly refuses a PEM key as an HMAC secret."""

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + b"." + b64(payload)
    signature = hmac.new(secret, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + b64(signature)).decode()


def _unsigned(payload: bytes) -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=")
    return (header + b"." + base64.urlsafe_b64encode(payload).rstrip(b"=") + b".").decode()


def _rsa_pair() -> tuple[bytes, str]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem.decode()


async def test_bad_tokens_are_401(app_client: AppClient) -> None:
    unsigned = _unsigned(b'{"sub":"x","roles":["admin"],"exp":4294967296}')
    cases = {
        "expired": mint_token(expires_in=-3600),
        "invalid": mint_token(key="another-secret-that-is-long-enough-32b"),
        "not accepted": unsigned,
    }
    for message, token in cases.items():
        _assert_401(await _post(app_client, bearer(token)), message)
    no_exp = jwt.encode({"sub": "x", "roles": ["admin"]}, TEST_JWT_SECRET, algorithm="HS256")
    _assert_401(await _post(app_client, bearer(no_exp)), "invalid")
    # No roles is a caller policies grant nothing, not a bad token.
    no_roles = mint_token(roles=[])
    assert (await _post(app_client, bearer(no_roles))).status_code == 200
    not_a_list = jwt.encode(
        {"sub": "x", "roles": "admin", "exp": 2**32}, TEST_JWT_SECRET, algorithm="HS256"
    )
    _assert_401(await _post(app_client, bearer(not_a_list)), "roles")


async def test_leeway_admits_slightly_expired_tokens(app_client: AppClient) -> None:
    token = bearer(mint_token(expires_in=-10))
    assert (await _post(app_client, token, jwt_leeway_seconds=30)).status_code == 200
    _assert_401(await _post(app_client, token, jwt_leeway_seconds=0), "expired")


async def test_rs256_and_no_algorithm_confusion(app_client: AppClient) -> None:
    private_pem, public_pem = _rsa_pair()
    rs_only = {"jwt_public_key": public_pem, "jwt_secret": None}
    good = mint_token(key=private_pem.decode(), algorithm="RS256")
    assert (await _post(app_client, bearer(good), **rs_only)).status_code == 200
    # An HS256 token whose secret is the public key: refused, there is no HS256 key.
    forged = _hs256(b'{"sub":"x","roles":["admin"],"exp":4294967296}', public_pem.encode())
    _assert_401(await _post(app_client, bearer(forged), **rs_only), "not accepted")
    # With both configured, HS256 is still checked against the secret only.
    both = {"jwt_public_key": public_pem}
    _assert_401(await _post(app_client, bearer(forged), **both), "invalid")
    hs_only = await _post(app_client, bearer(good))
    _assert_401(hs_only, "not accepted")


async def test_issuer_and_audience_when_configured(app_client: AppClient) -> None:
    checks = {"jwt_issuer": "https://idp.example", "jwt_audience": "cdp"}
    good = mint_token(iss="https://idp.example", aud="cdp")
    assert (await _post(app_client, bearer(good), **checks)).status_code == 200
    for token in (
        mint_token(iss="https://evil.example", aud="cdp"),
        mint_token(iss="https://idp.example", aud="other"),
        mint_token(),
    ):
        _assert_401(await _post(app_client, bearer(token), **checks))
    # Unconfigured, an audience in the token is not a reason to refuse it.
    assert (await _post(app_client, bearer(mint_token(aud="x")))).status_code == 200


async def test_probes_stay_open(app_client: AppClient) -> None:
    async with app_client(headers={}) as client:
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/metrics")).status_code == 200  # loopback bind
    async with app_client(headers={}, host="0.0.0.0") as client:
        _assert_401(await client.get("/metrics"))
    async with app_client(headers={}, metrics_open=True, host="0.0.0.0") as client:
        assert (await client.get("/metrics")).status_code == 200


async def test_graphiql_page_open_in_development_only(app_client: AppClient) -> None:
    html = {"accept": "text/html"}
    async with app_client(headers={}, env="development") as client:
        page = await client.get("/graphql", headers=html)
        query = await client.get("/graphql", params=QUERY, headers=html)
    async with app_client(headers={}, env="test") as client:
        closed = await client.get("/graphql", headers=html)
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()
    _assert_401(query)
    _assert_401(closed)


async def test_unreachable_key_store_is_503_not_a_traceback(app_client: AppClient) -> None:
    engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    key = bearer("cdp_0123456789ab_" + "A" * 43)
    try:
        async with app_client(headers=key, database=Database(engine)) as client:
            response = await client.post("/graphql", json=QUERY)
    finally:
        await engine.dispose()
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAVAILABLE"}
    assert "127.0.0.1" not in response.text
