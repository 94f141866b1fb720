"""A verified token is remembered, but its time claims are checked on every use."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr

from cdp.auth.base import Unauthenticated
from cdp.auth.tokens import TokenVerifier
from cdp.config import Settings
from tests.conftest import TEST_JWT_SECRET, mint_token

LEEWAY = 30


@pytest.fixture
def verifier() -> TokenVerifier:
    return TokenVerifier(Settings(jwt_secret=SecretStr(TEST_JWT_SECRET), jwt_leeway_seconds=LEEWAY))


def test_the_same_token_again_is_the_same_principal(verifier: TokenVerifier) -> None:
    token = mint_token(subject="advisor-7")
    first = verifier.verify(token)
    assert first.subject == "advisor-7"
    assert verifier.verify(token) is first


def test_a_remembered_token_still_expires(verifier: TokenVerifier) -> None:
    token = mint_token(expires_in=600)
    verifier.verify(token)
    verifier.clock = lambda: time.time() + 600 + LEEWAY - 5
    verifier.verify(token)  # within the leeway
    verifier.clock = lambda: time.time() + 600 + LEEWAY + 5
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.verify(token)
    # Forgotten once expired, and PyJWT agrees with the clock it reads.
    verifier.clock = time.time
    assert verifier.verify(token).subject == "test-admin"


def test_a_remembered_token_is_not_valid_before_its_time(verifier: TokenVerifier) -> None:
    token = mint_token(nbf=int(time.time()))
    verifier.verify(token)
    verifier.clock = lambda: time.time() - LEEWAY - 60
    with pytest.raises(Unauthenticated, match="invalid"):
        verifier.verify(token)


def test_a_changed_signature_is_checked_afresh(verifier: TokenVerifier) -> None:
    token = mint_token()
    verifier.verify(token)
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{'A' * len(signature)}"
    with pytest.raises(Unauthenticated, match="invalid"):
        verifier.verify(forged)


def test_the_sources_claim_binds_a_token(verifier: TokenVerifier) -> None:
    bound = verifier.verify(mint_token(["source_system"], sources=["crm", "crm"]))
    assert bound.sources == {"crm"}
    assert verifier.verify(mint_token(["source_system"], subject="other")).sources == set()
    for claim in ("crm", [1], {"crm": True}):
        with pytest.raises(Unauthenticated, match="sources claim"):
            verifier.verify(mint_token(["source_system"], subject=f"bad-{claim}", sources=claim))


def test_an_empty_secret_turns_hs256_off() -> None:
    # ``CDP_JWT_SECRET=`` in an env file: HS256 is off, not checked against "" (which
    # PyJWT would refuse with an error of its own, inside a request).
    verifier = TokenVerifier(Settings(jwt_secret=SecretStr("")))
    assert not verifier.enabled
    with pytest.raises(Unauthenticated, match="algorithm is not accepted"):
        verifier.verify(mint_token())
