"""Clean values take shortcuts; these check the shortcuts agree with the general rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cdp.idcard import IdCardError, make_number, parse, valid_birth_date
from cdp.ingest.normalize import Rejection, email, name, parse_date, text
from cdp.ingest.normalize.memo import Memo


@pytest.mark.parametrize(
    ("clean", "messy"),
    [
        ("张三", " 张 三 "),
        ("阿依古丽·买买提", "阿依古丽•买买提"),
        ("Li Wei", "Li   Wei"),
        ("WANG Wu", "ＷＡＮＧ　Ｗｕ"),
    ],
)
def test_clean_names_equal_their_messy_spellings(clean: str, messy: str) -> None:
    assert name(clean) == name(messy) == clean


def test_clean_text_and_email_are_returned_as_they_are() -> None:
    assert text("上海 分行", 32) == text(" 上海\t分行  ", 32) == "上海 分行"
    assert text(" x ", 32) == "x"
    assert email("ww@example.com") == email(" WW@Example.com") == "ww@example.com"
    with pytest.raises(Rejection):
        text("分" * 33, 32)


@pytest.mark.parametrize("raw", ["2024-02-30", "2024/13/01", "20240230", "0000-01-01"])
def test_impossible_plain_dates_are_rejected(raw: str) -> None:
    with pytest.raises(Rejection) as exc:
        parse_date(raw)
    assert exc.value.code == "date_invalid"


def test_card_shortcut_agrees_with_the_card_parser() -> None:
    today = date.today()
    numbers = [
        make_number(region, date(1899, 12, 25) + timedelta(days=d * 997), seq)
        for region in ("310101", "440305", "990101")
        for d in range(50)
        for seq in (1, 2)
    ]
    numbers += [n[:17] + ("0" if n[17] != "0" else "1") for n in numbers[:50]]
    numbers += ["110101200002300011", "11010119800101001", "1101011980010100１X"]
    for number in numbers:
        try:
            expected: date | None = parse(number).birth_date
        except IdCardError:
            expected = None
        assert valid_birth_date(number, today) == expected, number


def test_memo_remembers_successes_only() -> None:
    calls: list[object] = []

    def rule(value: object) -> str:
        calls.append(value)
        if value == "bad":
            raise Rejection(None, "enum_invalid", "bad")
        return str(value).upper()

    memo = Memo(rule, limit=2)
    assert [memo("a"), memo("a"), memo(1), memo(1)] == ["A", "A", "1", "1"]
    assert calls == ["a", 1, 1]  # non-strings are not remembered
    for _ in range(2):
        with pytest.raises(Rejection):
            memo("bad")
    assert calls.count("bad") == 2
    memo("b")
    memo("c")  # the table was full: emptied, then "c" kept
    assert dict(memo) == {"c": "C"}
