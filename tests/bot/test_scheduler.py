"""The delivery loop on an injected clock: scheduled digests, catch-up after downtime,
quiet days, DST, sources that change, and deliveries that fail."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from adapters.base import ChannelRef, DeliveryError
from bot.commands import CommandContext
from bot.outbox import FAILED, SENT
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.storage.delivery_store import DeliveryStore

from .delivery_helpers import T0, Clock, RecordingAdapter, make_context, write_article

GENERAL = ChannelRef("console", "local", "general")
OTHER = ChannelRef("console", "local", "other")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write_article(
        folder,
        "alpha-robots",
        "Robot arms learn to fold laundry",
        published=T0 - timedelta(hours=3),
    )
    write_article(
        folder,
        "beta-chips",
        "Chip maker doubles AI accelerator output",
        published=T0 - timedelta(hours=2),
    )
    write_article(
        folder,
        "gamma-sea",
        "Sea level report warns coastal cities",
        published=T0 - timedelta(hours=1),
        tags=("Climate",),
    )
    return folder


@pytest.fixture
async def ctx(tmp_path: Path, clock: Clock) -> AsyncIterator[CommandContext]:
    context = await make_context(tmp_path / "bot.db", clock)
    yield context
    await context.storage.aclose()


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
def loop(ctx: CommandContext, adapter: RecordingAdapter, news: Path, clock: Clock) -> DeliveryLoop:
    poller = Poller([str(news)], clock=clock, interval=60)
    return DeliveryLoop(ctx, {"console": adapter}, poller=poller)


async def schedule(
    ctx: CommandContext,
    channel: ChannelRef,
    spec: str,
    *,
    quiet: bool = False,
    topics: tuple[str, ...] = ("ai",),
) -> None:
    store = DeliveryStore(ctx.storage)
    if topics:
        await ctx.storage.subscribe(channel, topics)
    await store.set_schedule(channel, spec, since=ctx.now())
    if quiet:
        await store.set_quiet_day(channel, True)


async def test_daily_digest_arrives_once_at_the_channels_local_time(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    report = await loop.tick()  # 07:00 Berlin: sources read, nothing due
    assert report.new_articles == 3 and adapter.posts == []

    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    [post] = adapter.posts
    assert post.kind == "digest" and post.title == "News digest: ai — Mon 02 Mar"
    titles = {ctx.catalog.get(s).title for s in post.story_ids}
    assert titles == {
        "Robot arms learn to fold laundry",
        "Chip maker doubles AI accelerator output",
    }

    clock.now += timedelta(minutes=1)
    await loop.tick()
    assert len(adapter.posts) == 1  # the slot is delivered once

    # next morning only what is new since the last digest
    write_article(
        news, "delta-llm", "Open model tops AI benchmark", published=clock.now + timedelta(hours=5)
    )
    clock.now = datetime(2026, 3, 3, 9, tzinfo=BERLIN)
    await loop.tick()
    assert [ctx.catalog.get(s).title for s in adapter.posts[-1].story_ids] == [
        "Open model tops AI benchmark"
    ]
    [*_, d] = reversed(await loop.outbox.list())
    assert d.status == SENT and d.message_ids == ("2-0", "2-1")


async def test_a_channel_with_nothing_new_gets_nothing_or_a_quiet_day_line(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin", topics=("space",))
    await schedule(ctx, OTHER, "daily 09:00 Europe/Berlin", topics=("space",), quiet=True)
    clock.now = datetime(2026, 3, 2, 9, 5, tzinfo=BERLIN)
    await loop.tick()
    assert adapter.to(GENERAL) == []
    [quiet] = adapter.to(OTHER)
    assert (
        quiet.story_ids == ()
        and quiet.title == "Quiet day: nothing new on space since Sun 01 Mar 09:00."
    )


async def test_downtime_gets_one_catch_up_digest_not_a_burst(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    assert len(adapter.posts) == 1
    # the bot is down for three days while news keeps arriving
    for day in (3, 4, 5):
        write_article(
            news,
            f"down{day}-ai",
            f"AI story number {day} from the downtime",
            published=datetime(2026, 3, day, 12, tzinfo=BERLIN),
        )
    clock.now = datetime(2026, 3, 5, 15, 30, tzinfo=BERLIN)
    report = await loop.tick()
    assert len(report.digests_queued) == 1
    catch_up = adapter.posts[-1]
    assert len(adapter.posts) == 2 and catch_up.key.endswith("2026-03-05T08:00:00Z")
    assert sorted(ctx.catalog.get(s).title for s in catch_up.story_ids) == [
        "AI story number 3 from the downtime",
        "AI story number 4 from the downtime",
        "AI story number 5 from the downtime",
    ]
    clock.now += timedelta(hours=1)
    await loop.tick()
    assert len(adapter.posts) == 2


async def test_a_new_schedule_does_not_deliver_slots_from_before_it_was_set(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    clock.now = datetime(2026, 3, 2, 10, tzinfo=BERLIN)
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    await loop.tick()
    assert adapter.posts == []  # today's 09:00 was before the schedule existed
    write_article(
        news, "noon-ai", "Noon AI story", published=datetime(2026, 3, 2, 12, tzinfo=BERLIN)
    )
    clock.now = datetime(2026, 3, 3, 9, tzinfo=BERLIN)
    await loop.tick()
    [post] = adapter.posts
    assert post.key.endswith("2026-03-03T08:00:00Z")
    # the first digest covers one schedule period back from its slot
    assert [ctx.catalog.get(s).title for s in post.story_ids] == ["Noon AI story"]


async def count_posts(
    loop: DeliveryLoop, clock: Clock, adapter: RecordingAdapter, until: datetime, step: timedelta
) -> list[str]:
    while clock.now < until:
        clock.now += step
        await loop.tick()
    return [p.key.rsplit(":", 3)[-3] + ":" + p.key.rsplit(":", 3)[-2] for p in adapter.posts]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("weekly mon 09:00 Europe/Berlin", 2),
        ('cron "0 9 * * 1-5" Europe/Berlin', 10),
        ("weekdays 08:30 America/New_York", 10),
    ],
)
async def test_weekly_and_cron_schedules_over_two_weeks(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock, spec: str, expected: int
) -> None:
    loop = DeliveryLoop(ctx, {"console": adapter})  # no sources: quiet-day lines mark each slot
    await schedule(ctx, GENERAL, spec, quiet=True)
    await count_posts(loop, clock, adapter, T0 + timedelta(days=14), timedelta(hours=1))
    assert len(adapter.posts) == expected
    assert len({p.key for p in adapter.posts}) == expected


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (datetime(2026, 3, 28, tzinfo=UTC), ["28", "29", "30"]),  # spring forward on the 29th
        (datetime(2026, 10, 24, tzinfo=UTC), ["24", "25", "26"]),
    ],  # fall back on the 25th
)
async def test_dst_days_get_exactly_one_digest(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock, start: datetime, days: list[str]
) -> None:
    clock.now = start - timedelta(hours=1)
    loop = DeliveryLoop(ctx, {"console": adapter})
    await schedule(ctx, GENERAL, "daily 02:30 Europe/Berlin", quiet=True)
    await count_posts(
        loop, clock, adapter, start + timedelta(days=3) - timedelta(hours=2), timedelta(minutes=10)
    )
    local_days = [p.key.rsplit(":", 3)[1][8:10] for p in adapter.posts]
    assert local_days == days, [p.key for p in adapter.posts]


async def test_transient_platform_errors_are_retried_with_back_off(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    adapter.fail_with = [DeliveryError("HTTP 503", permanent=False)]
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    assert (await loop.tick()).outbox.retrying
    assert adapter.posts == []
    clock.now += timedelta(seconds=31)
    assert (await loop.tick()).outbox.sent
    assert len(adapter.posts) == 1


async def test_permanent_platform_error_is_recorded_with_its_reason(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    adapter.fail_with = [DeliveryError("channel_not_found", permanent=True)]
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    clock.now += timedelta(hours=2)
    await loop.tick()
    [d] = await loop.outbox.list()
    assert (d.status, d.error) == (FAILED, "channel_not_found") and adapter.posts == []


async def test_deleted_source_file_removes_its_story(
    ctx: CommandContext, loop: DeliveryLoop, clock: Clock, news: Path
) -> None:
    await loop.tick()
    assert len(ctx.catalog) == 3
    (news / "gamma-sea.md").unlink()
    clock.now += timedelta(seconds=61)
    report = await loop.tick()
    assert report.articles_deleted == 1
    assert sorted(s.title for s in ctx.catalog.stories) == [
        "Chip maker doubles AI accelerator output",
        "Robot arms learn to fold laundry",
    ]


async def test_sources_are_polled_on_the_poll_interval_not_every_tick(
    ctx: CommandContext, loop: DeliveryLoop, clock: Clock, news: Path
) -> None:
    await loop.tick()
    write_article(news, "eps-ai", "Late AI story", published=T0)
    clock.now += timedelta(seconds=30)
    assert (await loop.tick()).new_articles == 0
    clock.now += timedelta(seconds=31)
    assert (await loop.tick()).new_articles == 1
    assert await loop.seconds_until_next(clock.now) == pytest.approx(30.0)


# --- /news schedule and /news why ----------------------------------------------------


def ask(ctx: CommandContext, text: str, *, admin: bool = True):
    from adapters.base import CommandRequest
    from bot.commands import NewsCommands

    return NewsCommands(ctx)(
        CommandRequest(channel=GENERAL, user_id="U1", text=text, is_admin=admin)
    )


async def test_schedule_command_sets_shows_and_explains_mistakes(ctx: CommandContext) -> None:
    assert "no scheduled digest" in (await ask(ctx, "schedule")).text
    done = await ask(ctx, "schedule daily 09:00 Europe/Berlin")
    assert done.text == (
        "Schedule set. This channel's digest: every day at 09:00 (Europe/Berlin). "
        "Next: Mon 02 Mar 09:00 CET. On a day with nothing new it gets nothing "
        "(`/news schedule quiet on` for a note)."
    )
    assert not done.ephemeral
    cron = await ask(ctx, 'schedule cron "0 9 * * 1-5" America/New_York')
    assert 'cron "0 9 * * 1-5" (America/New_York). Next: Mon 02 Mar 09:00 EST' in cron.text
    assert "a one-line note" in (await ask(ctx, "schedule quiet on")).text
    # changing only the time keeps the timezone the channel chose
    assert "every day at 07:15 (America/New_York)" in (await ask(ctx, "schedule daily 07:15")).text

    bad = await ask(ctx, "schedule daily 25:00")
    assert bad.error and "'25:00' is not a time" in bad.text and "Usage" in bad.text
    tz = await ask(ctx, "schedule daily 09:00 Berlin")
    assert tz.error and "unknown timezone 'Berlin'" in tz.text

    refused = await ask(ctx, "schedule off", admin=False)
    assert refused.error and "admins" in refused.text
    assert "America/New_York" in (await ask(ctx, "schedule", admin=False)).text
    assert (await ask(ctx, "schedule off")).text == "Scheduled digests are off for this channel."


async def test_why_explains_schedule_last_digest_errors_and_failing_sources(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock, news: Path, tmp_path: Path
) -> None:
    poller = Poller([str(news), str(tmp_path / "gone")], clock=clock, interval=60)
    loop = DeliveryLoop(ctx, {"console": adapter}, poller=poller)
    await ask(ctx, "subscribe ai")
    await ask(ctx, "schedule daily 09:00 Europe/Berlin")
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    text = (await ask(ctx, "why")).text
    assert "Topics: ai" in text
    assert "Schedule: every day at 09:00 (Europe/Berlin); next digest Tue 03 Mar 09:00 CET." in text
    assert "Last digest: Mon 02 Mar 09:00 CET, 2 stories, posted Mon 02 Mar 09:00 CET." in text
    assert "Alerts: off" in text

    # the next day: nothing new, the folder "gone" keeps failing, and the platform refuses
    for _ in range(3):
        clock.now += timedelta(seconds=61)
        await loop.tick()
    clock.now = datetime(2026, 3, 3, 9, tzinfo=BERLIN)
    await loop.tick()
    text = (await ask(ctx, "why")).text
    assert "The Tue 03 Mar 09:00 CET digest was skipped: nothing new on its topics" in text
    assert f"Source failing: {tmp_path / 'gone'} — FileNotFoundError" in text

    write_article(news, "late-ai", "Late AI story", published=clock.now)
    adapter.fail_with = [DeliveryError("not_in_channel", permanent=True)]
    clock.now = datetime(2026, 3, 4, 9, tzinfo=BERLIN)
    await loop.tick()
    text = (await ask(ctx, "why")).text
    assert "Last digest: Wed 04 Mar 09:00 CET, 1 story, NOT posted." in text
    assert "Last delivery error: a digest could not be posted: not_in_channel." in text


async def newsbot_status(ctx: CommandContext, *args: str) -> tuple[int, str]:
    """``newsbot status ARGS`` on the test database (the CLI runs its own event loop: a thread)."""
    from click.testing import CliRunner

    from bot.cli import cli

    env = {"DATABASE_URL": ctx.settings.database_url.get_secret_value(), "COLUMNS": "200"}
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["status", *args], env=env)
    return result.exit_code, result.output


async def test_newsbot_status_shows_sources_channels_next_runs_and_failures(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock, news: Path, tmp_path: Path
) -> None:
    import orjson

    poller = Poller([str(news), str(tmp_path / "gone")], clock=clock, interval=60)
    loop = DeliveryLoop(ctx, {"console": adapter}, poller=poller)
    await ask(ctx, "subscribe ai")
    await ask(ctx, "schedule weekdays 09:00 Europe/Berlin")
    for _ in range(3):
        clock.now += timedelta(seconds=61)
        await loop.tick()
    await ask(ctx, "alerts on")
    adapter.fail_with = [DeliveryError("channel_not_found", permanent=True)]
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()

    code, output = await newsbot_status(ctx, "--json")
    assert code == 0, output
    data = orjson.loads(output)
    failing = [s for s in data["sources"] if s["failing"]]
    assert [s["source"] for s in failing] == [str(tmp_path / "gone")]
    [channel] = data["channels"]
    assert channel["schedule"] == "Monday to Friday at 09:00 (Europe/Berlin)" and channel["alerts"]
    assert data["deliveries"] == {"failed": 1}
    assert data["failed"][0]["error"] == "channel_not_found"

    _code, text = await newsbot_status(ctx)
    assert "FAILING ×4" in text and "console:local:general" in text
    assert "failed digest to console:local:general after 1 attempt(s): channel_not_found" in text


async def test_a_story_published_just_before_a_digest_but_polled_after_it_is_not_lost(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    # published 08:59:30, but the feed/folder is only polled after the 09:00 digest went out
    write_article(
        news,
        "late-ai",
        "AI story that just missed the digest",
        published=datetime(2026, 3, 2, 8, 59, 30, tzinfo=BERLIN),
    )
    clock.now += timedelta(seconds=61)
    await loop.tick()
    clock.now = datetime(2026, 3, 3, 9, tzinfo=BERLIN)
    await loop.tick()
    assert [ctx.catalog.get(s).title for s in adapter.posts[-1].story_ids] == [
        "AI story that just missed the digest"
    ]


async def test_a_delivery_queued_by_another_process_is_sent_with_its_stories(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock, news: Path, tmp_path: Path
) -> None:
    from bot.catalog import Catalog

    queuer = DeliveryLoop(ctx, {}, poller=Poller([str(news)], clock=clock, interval=60))
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await queuer.tick()  # polls, queues the digest, but serves no platform
    assert (await queuer.outbox.counts()) == {"pending": 1}

    # a second process whose catalog has not seen those articles yet
    from dataclasses import replace

    other_ctx = replace(ctx, catalog=Catalog(ctx.storage))
    sender = DeliveryLoop(other_ctx, {"console": adapter})
    assert (await sender.tick()).outbox.sent
    [post] = adapter.posts
    assert len(post.story_ids) == 2


async def test_a_fan_out_bigger_than_one_claim_batch_is_sent_in_one_tick(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock
) -> None:
    loop = DeliveryLoop(ctx, {"console": adapter})
    for i in range(120):
        await schedule(
            ctx, ChannelRef("console", "local", f"c{i}"), "daily 09:00 UTC", quiet=True, topics=()
        )
    clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    report = await loop.tick()
    assert len(report.outbox.sent) == 120 and len({p.channel for p in adapter.posts}) == 120


async def test_an_article_that_arrives_hours_late_reaches_the_next_digest_once(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 Europe/Berlin")
    clock.now = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    await loop.tick()
    # a slow feed: dated 06:00, first seen at 14:00 — after the 09:00 digest went out
    write_article(
        news,
        "slow-ai",
        "AI story from a slow feed",
        published=datetime(2026, 3, 2, 6, tzinfo=BERLIN),
    )
    # and an archive copied in: a month old, not news
    write_article(
        news, "arch-ai", "AI story from last month", published=datetime(2026, 2, 1, tzinfo=BERLIN)
    )
    clock.now = datetime(2026, 3, 2, 14, tzinfo=BERLIN)
    await loop.tick()
    clock.now = datetime(2026, 3, 3, 9, tzinfo=BERLIN)
    await loop.tick()
    assert [ctx.catalog.get(s).title for s in adapter.posts[-1].story_ids] == [
        "AI story from a slow feed"
    ]
    clock.now = datetime(2026, 3, 4, 9, tzinfo=BERLIN)
    await loop.tick()
    assert len(adapter.posts) == 2  # not repeated the day after


async def test_first_attempt_is_true_only_for_a_delivery_never_tried_before(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock
) -> None:
    from bot.outbox import Outbox

    for name in ("a", "b", "c"):
        await schedule(
            ctx, ChannelRef("console", "local", name), "daily 09:00 UTC", quiet=True, topics=()
        )
    clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    dead = Outbox(ctx.storage, clock=clock, worker_id="dead", lease=timedelta(minutes=1))
    loop = DeliveryLoop(
        ctx, {"console": adapter}, outbox=Outbox(ctx.storage, clock=clock, worker_id="live")
    )
    await loop.queue_digests(clock.now)
    [taken] = await dead.claim(limit=1)  # a process claims "a" and dies before posting
    adapter.fail_with = [DeliveryError("HTTP 503", permanent=False)]  # "b"'s first try fails
    await loop.tick()
    clock.now += timedelta(minutes=2)  # the retry is due and the dead lease has run out
    await loop.tick()
    first = {key.split(":")[1]: flag for key, flag in adapter.calls if flag}
    later = [key for key, flag in adapter.calls if not flag]
    names = {
        cid: name
        for name in "abc"
        for cid in [await ctx.storage.channel_id(ChannelRef("console", "local", name))]
    }
    assert sorted(names[int(k)] for k in first) == ["b", "c"]
    assert sorted(names[int(k.split(":")[1])] for k in later) == ["a", "b"]  # takeover, retry
    assert taken.key in later and len(adapter.posts) == 3


async def test_files_deleted_while_the_bot_was_down_are_forgotten_at_start_up(
    ctx: CommandContext,
    loop: DeliveryLoop,
    adapter: RecordingAdapter,
    clock: Clock,
    news: Path,
    tmp_path: Path,
) -> None:
    await loop.tick()
    assert len(ctx.catalog) == 3
    (news / "gamma-sea.md").unlink()  # while the bot is stopped

    def restart(folder: Path) -> DeliveryLoop:
        poller = Poller([str(folder)], clock=clock, interval=60)
        poller.prime()
        return DeliveryLoop(ctx, {"console": adapter}, poller=poller)

    # a folder that is not there (an unmounted disk) makes the bot forget nothing
    os.rename(news, tmp_path / "elsewhere")
    assert await restart(news).forget_missing_files() == 0
    os.rename(tmp_path / "elsewhere", news)

    assert await restart(news).forget_missing_files() == 1
    assert sorted(s.title for s in ctx.catalog.stories) == [
        "Chip maker doubles AI accelerator output",
        "Robot arms learn to fold laundry",
    ]


async def test_newsbot_status_lists_deliveries_being_retried(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock
) -> None:
    await schedule(ctx, GENERAL, "daily 09:00 UTC")
    adapter.fail_with = [DeliveryError("HTTP 503 from the platform", permanent=False)]
    clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    await loop.tick()
    _code, text = await newsbot_status(ctx)
    assert (
        "retrying digest to console:local:general (attempt 1 failed: HTTP 503 from the platform); "
        "next try 2026-03-02 09:00 UTC"
    ) in text
    assert "1 pending" in text


async def test_the_real_clock_under_time_travel_gives_one_digest_a_day_across_spring_forward(
    tmp_path: Path,
) -> None:
    """The bot's default clock (``datetime.now``) moved by time-machine, not by hand: a
    02:30 Berlin schedule across the 29 March 2026 jump still posts once a day."""
    import time_machine

    with time_machine.travel(datetime(2026, 3, 27, 12, tzinfo=UTC), tick=False) as traveller:
        real_clock = lambda: datetime.now(UTC)  # noqa: E731 - what NewsBot uses by default
        context = await make_context(tmp_path / "tm.db", real_clock)  # type: ignore[arg-type]
        try:
            adapter = RecordingAdapter()
            loop = DeliveryLoop(context, {"console": adapter})
            await schedule(context, GENERAL, "daily 02:30 Europe/Berlin", quiet=True, topics=())
            for _ in range(3 * 24 * 6):  # three days in ten-minute steps
                traveller.shift(timedelta(minutes=10))
                await loop.tick()
        finally:
            await context.storage.aclose()
    assert [p.key.split(":", 2)[2] for p in adapter.posts] == [
        "2026-03-28T01:30:00Z",  # 02:30 CET
        "2026-03-29T01:30:00Z",  # 02:30 does not exist that night: runs at 03:30 CEST
        "2026-03-30T00:30:00Z",  # 02:30 CEST
    ]


async def test_a_schedule_more_often_than_the_floor_is_refused_naming_it(
    ctx: CommandContext,
) -> None:
    every_minute = await ask(ctx, 'schedule cron "* * * * *"')
    assert every_minute.error
    assert "runs every minute" in every_minute.text and "every 15 minutes" in every_minute.text
    assert "NEWSBOT_MIN_SCHEDULE_MINUTES" in every_minute.text
    assert "no scheduled digest" in (await ask(ctx, "schedule")).text  # nothing was set
    assert (await ask(ctx, 'schedule cron "0,5 9 * * 1"')).error  # 5 minutes apart, Mondays
    assert not (await ask(ctx, 'schedule cron "*/15 * * * *"')).error


async def test_a_too_frequent_schedule_stored_earlier_posts_no_more_than_the_floor(
    ctx: CommandContext, adapter: RecordingAdapter, clock: Clock
) -> None:
    loop = DeliveryLoop(ctx, {"console": adapter})  # no sources: quiet-day lines mark each slot
    await schedule(ctx, GENERAL, 'cron "* * * * *" UTC', quiet=True)  # set before the floor
    await count_posts(loop, clock, adapter, T0 + timedelta(hours=1), timedelta(minutes=1))
    assert 4 <= len(adapter.posts) <= 5  # one a quarter of an hour, not 60
