from __future__ import annotations

import pytest

from cdp.ingest.normalize import (
    Rejection,
    channel,
    consent_granted,
    consent_purpose,
    event_kind,
    gender,
    id_type,
    investor_class,
    risk_level,
    transaction_kind,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("男", "M"), ("M", "M"), ("1", "M"), ("女", "F"), ("f", "F"), ("2", "F"), ("", None)],
)
def test_gender(raw: str, expected: str | None) -> None:
    assert gender(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("C1", 1), ("c3", 3), ("R5", 5), ("4", 4), (2, 2), ("稳健型", 2)]
)
def test_risk_level(raw: object, expected: int) -> None:
    assert risk_level(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("普通", "ordinary"), ("专业", "professional"), ("Professional", "professional")],
)
def test_investor_class(raw: str, expected: str) -> None:
    assert investor_class(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("N", False),
        ("true", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("同意", True),
        ("撤回", False),
        (True, True),
    ],
)
def test_consent_granted(raw: object, expected: bool) -> None:
    assert consent_granted(raw) is expected


def test_other_enumerations() -> None:
    assert id_type("居民身份证") == "id_card"
    assert transaction_kind("申购") == "purchase"
    assert channel("手机银行") == "app"
    assert event_kind("登录") == "login"
    assert consent_purpose("画像") == "profiling"


@pytest.mark.parametrize(
    ("rule", "raw", "code"),
    [
        (gender, "X", "gender_invalid"),
        (risk_level, "C6", "risk_level_invalid"),
        (investor_class, "VIP", "investor_class_invalid"),
        (consent_granted, "maybe", "granted_invalid"),
        (id_type, "驾照", "id_type_invalid"),
        (transaction_kind, "gamble", "enum_invalid"),
    ],
)
def test_unknown_codes_are_rejected(rule: object, raw: str, code: str) -> None:
    with pytest.raises(Rejection) as exc:
        rule(raw)  # type: ignore[operator]
    assert exc.value.code == code
