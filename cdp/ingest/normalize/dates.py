"""Dates and timestamps in the spellings sources use.

Accepted: ``2024-01-02``, ``2024/1/2``, ``2024.01.02``, ``20240102``, ``2024年1月2日``,
each optionally followed by a time (``10:30``, ``10:30:00``, ``T10:30:00.123``) and an
offset (``Z``, ``+08:00``). A timestamp without offset is China Standard Time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

from cdp.ingest.normalize.errors import Rejection
from cdp.ingest.normalize.text import fold, raw_text

CST = timezone(timedelta(hours=8), "CST")

_SEPARATED = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:[ T]?(\d{2}):?(\d{2}):?(\d{2})?)?$")
# Zero-padded dates with any of the separators, or none: the usual spellings, parsed
# without the general rule's folding and time handling.
_PLAIN_DATE = re.compile(r"(\d{4})([-/.]?)(\d{2})\2(\d{2})", re.ASCII)


def _offset(text: str | None) -> timezone:
    if text is None:
        return CST
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _parts(value: object) -> tuple[datetime, bool] | None:
    """The parsed timestamp (tz-aware) and whether a time of day was given."""
    s = raw_text(value)
    if s is None:
        return None
    if not s.isascii():
        s = fold(s)
    m = _SEPARATED.match(s)
    groups: tuple[str | None, ...]
    if m:
        groups = m.groups()
    else:
        c = _COMPACT.match(s)
        if not c:
            raise Rejection(None, "date_invalid", f"not a date: {s!r}")
        groups = (*c.groups(), None, None)
    y, mo, d, hh, mi, ss, frac, off = groups
    try:
        moment = datetime(
            int(y or 0),
            int(mo or 0),
            int(d or 0),
            int(hh or 0),
            int(mi or 0),
            int(ss or 0),
            int((frac or "0").ljust(6, "0")),
            tzinfo=_offset(off),
        )
    except ValueError as exc:
        raise Rejection(None, "date_invalid", f"no such date: {s!r}") from exc
    return moment, hh is not None


def parse_date(value: object) -> date | None:
    """A calendar date; a time part, if present, is ignored."""
    if isinstance(value, str) and (m := _PLAIN_DATE.fullmatch(value)):
        try:
            return date(int(m[1]), int(m[3]), int(m[4]))
        except ValueError:
            pass  # no such day: the general rule words the rejection
    parsed = _parts(value)
    if parsed is None:
        return None
    return parsed[0].date()


def parse_datetime(value: object) -> datetime | None:
    """A point in time, in UTC; a bare date means midnight China Standard Time."""
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] in " T":
        try:
            moment = datetime.fromisoformat(value)  # the common ISO case, kept cheap
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=CST)
            return _in_utc(moment, value)
    parsed = _parts(value)
    if parsed is None:
        return None
    return _in_utc(parsed[0], value)


def _in_utc(moment: datetime, value: object) -> datetime:
    # 0001-01-01 00:00 at +08:00 is a day before the calendar starts, in UTC.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise Rejection(None, "date_invalid", f"no such instant in UTC: {value!r}") from None


def not_future(value: date | None, today: date) -> date | None:
    if value is not None and value > today:
        raise Rejection(None, "date_out_of_range", f"{value.isoformat()} is in the future")
    return value
