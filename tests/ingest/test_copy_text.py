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
