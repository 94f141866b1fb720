from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from cdp.ingest.normalize import Rejection, parse_date, parse_datetime
from cdp.ingest.normalize.dates import not_future


@pytest.mark.parametrize(
    "raw",
    ["2024-01-02", "2024/1/2", "20240102", "2024年1月2日", "2024.01.02", "2024-01-02 10:30:00",
     "2024/1/2 10:30", "2024-01-02T10:30:00+08:00", "２０２４－０１－０２"],
)  # fmt: skip
def test_date_spellings(raw: str) -> None:
    assert parse_date(raw) == date(2024, 1, 2)


def test_datetime_without_offset_is_china_time() -> None:
    assert parse_datetime("2024-01-02 10:30") == datetime(2024, 1, 2, 2, 30, tzinfo=UTC)
    assert parse_datetime("2024年1月2日") == datetime(2024, 1, 1, 16, 0, tzinfo=UTC)
    assert parse_datetime("2024-01-02T10:30:00Z") == datetime(2024, 1, 2, 10, 30, tzinfo=UTC)
    assert parse_datetime("20240102103000") == datetime(2024, 1, 2, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize("raw", ["2024-02-30", "yesterday", "2024-13-01 10:00"])
def test_bad_dates_are_rejected(raw: str) -> None:
    with pytest.raises(Rejection) as exc:
        parse_datetime(raw)
    assert exc.value.code == "date_invalid"


@pytest.mark.parametrize(
    "raw",
    [
        "0001-01-01T00:00:00+14:00",  # the fast ISO path
        "0001-01-01",  # midnight China time: still the year 0 in UTC
        "0001/01/01 00:00 +08:00",
        "9999-12-31T23:59:59-14:00",
    ],
)
def test_instants_outside_the_calendar_in_utc_are_rejected(raw: str) -> None:
    with pytest.raises(Rejection) as exc:
        parse_datetime(raw)
    assert exc.value.code == "date_invalid"


def test_future_dates_are_out_of_range() -> None:
    with pytest.raises(Rejection) as exc:
        not_future(date(2100, 1, 1), date(2024, 1, 1))
    assert exc.value.code == "date_out_of_range"
