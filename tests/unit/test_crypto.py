from __future__ import annotations

import hmac
from pathlib import Path

import pytest

from cdp.config import Settings
from cdp.crypto import Cipher, _derive, load_master_key
from cdp.errors import Unavailable

MASTER = bytes(range(32))


def test_keyed_hashes_are_hmac_sha256_under_derived_keys() -> None:
    # Stored phone and ID hashes and partner pseudonyms must not change when the
    # implementation does: each is HMAC-SHA256 under a key derived from the master.
    cipher = Cipher.from_master_key(MASTER)
    for value in ("13800138000", "11010119900307001X", ""):
        expected = hmac.digest(_derive(MASTER, b"cdp:hash:v1"), value.encode(), "sha256")
        assert cipher.keyed_hash(value) == expected
        assert cipher.keyed_hash(value) == expected  # the keyed state is copied, not spent
    pseudonym_key = _derive(MASTER, b"cdp:pseudonym:v1")
    assert cipher.pseudonym(42) == "P" + hmac.digest(pseudonym_key, b"42", "sha256")[:10].hex()
    assert cipher.keyed_hash("a") != Cipher.from_master_key(bytes(32)).keyed_hash("a")


def test_sealed_tokens_are_bound_to_their_context() -> None:
    cipher = Cipher.from_master_key(MASTER)
    data = b"Customer:42"
    admin, partner = b"gid|admin", b"gid|partner"
    token = cipher.seal(data, admin)
    # Deterministic per context, unrelated across contexts and to the plain seal.
    assert cipher.seal(data, admin) == token
    assert len({token, cipher.seal(data, partner), cipher.seal(data)}) == 3
    assert cipher.unseal(token, admin) == data
    for other in (partner, b""):
        with pytest.raises(ValueError, match="not a sealed token"):
            cipher.unseal(token, other)
    # Another master key opens nothing either.
    with pytest.raises(ValueError, match="not a sealed token"):
        Cipher.from_master_key(bytes(32)).unseal(token, admin)


def test_production_refuses_to_make_up_a_key(tmp_path: Path) -> None:
    with pytest.raises(Unavailable, match="CDP_ENCRYPTION_KEY must be set"):
        load_master_key(Settings(env="production", encryption_key=None, data_dir=tmp_path))
    assert not (tmp_path / "secret.key").exists()
    made = load_master_key(Settings(env="development", encryption_key=None, data_dir=tmp_path))
    assert len(made) == 32
