"""Per-channel digest schedules: parse what people type, and compute when a digest is due.

Pure (no I/O, no clock): every function takes the instant it reasons about, so
tests and the scheduler can drive it with any clock.

Wall-clock rules, in the channel's own timezone:

* a time that does not exist on a spring-forward day (02:30 when clocks jump
  02:00 → 03:00) runs once, shifted forward by the gap (03:30 local);
* a time that exists twice on a fall-back day runs once, at its first occurrence.

The instant a digest is due (UTC) is its *slot*; the outbox keys digests by
``(channel, slot)`` so a slot is delivered once however often it is looked at.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import CroniterBadDateError, croniter

Kind = Literal["daily", "weekdays", "weekly", "cron", "off"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
USAGE = (
    "daily 09:00 [Europe/Berlin] | weekdays 08:30 [tz] | weekly mon 09:00 [tz] | "
    'cron "0 9 * * 1-5" [tz] | off'
)
# How far around an instant we look for wall-clock candidates. Resolving a wall
# time to an instant moves it by at most a DST gap (hours), so a day is plenty.
_MARGIN = timedelta(days=1)


class ScheduleError(ValueError):
    """A schedule someone typed that we cannot use; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a channel gets its digest. ``tz`` is an IANA zone name."""

    kind: Kind
    tz: str = "UTC"
    at: time | None = None
    weekday: int | None = None  # 0 = Monday, for ``weekly``
    cron: str | None = None

    @property
    def off(self) -> bool:
        return self.kind == "off"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def spec(self) -> str:
        """Canonical text; ``parse_schedule(s.spec()) == s`` so it is what we store."""
        if self.kind == "off":
            return "off"
        hhmm = self.at.strftime("%H:%M") if self.at else ""
        if self.kind == "daily":
            body = f"daily {hhmm}"
        elif self.kind == "weekdays":
            body = f"weekdays {hhmm}"
        elif self.kind == "weekly":
            body = f"weekly {WEEKDAYS[self.weekday or 0]} {hhmm}"
        else:
            body = f'cron "{self.cron}"'
        return f"{body} {self.tz}"

    def describe(self) -> str:
        """What people read in ``/news schedule`` and ``/news why``."""
        if self.kind == "off":
            return "no scheduled digest"
        hhmm = self.at.strftime("%H:%M") if self.at else ""
        if self.kind == "daily":
            return f"every day at {hhmm} ({self.tz})"
        if self.kind == "weekdays":
            return f"Monday to Friday at {hhmm} ({self.tz})"
        if self.kind == "weekly":
            day = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
            return f"every {day[self.weekday or 0]} at {hhmm} ({self.tz})"
        return f'cron "{self.cron}" ({self.tz})'


OFF = Schedule(kind="off")


def _parse_time(word: str) -> time:
    m = _TIME_RE.match(word)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ScheduleError(f"{word!r} is not a time; write 24-hour HH:MM, e.g. 09:00")
    return time(int(m.group(1)), int(m.group(2)))


def _parse_tz(words: list[str], default_tz: str) -> str:
    if not words:
        return default_tz
    if len(words) > 1:
        raise ScheduleError(f"unexpected {' '.join(words[1:])!r}; usage: {USAGE}")
    try:
        ZoneInfo(words[0])
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"unknown timezone {words[0]!r}; use an IANA name such as Europe/Berlin or UTC"
        ) from None
    return words[0]


def parse_schedule(text: str, *, default_tz: str = "UTC") -> Schedule:
    """Parse ``daily 09:00 [tz]``, ``weekdays 08:30``, ``weekly mon 09:00``, ``cron "…"``, ``off``.

    Raises :class:`ScheduleError` naming the bad word and showing the usage.
    """
    try:
        words = shlex.split(text.replace("“", '"').replace("”", '"'))
    except ValueError:
        raise ScheduleError(f"unbalanced quotes; usage: {USAGE}") from None
    if not words:
        raise ScheduleError(f"no schedule given; usage: {USAGE}")
    kind, rest = words[0].lower(), words[1:]
    if kind == "off":
        if rest:
            raise ScheduleError(f"'off' takes nothing after it; usage: {USAGE}")
        return OFF
    if kind in ("daily", "weekdays"):
        if not rest:
            raise ScheduleError(f"{kind} needs a time, e.g. {kind} 09:00")
        return Schedule(
            kind="daily" if kind == "daily" else "weekdays",
            at=_parse_time(rest[0]),
            tz=_parse_tz(rest[1:], default_tz),
        )
    if kind == "weekly":
        if len(rest) < 2:
            raise ScheduleError("weekly needs a day and a time, e.g. weekly mon 09:00")
        day = rest[0].lower()[:3]
        if day not in WEEKDAYS:
            raise ScheduleError(f"{rest[0]!r} is not a weekday; use one of {', '.join(WEEKDAYS)}")
        return Schedule(
            kind="weekly",
            weekday=WEEKDAYS.index(day),
            at=_parse_time(rest[1]),
            tz=_parse_tz(rest[2:], default_tz),
        )
    if kind == "cron":
        if not rest:
            raise ScheduleError('cron needs an expression in quotes, e.g. cron "0 9 * * 1-5"')
        if len(rest[0].split()) == 1 and len(rest) >= 5:  # typed without quotes
            rest = [" ".join(rest[:5]), *rest[5:]]
        expr = " ".join(rest[0].split())
        if len(expr.split()) != 5 or not croniter.is_valid(expr):
            raise ScheduleError(
                f"{expr!r} is not a 5-field cron expression (minute hour day month weekday), "
                'e.g. cron "0 9 * * 1-5"'
            )
        return Schedule(kind="cron", cron=expr, tz=_parse_tz(rest[1:], default_tz))
    raise ScheduleError(f"unknown schedule {words[0]!r}; usage: {USAGE}")


# --- next-run maths ---------------------------------------------------------------


def resolve_wall_time(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant a naive local wall time stands for, per the module's DST rules.

    ``fold=0`` gives exactly those rules with zoneinfo: the first of two repeated
    times, and for a skipped time the offset before the jump (so 02:30 → 03:30).
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _days(start: date, step: int) -> Iterator[date]:
    d = start
    while True:
        yield d
        d += timedelta(days=step)


def _wall_candidates(s: Schedule, start: datetime, *, forward: bool) -> Iterator[datetime]:
    """Naive local wall times the schedule fires at, from ``start`` on (or back)."""
    if s.kind == "cron":
        it = croniter(s.cron, start)
        while True:
            try:
                yield it.get_next(datetime) if forward else it.get_prev(datetime)
            except CroniterBadDateError:  # an expression that never fires ("0 0 30 2 *")
                return
    assert s.at is not None
    for d in _days(start.date(), 1 if forward else -1):
        if s.kind == "weekdays" and d.weekday() >= 5:
            continue
        if s.kind == "weekly" and d.weekday() != s.weekday:
            continue
        wall = datetime.combine(d, s.at)
        if (wall >= start) if forward else (wall <= start):
            yield wall


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("schedule maths needs a timezone-aware instant")
    return instant.astimezone(zone).replace(tzinfo=None)


def next_run(s: Schedule, after: datetime) -> datetime | None:
    """The first slot strictly after ``after`` (UTC), or None when the schedule is off."""
    if s.off:
        return None
    zone = s.zone
    best: datetime | None = None
    for wall in _wall_candidates(s, _wall(after, zone) - _MARGIN, forward=True):
        instant = resolve_wall_time(wall, zone)
        if instant > after and (best is None or instant < best):
            best = instant
        # resolution moves a wall time by hours at most, so once candidates are a
        # margin past the best found, nothing later can beat it
        if best is not None and wall > _wall(best, zone) + _MARGIN:
            return best
    return best  # a cron expression that never fires


def previous_run(s: Schedule, at: datetime) -> datetime | None:
    """The latest slot at or before ``at`` (UTC), or None (off, or a cron that never fired)."""
    if s.off:
        return None
    zone = s.zone
    best: datetime | None = None
    for wall in _wall_candidates(s, _wall(at, zone) + _MARGIN, forward=False):
        instant = resolve_wall_time(wall, zone)
        if instant <= at and (best is None or instant > best):
            best = instant
        if best is not None and wall < _wall(best, zone) - _MARGIN:
            return best
    return best


def shortest_gap(s: Schedule, *, runs: int = 500) -> timedelta | None:
    """The shortest time between two consecutive runs of ``s`` (wall-clock, over its next
    ``runs`` runs from 2026-01-01); None for a schedule that runs at most once. Daily,
    weekday and weekly schedules are a day or more apart; a cron expression can be a
    minute (``* * * * *``)."""
    if s.off:
        return None
    if s.kind != "cron":
        return timedelta(days=1)
    it = croniter(s.cron, datetime(2026, 1, 1))
    best: timedelta | None = None
    previous: datetime | None = None
    for _ in range(runs):
        try:
            current = it.get_next(datetime)
        except CroniterBadDateError:
            break
        if previous is not None:
            gap = current - previous
            best = gap if best is None or gap < best else best
        previous = current
    return best


def too_frequent(s: Schedule, minimum: timedelta) -> str | None:
    """Why ``s`` runs more often than ``minimum`` allows, or None when it does not."""
    gap = shortest_gap(s)
    if gap is None or gap >= minimum:
        return None
    minutes = int(minimum.total_seconds() // 60)
    example = f'cron "*/{minutes} * * * *"' if minutes < 60 and 60 % minutes == 0 else "daily 09:00"
    return (
        f"cron {s.cron!r} runs every {_span(gap)}, more often than this bot allows: at most "
        f"one digest every {minutes} minutes (NEWSBOT_MIN_SCHEDULE_MINUTES); e.g. {example}"
    )


def _span(gap: timedelta) -> str:
    minutes = int(gap.total_seconds() // 60)
    return "minute" if minutes == 1 else f"{minutes} minutes"


def slot_key(slot: datetime) -> str:
    """Stable text for a slot, used in delivery keys: ``2026-03-29T07:00:00Z``."""
    return slot.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
