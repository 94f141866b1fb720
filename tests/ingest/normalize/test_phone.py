from __future__ import annotations

import pytest

from cdp.ingest.normalize import Rejection, phone
from cdp.ingest.normalize.phone import mask


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "+86 138-0013-8000",
        "0086 13800138000",
        "8613800138000",
        "１３８００１３８０００",
        "(138) 0013 8000",
    ],
)
def test_phone_spellings_normalise_to_11_digits(raw: str) -> None:
    assert phone(raw) == "13800138000"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("021-68881234", "02168881234"),
        ("(0755)86001234", "075586001234"),
        ("0755 8600 1234", "075586001234"),
        ("010-6888123", "0106888123"),
        ("0571-8888123", "05718888123"),
        ("+86 21 6888 1234", "02168881234"),
        ("0086-755-86001234", "075586001234"),
        ("０２１－６８８８１２３４", "02168881234"),
    ],
)
def test_landlines_normalise_to_digits(raw: str, expected: str) -> None:
    assert phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12345",
        "12800138000",
        "021-12345678",  # a local number never starts with 1
        "021-02345678",
        "138001380001",
        "021-688812345",  # nine local digits
        "021-688812",  # six
        "0755-8600-1234-5",
        "21-68881234",  # no trunk 0 without a country prefix
        "phone: 021-68881234",
    ],
)
def test_garbage_is_rejected(raw: str) -> None:
    with pytest.raises(Rejection) as exc:
        phone(raw)
    assert exc.value.code == "phone_invalid"


def test_mask() -> None:
    assert mask("13800138000") == "138****8000"
    assert mask("02168881234") == "021****1234"
    assert mask("075586001234") == "0755****1234"
