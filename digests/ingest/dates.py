"""Publication dates from front matter and feeds, always timezone-aware UTC.

Accepts what real sources write when it is unambiguous (ISO 8601, RFC 2822,
"October 21, 2025", "21 Oct 2025", "2025/10/21", epoch seconds or
milliseconds) and refuses "03/04/2025"-style dates, where day and month
cannot be told apart, with a reason that says what to write instead.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH_FIRST = re.compile(
    r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[ ,T]+(.*))?$", re.I
)
_DAY_FIRST = re.compile(
    r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})(?:[ ,T]+(.*))?$", re.I
)
_SLASHED = re.compile(r"^(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})(?:[ T]+(.*))?$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*(utc|gmt|z)?$", re.I)
_EPOCH = re.compile(r"^\d{9,13}(?:\.\d+)?$")
_ISO_DAY = re.compile(r"^[+-]?\d{4}-\d{1,2}-\d{1,2}(?:$|[T ])")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_HINT = "write it as ISO 8601, e.g. 2025-10-21 or 2025-10-21T14:30:00Z"


class DateError(ValueError):
    """A date that cannot be read without guessing; the message says what to write."""


def parse_date(value: object) -> datetime:
    """Any front-matter/feed date value → aware UTC datetime, or :class:`DateError`."""
    if isinstance(value, datetime):
        return _utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, bool) or value is None:
        raise DateError(f"date {value!r} is not a date; {_HINT}")
    if isinstance(value, int | float):
        # only what can be epoch seconds or milliseconds (9-13 digits, as for strings):
        # `date: 9999` or `date: -5` is a typo, not 1970
        if not (1e8 <= value < 1e13):
            raise DateError(f"date {value!r} is a number, not a date; {_HINT}")
        return _from_epoch(float(value), value)
    if not isinstance(value, str):
        raise DateError(f"date {value!r} is not a date; {_HINT}")
    text = value.strip()
    if not text:
        raise DateError(f"date is empty; {_HINT}")
    if _EPOCH.match(text):
        return _from_epoch(float(text), value)
    iso = text[:-1] + "+00:00" if text[-1:] in "zZ" else text
    try:
        return _utc(datetime.fromisoformat(iso))
    except ValueError as exc:
        if _ISO_DAY.match(text) and "isoformat" not in str(
            exc
        ):  # the shape of an ISO date naming no real day
            raise DateError(f"impossible date {text!r} ({exc}); {_HINT}") from None
    try:
        return _utc(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    parsed = _named_month(_WEEKDAY.sub("", text)) or _slashed(text)
    if parsed is None:
        raise DateError(f"unreadable date {value!r}; {_HINT}")
    return parsed


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def _from_epoch(seconds: float, original: object) -> datetime:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise DateError(f"epoch date {original!r} is out of range; {_HINT}") from exc


def _named_month(text: str) -> datetime | None:
    m = _MONTH_FIRST.match(text)
    if m:
        month, day, year, rest = m.group(1), m.group(2), m.group(3), m.group(4)
    else:
        m = _DAY_FIRST.match(text)
        if not m:
            return None
        day, month, year, rest = m.group(1), m.group(2), m.group(3), m.group(4)
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    return _build(int(year), number, int(day), rest, text)


def _slashed(text: str) -> datetime | None:
    m = _SLASHED.match(text)
    if not m:
        return None
    a, b, c, rest = m.group(1), m.group(2), m.group(3), m.group(4)
    if len(a) == 4:
        return _build(int(a), int(b), int(c), rest, text)
    if len(c) != 4:
        raise DateError(f"ambiguous date {text!r} (which part is the year?); {_HINT}")
    first, second = int(a), int(b)
    if first > 12 >= second:
        return _build(int(c), second, first, rest, text)
    if second > 12 >= first:
        return _build(int(c), first, second, rest, text)
    if first == second:
        return _build(int(c), first, second, rest, text)
    raise DateError(f"ambiguous date {text!r} (day/month order unknown); {_HINT}")


def _build(year: int, month: int, day: int, rest: str | None, text: str) -> datetime:
    hour = minute = second = 0
    if rest:
        clock = _CLOCK.match(rest.strip())
        if not clock:
            raise DateError(f"unreadable time in date {text!r}; {_HINT}")
        hour, minute = int(clock.group(1)), int(clock.group(2))
        second = int(clock.group(3) or 0)
        meridiem = (clock.group(4) or "").lower().replace(".", "")
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise DateError(f"impossible date {text!r}: {exc}; {_HINT}") from exc
