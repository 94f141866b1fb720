"""COPY text encoding: escapes, NULLs, bytea and arrays."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cdp.seed.textcopy import field, line


def test_fields() -> None:
    assert field(None) == "\\N"
    assert field("a\tb\\c\n") == "a\\tb\\\\c\\n"
    assert field(b"\x00\xff") == "\\\\x00ff"
    assert field(True) == "t"
    assert field([1, 2]) == "{1,2}"
    assert field(date(2020, 1, 2)) == "2020-01-02"
    assert field(datetime(2020, 1, 2, 3, tzinfo=UTC)) == "2020-01-02T03:00:00+00:00"


def test_line_is_tab_separated_utf8() -> None:
    assert line((1, "王伟", None)) == "1\t王伟\t\\N\n".encode()
