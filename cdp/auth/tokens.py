"""JWT bearer tokens of front-end users, verified with the key configured for their algorithm.

HS256 tokens are checked against ``jwt_secret`` only and RS256 tokens against
``jwt_public_key`` only: the algorithm named in a token's header selects a key
from that fixed table, so ``alg: none`` and HS/RS confusion (an HS256 token signed
with the RSA public key as its secret) find no key and are refused.

A front end sends the same token with every request until it expires. Verifying it
again (header, signature, claims) cost as much as a few percent of a list query, so
a verified token is remembered by its exact text: only the clock can change the
answer for the same text and keys, and the time claims are checked again on every
use.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt

from cdp.auth.base import Unauthenticated, warn_unknown
from cdp.config import Settings
from cdp.principal import Principal

# Verified tokens remembered per process, least recently used first out.
VERIFIED_CACHE_SIZE = 1024


def _public_key(value: str) -> str:
    if value.lstrip().startswith("-----BEGIN"):
        return value
    return Path(value).read_text()


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self._keys: dict[str, Any] = {}
        # An empty secret (``CDP_JWT_SECRET=`` in an env file) is no secret: HS256 off.
        if settings.jwt_secret is not None and settings.jwt_secret.get_secret_value():
            self._keys["HS256"] = settings.jwt_secret.get_secret_value()
        if settings.jwt_public_key:
            self._keys["RS256"] = _public_key(settings.jwt_public_key)
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._leeway = settings.jwt_leeway_seconds
        # token -> (principal, not valid before, expires), in epoch seconds
        self._verified: OrderedDict[str, tuple[Principal, float, float]] = OrderedDict()
        self.clock: Callable[[], float] = time.time

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def verify(self, token: str) -> Principal:
        remembered = self._verified.get(token)
        if remembered is not None:
            principal, not_before, expires = remembered
            now = self.clock()
            if now >= expires + self._leeway:
                del self._verified[token]
                raise Unauthenticated("The bearer token has expired.")
            if now < not_before - self._leeway:
                # As PyJWT answers a token whose nbf (or iat) lies ahead.
                raise Unauthenticated("The bearer token is invalid.")
            self._verified.move_to_end(token)
            return principal
        principal = self._verify(token)
        claims = principal.claims
        # PyJWT refuses a token whose iat lies in the future, as it does nbf.
        not_before = max(_epoch(claims.get("nbf")), _epoch(claims.get("iat")))
        self._verified[token] = (principal, not_before, _epoch(claims["exp"]))
        if len(self._verified) > VERIFIED_CACHE_SIZE:
            self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.InvalidTokenError:
            raise Unauthenticated("The bearer token is malformed.") from None
        if not isinstance(algorithm, str) or algorithm not in self._keys:
            raise Unauthenticated("The bearer token's signing algorithm is not accepted.")
        key = self._keys[algorithm]
        required = (
            ["exp", "sub"] + (["iss"] if self._issuer else []) + (["aud"] if self._audience else [])
        )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
                options={"require": required, "verify_aud": self._audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The bearer token has expired.") from None
        except (jwt.InvalidTokenError, ValueError):
            raise Unauthenticated("The bearer token is invalid.") from None
        return _principal(claims)


def _epoch(value: object) -> float:
    """A time claim PyJWT accepted (it reads them with ``int()``); absent: 0."""
    return float(value) if isinstance(value, int | float | str) else 0.0


def _principal(claims: dict[str, Any]) -> Principal:
    subject, roles, advisor_id = claims["sub"], claims.get("roles", []), claims.get("advisor_id")
    sources = claims.get("sources", [])
    if not isinstance(subject, str) or not subject:
        raise Unauthenticated("The token's subject must be a non-empty string.")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise Unauthenticated("The token's roles claim must be a list of strings.")
    if not isinstance(sources, list) or not all(isinstance(name, str) for name in sources):
        raise Unauthenticated("The token's sources claim must be a list of strings.")
    if advisor_id is not None and (isinstance(advisor_id, bool) or not isinstance(advisor_id, int)):
        raise Unauthenticated("The token's advisor_id claim must be an integer.")
    warn_unknown(roles)
    return Principal(
        subject=subject,
        kind="jwt",
        roles=frozenset(roles),
        advisor_id=advisor_id,
        sources=frozenset(sources),
        claims=claims,
    )
