from datetime import UTC, date, datetime
from decimal import Decimal

from cdp.ingest import copy_text


def test_values_render_in_copy_text_format() -> None:
    row = (
        None, "a\\b\tc\nd\re", b"\x01\xff", True, 3, Decimal("12.50"),
        date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, tzinfo=UTC),
    )  # fmt: skip
    assert copy_text.line(row) == (
        "\\N\ta\\\\b\\tc\\nd\\re\t\\\\x01ff\tt\t3\t12.50\t2024-01-02\t2024-01-02T03:04:00+00:00"
    )


def test_clean_text_is_returned_as_is() -> None:
    assert copy_text.text("张三") == "张三"


def test_rows_needing_no_escapes_match_value_by_value_rendering() -> None:
    row = ("张三", None, b"\x00", 5, "a b", bytearray(b"\x02"), date(2024, 1, 2))
    assert copy_text.line(row) == "\t".join(map(copy_text.value, row))
    assert copy_text.line(iter(row)) == copy_text.line(row)


def test_each_special_character_in_text_is_escaped() -> None:
    for special, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        assert copy_text.line((None, f"x{special}y", b"\x01")) == f"\\N\tx{escaped}y\t\\\\x01"
