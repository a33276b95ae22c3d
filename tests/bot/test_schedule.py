"""Schedules people type, and when their digests fall due — including both DST transitions."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.schedule import (
    OFF,
    ScheduleError,
    next_run,
    parse_schedule,
    previous_run,
    slot_key,
)

BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def runs(text: str, start: datetime, n: int) -> list[datetime]:
    s = parse_schedule(text)
    out, t = [], start
    for _ in range(n):
        t = next_run(s, t)
        out.append(t)
    return out


def local(ts: list[datetime], tz: str) -> list[str]:
    from zoneinfo import ZoneInfo

    return [t.astimezone(ZoneInfo(tz)).strftime("%a %Y-%m-%d %H:%M %Z") for t in ts]


# --- parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "daily 09:00",
        "daily 9:05 Europe/Berlin",
        "weekdays 08:30 America/New_York",
        "weekly mon 09:00",
        "weekly Friday 17:45 Asia/Tokyo",
        'cron "0 9 * * 1-5"',
        'cron "*/30 6-18 * * *" Europe/Berlin',
        "off",
    ],
)
def test_spec_round_trips(text: str) -> None:
    s = parse_schedule(text)
    assert parse_schedule(s.spec()) == s


def test_default_timezone_applies_when_none_given() -> None:
    assert parse_schedule("daily 09:00", default_tz=BERLIN).tz == BERLIN
    assert parse_schedule("daily 09:00 UTC", default_tz=BERLIN).tz == "UTC"


def test_smart_quotes_from_chat_clients_are_accepted() -> None:
    assert parse_schedule("cron “0 9 * * 1-5”").cron == "0 9 * * 1-5"


def test_cron_typed_without_quotes_is_understood() -> None:
    s = parse_schedule("cron 0 9 * * 1-5 Europe/Berlin")
    assert (s.cron, s.tz) == ("0 9 * * 1-5", "Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "usage"),
        ("hourly", "unknown schedule 'hourly'"),
        ("daily", "needs a time"),
        ("daily 25:00", "'25:00' is not a time"),
        ("daily 9am", "'9am' is not a time"),
        ("daily 09:00 Mars/Olympus", "unknown timezone 'Mars/Olympus'"),
        ("weekly someday 09:00", "'someday' is not a weekday"),
        ("weekly mon", "needs a day and a time"),
        ('cron "0 9 * *"', "5-field cron"),
        ('cron "61 9 * * *"', "5-field cron"),
        ('cron "0 9 * * 1', "unbalanced quotes"),
        ("off now", "takes nothing"),
    ],
)
def test_bad_schedules_say_what_is_wrong(text: str, hint: str) -> None:
    with pytest.raises(ScheduleError, match=hint):
        parse_schedule(text)


def test_describe_reads_like_english() -> None:
    assert parse_schedule("weekdays 08:30 Europe/Berlin").describe() == (
        "Monday to Friday at 08:30 (Europe/Berlin)"
    )
    assert OFF.describe() == "no scheduled digest"


# --- next runs ---------------------------------------------------------------------


def test_daily_runs_every_day_at_local_time() -> None:
    got = runs("daily 09:00 Europe/Berlin", utc(2026, 1, 5, 12), 3)
    assert got == [utc(2026, 1, 6, 8), utc(2026, 1, 7, 8), utc(2026, 1, 8, 8)]


def test_weekdays_skip_the_weekend() -> None:
    got = runs("weekdays 08:30", utc(2026, 1, 8, 12), 3)  # a Thursday
    assert local(got, "UTC") == [
        "Fri 2026-01-09 08:30 UTC",
        "Mon 2026-01-12 08:30 UTC",
        "Tue 2026-01-13 08:30 UTC",
    ]


def test_weekly_runs_once_a_week_on_its_day() -> None:
    got = runs("weekly mon 09:00 America/New_York", utc(2026, 1, 6), 2)
    assert local(got, "America/New_York") == [
        "Mon 2026-01-12 09:00 EST",
        "Mon 2026-01-19 09:00 EST",
    ]


def test_cron_weekday_mornings() -> None:
    got = runs('cron "0 9 * * 1-5" Europe/Berlin', utc(2026, 1, 9, 9), 2)  # Fri after 09:00 CET
    assert local(got, BERLIN) == ["Mon 2026-01-12 09:00 CET", "Tue 2026-01-13 09:00 CET"]


def test_next_run_is_strictly_after() -> None:
    s = parse_schedule("daily 09:00")
    assert next_run(s, utc(2026, 1, 5, 9)) == utc(2026, 1, 6, 9)
    assert next_run(s, utc(2026, 1, 5, 8, 59, 59)) == utc(2026, 1, 5, 9)


def test_off_never_runs() -> None:
    assert next_run(OFF, utc(2026, 1, 1)) is None
    assert previous_run(OFF, utc(2026, 1, 1)) is None


def test_cron_that_never_fires_has_no_next_run() -> None:
    assert next_run(parse_schedule('cron "0 0 30 2 *"'), utc(2026, 1, 1)) is None


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_run(parse_schedule("daily 09:00"), datetime(2026, 1, 1))


# --- DST ---------------------------------------------------------------------------
# Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST (02:30 does not exist);
#                2026-10-25 03:00 CEST → 02:00 CET (02:30 happens twice).


@pytest.mark.parametrize("text", ["daily 02:30 Europe/Berlin", 'cron "30 2 * * *" Europe/Berlin'])
def test_spring_forward_skipped_time_still_runs_once(text: str) -> None:
    got = runs(text, utc(2026, 3, 27, 12), 4)
    assert local(got, BERLIN) == [
        "Sat 2026-03-28 02:30 CET",
        "Sun 2026-03-29 03:30 CEST",  # 02:30 does not exist; shifted by the gap, once
        "Mon 2026-03-30 02:30 CEST",
        "Tue 2026-03-31 02:30 CEST",
    ]


@pytest.mark.parametrize("text", ["daily 02:30 Europe/Berlin", 'cron "30 2 * * *" Europe/Berlin'])
def test_fall_back_repeated_time_runs_once_not_twice(text: str) -> None:
    got = runs(text, utc(2026, 10, 24, 12), 3)
    assert got == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30), utc(2026, 10, 27, 1, 30)]
    # standing inside the repeated hour (second 02:10, CET) the day's run is already past
    assert next_run(parse_schedule(text), utc(2026, 10, 25, 1, 10)) == utc(2026, 10, 26, 1, 30)


def test_spring_forward_seen_from_just_after_the_jump() -> None:
    # 03:15 CEST on the jump day: the shifted 02:30 run (03:30 CEST) is still ahead
    s = parse_schedule("daily 02:30 Europe/Berlin")
    assert next_run(s, utc(2026, 3, 29, 1, 15)) == utc(2026, 3, 29, 1, 30)


def test_us_dst_keeps_local_nine_oclock() -> None:
    got = runs("daily 09:00 America/New_York", utc(2026, 3, 7, 12), 2)
    assert [t.hour for t in got] == [14, 13]  # EST then EDT: 09:00 local both days


# --- previous run and slots --------------------------------------------------------


def test_previous_run_is_the_latest_due_slot() -> None:
    s = parse_schedule("weekdays 09:00")
    assert previous_run(s, utc(2026, 1, 12, 8)) == utc(2026, 1, 9, 9)  # Mon early → Fri
    assert previous_run(s, utc(2026, 1, 12, 9)) == utc(2026, 1, 12, 9)


def test_slot_key_is_stable_utc_text() -> None:
    assert slot_key(
        datetime(2026, 3, 29, 3, 30, tzinfo=parse_schedule("daily 01:00 Europe/Berlin").zone)
    ) == ("2026-03-29T01:30:00Z")


ZONES = st.sampled_from(["UTC", BERLIN, "America/New_York", "Australia/Sydney", "Asia/Kolkata"])


@settings(max_examples=60, deadline=None)
@given(
    zone=ZONES,
    hh=st.integers(0, 23),
    mm=st.sampled_from([0, 15, 30, 45]),
    start=st.datetimes(
        min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
    ),
)
def test_daily_runs_are_once_per_local_day_and_previous_inverts_next(
    zone: str, hh: int, mm: int, start: datetime
) -> None:
    s = parse_schedule(f"daily {hh:02d}:{mm:02d} {zone}")
    got = [next_run(s, start)]
    for _ in range(5):
        got.append(next_run(s, got[-1]))
    days = [t.astimezone(s.zone).date() for t in got]
    assert len(set(days)) == len(days)  # never twice the same local day
    assert all((b - a).days == 1 for a, b in itertools.pairwise(days))  # never a day skipped
    for t in got:
        assert previous_run(s, t) == t
    assert all(t.astimezone(s.zone).time() >= time(hh, mm) for t in got)
