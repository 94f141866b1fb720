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


@pytest.mark.parametrize("raw", ["12345", "12800138000", "021-12345678", "138001380001"])
def test_non_mobile_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(Rejection) as exc:
        phone(raw)
    assert exc.value.code == "phone_invalid"


def test_mask() -> None:
    assert mask("13800138000") == "138****8000"
