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


def test_production_refuses_to_make_up_a_key(tmp_path: Path) -> None:
    with pytest.raises(Unavailable, match="CDP_ENCRYPTION_KEY must be set"):
        load_master_key(Settings(env="production", encryption_key=None, data_dir=tmp_path))
    assert not (tmp_path / "secret.key").exists()
    made = load_master_key(Settings(env="development", encryption_key=None, data_dir=tmp_path))
    assert len(made) == 32
