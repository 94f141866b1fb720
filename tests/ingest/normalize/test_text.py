from __future__ import annotations

import pytest

from cdp.ingest.normalize import Rejection, email, name, text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 张 三 ", "张三"),
        ("张　三", "张三"),  # full-width space
        ("ＷＡＮＧ　Ｗｕ", "WANG Wu"),  # full-width letters fold, ASCII keeps one space
        ("Li   Wei", "Li Wei"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("", None),
        (None, None),
    ],
)
def test_name_is_folded_and_spaced(raw: str | None, expected: str | None) -> None:
    assert name(raw) == expected


def test_name_with_digits_is_rejected() -> None:
    with pytest.raises(Rejection) as exc:
        name("张三3")
    assert exc.value.code == "name_invalid"


def test_text_is_collapsed_and_limited() -> None:
    assert text("  上海   分行 ", 32) == "上海 分行"
    with pytest.raises(Rejection) as exc:
        text("x" * 40, 32)
    assert exc.value.code == "too_long"


def test_email_is_lowered_and_checked() -> None:
    assert email(" Wang.Wu@Example.COM ") == "wang.wu@example.com"
    with pytest.raises(Rejection) as exc:
        email("not-an-email")
    assert exc.value.code == "email_invalid"
