"""Encryption at rest and keyed hashes for personal identifiers.

ID numbers are stored encrypted (AES-256-GCM, random nonce) so a database dump
does not reveal them, plus an HMAC-SHA256 keyed hash so identity resolution can
match equal numbers without decrypting. Phones get the same keyed hash for the
phone index. Two more uses share the master key: pseudonymous customer ids for
partner systems (a keyed hash of the internal id: stable, and without the key
neither reversible nor linkable to the id), and sealed pagination cursors
(deterministic AES-SIV, so a cursor reveals nothing of the sort key it carries and
cannot be forged, yet the same position always has the same cursor); global IDs
are sealed the same way. A sealed token can be bound to a context (the caller's
role set): each context seals under a key of its own, so one context's tokens
neither open under nor compare with another's. Every sub-key
is derived from the one master key with HKDF, so an operator manages a single secret.
"""

from __future__ import annotations

import base64
import os
import secrets
from _hashlib import HMAC, hmac_new
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cdp.config import Settings, get_settings
from cdp.errors import InvalidInput, Unavailable

_NONCE_BYTES = 12


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


# Compared and hashed by identity: one per master key, and cheap to key caches by.
@dataclass(frozen=True, eq=False)
class Cipher:
    """Encrypts, decrypts and hashes personal identifiers with keys from one master key."""

    _aead: AESGCM
    # Keyed HMAC-SHA256 states, copied for each value: the copy skips hashing the
    # key's two pads again, nearly half of what a one-shot HMAC of a short value
    # costs, and imports hash two values a row. (``_hashlib`` is OpenSSL's HMAC,
    # which ``hmac`` itself uses; its Python wrapper would copy in Python.)
    _hash: HMAC
    _pseudonym: HMAC
    _seal: AESSIV
    # The key context keys are derived from (``seal`` with a context).
    _seal_root: bytes

    @classmethod
    def from_master_key(cls, master: bytes) -> Cipher:
        if len(master) != 32:
            raise InvalidInput("the encryption key must be 32 bytes (URL-safe base64 encoded)")
        return cls(
            AESGCM(_derive(master, b"cdp:encrypt:v1")),
            hmac_new(_derive(master, b"cdp:hash:v1"), digestmod="sha256"),
            hmac_new(_derive(master, b"cdp:pseudonym:v1"), digestmod="sha256"),
            AESSIV(_derive(master, b"cdp:seal:v1") + _derive(master, b"cdp:seal-mac:v1")),
            _derive(master, b"cdp:seal-context:v1"),
        )

    def _sealer(self, context: bytes) -> AESSIV:
        return self._seal if not context else _context_sealer(self._seal_root, context)

    def encrypt(self, plaintext: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), None)

    def decrypt(self, blob: bytes) -> str:
        nonce, body = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
        return self._aead.decrypt(nonce, body, None).decode()

    def keyed_hash(self, value: str) -> bytes:
        h = self._hash.copy()
        h.update(value.encode())
        return h.digest()

    def pseudonym(self, customer_id: int) -> str:
        """A customer's pseudonymous id: ``P`` and 20 hex digits of a keyed hash."""
        h = self._pseudonym.copy()
        h.update(b"%d" % customer_id)
        return "P" + h.digest()[:10].hex()

    def seal(self, data: bytes, context: bytes = b"") -> str:
        """``data`` encrypted and authenticated, as URL-safe base64 without padding.
        Deterministic: equal data gives equal tokens (a cursor is a position).
        A non-empty ``context`` (a role set, say) seals under a key of its own: the
        token opens only under the same context, and equal data sealed under two
        contexts gives unrelated tokens."""
        sealed = self._sealer(context).encrypt(data, None)
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def unseal(self, token: str, context: bytes = b"") -> bytes:
        """The data of a token from ``seal`` under the same ``context``; ``ValueError``
        for anything else."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return self._sealer(context).decrypt(raw, None)
        except (ValueError, InvalidTag) as exc:
            raise ValueError("not a sealed token") from exc


@lru_cache(maxsize=256)
def _context_sealer(root: bytes, context: bytes) -> AESSIV:
    """One AES-SIV key per context, derived once: a key per context rather than the
    context as associated data, which would double the cost of every sealed ID."""
    return AESSIV(HKDF(algorithm=hashes.SHA256(), length=64, salt=None, info=context).derive(root))


def load_master_key(settings: Settings) -> bytes:
    """The configured key, else the one in ``data_dir/secret.key``, created on first use."""
    if settings.encryption_key:
        return _decode(settings.encryption_key)
    if settings.env == "production":
        # A key made up here would live in a data directory a container may not keep:
        # everything encrypted under it would be lost with it.
        raise Unavailable("CDP_ENCRYPTION_KEY must be set in production")
    path = Path(settings.data_dir) / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    return _decode(path.read_text().strip())


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text.encode())
    except ValueError as exc:
        raise InvalidInput("the encryption key is not valid URL-safe base64") from exc


@lru_cache(maxsize=1)
def get_cipher() -> Cipher:
    return Cipher.from_master_key(load_master_key(get_settings()))
