"""Instant alerts: once per story and channel, rewrites join instead of re-alerting,
alerted stories stay out of the next digest; and the ``/news alerts`` command."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.base import ChannelRef, CommandRequest
from bot.commands import CommandContext, NewsCommands
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.settings import SAMPLES_DIR

from .delivery_helpers import Clock, RecordingAdapter, make_context, write_article

GENERAL = ChannelRef("console", "local", "general")
SPACE = ChannelRef("console", "local", "space")
T = datetime(2026, 11, 22, 8, tzinfo=UTC)
OPEN_MODEL = "2026-11-18-harbor-labs-opens-model.md"
REWRITE = "2026-11-18-tidewater-open-weights-rewrite.txt"  # the same story, another outlet
CHIPS = "2026-11-21-chip-plant-approval.md"
SPACE_TUG = "2026-11-20-orbital-debris-tug.md"


def add_sample(folder: Path, name: str) -> None:
    shutil.copy(SAMPLES_DIR / name, folder / name)
    if name.endswith(".txt"):  # a plain-text article is dated by its file time
        stamp = int(datetime(2026, 11, 18, 15, tzinfo=UTC).timestamp() * 1e9)
        os.utime(folder / name, ns=(stamp, stamp))


@pytest.fixture
def clock() -> Clock:
    return Clock(T)


@pytest.fixture
async def ctx(tmp_path: Path, clock: Clock) -> AsyncIterator[CommandContext]:
    context = await make_context(tmp_path / "bot.db", clock, newsbot_settings_by="admins")
    yield context
    await context.storage.aclose()


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    add_sample(folder, "2026-11-16-ev-battery-recycling.md")  # there before alerts: never alerted
    return folder


@pytest.fixture
def adapter() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
def loop(ctx: CommandContext, adapter: RecordingAdapter, news: Path, clock: Clock) -> DeliveryLoop:
    return DeliveryLoop(
        ctx, {"console": adapter}, poller=Poller([str(news)], clock=clock, interval=60)
    )


def ask(ctx: CommandContext, text: str, *, channel: ChannelRef = GENERAL, admin: bool = True):
    return NewsCommands(ctx)(
        CommandRequest(channel=channel, user_id="U1", text=text, is_admin=admin)
    )


async def next_poll(loop: DeliveryLoop, clock: Clock):
    clock.now += timedelta(seconds=61)
    return await loop.tick()


async def test_new_story_on_alert_topics_is_posted_once_and_rewrites_join_it(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await loop.tick()
    await ask(ctx, "alerts on ai")
    await ask(ctx, "alerts on space", channel=SPACE)

    add_sample(news, OPEN_MODEL)
    add_sample(news, SPACE_TUG)
    await next_poll(loop, clock)  # within one poll interval
    [alert] = adapter.to(GENERAL)
    story = ctx.catalog.get(alert.story_ids[0])
    assert alert.kind == "story" and story.title.startswith("Harbor Labs")
    [space_alert] = adapter.to(SPACE)  # each channel gets what is on its own topics
    assert "space" in ctx.catalog.get(space_alert.story_ids[0]).topics

    add_sample(news, REWRITE)
    report = await next_poll(loop, clock)
    assert report.new_articles == 1 and report.alerts_queued == 0
    assert len(adapter.to(GENERAL)) == 1  # no second alert for the rewrite ...
    joined = ctx.catalog.get(story.id)
    assert len(joined.articles) == 2  # ... it is "also covered by" on the same story

    await next_poll(loop, clock)
    assert len(adapter.posts) == 2  # nothing repeats on later polls


async def test_alerted_story_is_not_repeated_in_the_next_digest(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await ctx.storage.subscribe(GENERAL, ["ai"])
    await ask(ctx, "schedule daily 09:00 UTC")
    await loop.tick()
    await ask(ctx, "alerts on")  # follows the subscriptions
    write_article(
        news, "one-ai", "Robot hands learn to knit", published=clock.now - timedelta(hours=1)
    )
    write_article(
        news, "two-ai", "Speech model runs on a watch", published=clock.now - timedelta(minutes=30)
    )
    await next_poll(loop, clock)
    alerted = {p.story_ids[0] for p in adapter.posts}
    assert {ctx.catalog.get(s).title for s in alerted} == {
        "Robot hands learn to knit",
        "Speech model runs on a watch",
    }
    # one more AI story arrives with alerts off, then the digest time comes
    await ask(ctx, "alerts off")
    write_article(news, "three-ai", "Translation glasses go on sale", published=clock.now)
    await next_poll(loop, clock)
    assert len(adapter.posts) == 2
    clock.now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    await loop.tick()
    digest = adapter.posts[-1]
    assert digest.kind == "digest"
    assert [ctx.catalog.get(s).title for s in digest.story_ids] == [
        "Translation glasses go on sale"
    ]


async def test_no_alerts_for_stories_already_known_or_off_topic(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await loop.tick()
    await ask(ctx, "alerts on space")
    add_sample(news, CHIPS)
    await next_poll(loop, clock)
    assert adapter.posts == []


async def test_alerts_command(ctx: CommandContext) -> None:
    assert "off" in (await ask(ctx, "alerts")).text
    refused = await ask(ctx, "alerts on ai", admin=False)
    assert refused.error and "admins" in refused.text
    assert "off" in (await ask(ctx, "alerts", admin=False)).text  # reading is open to all

    missing = await ask(ctx, "alerts on")
    assert missing.error and "subscribe" in missing.text
    on = await ask(ctx, "alerts on AI, Climate")
    assert on.text == "Instant alerts are on for: ai, climate." and not on.ephemeral
    bad = await ask(ctx, "alerts maybe")
    assert bad.error and "'maybe'" in bad.text and "Usage" in bad.text
    assert (await ask(ctx, "alerts off")).text == "Instant alerts are off for this channel."


def restarted(
    ctx: CommandContext, adapter: RecordingAdapter, news: Path, clock: Clock
) -> DeliveryLoop:
    """What ``newsbot run`` does on start after its ingest: a fresh poller, primed with the
    files just ingested, and a fresh loop (nothing carried over in memory)."""
    from bot.catalog import Catalog

    poller = Poller([str(news)], clock=clock, interval=60)
    poller.prime()
    return DeliveryLoop(
        replace(ctx, catalog=Catalog(ctx.storage)), {"console": adapter}, poller=poller
    )


async def ingest_at_start_up(ctx: CommandContext, news: Path) -> None:
    from digests.ingest import load_paths

    await ctx.storage.upsert_articles(load_paths([str(news)]).articles)


async def test_a_file_added_while_the_bot_was_down_alerts_once_after_start_up(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await loop.tick()
    await ask(ctx, "alerts on ai")
    # the bot stops; a file arrives; the bot starts again and ingests it before polling
    add_sample(news, OPEN_MODEL)
    clock.now += timedelta(hours=3)
    await ingest_at_start_up(ctx, news)
    await restarted(ctx, adapter, news, clock).tick()
    [alert] = adapter.to(GENERAL)
    assert alert.kind == "story" and alert.title.startswith("Harbor Labs")

    # and a second restart does not alert it again
    clock.now += timedelta(hours=1)
    await ingest_at_start_up(ctx, news)
    await restarted(ctx, adapter, news, clock).tick()
    assert len(adapter.posts) == 1


async def test_a_crash_after_storing_an_article_but_before_queueing_its_alert_loses_nothing(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await loop.tick()
    await ask(ctx, "alerts on ai")
    add_sample(news, OPEN_MODEL)
    clock.now += timedelta(seconds=61)
    report = await loop.poll()  # stored ... and the process dies here
    assert report.new_articles == 1 and adapter.posts == []

    clock.now += timedelta(minutes=5)
    await ingest_at_start_up(ctx, news)
    again = restarted(ctx, adapter, news, clock)
    assert (await again.tick()).alerts_queued == 1
    [alert] = adapter.to(GENERAL)
    assert alert.title.startswith("Harbor Labs")
    clock.now += timedelta(seconds=61)
    await again.tick()
    assert len(adapter.posts) == 1


async def test_old_articles_added_to_the_sources_do_not_flood_alert_channels(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await loop.tick()
    await ask(ctx, "alerts on ai")
    for i in range(5):  # an archive from last month
        write_article(
            news,
            f"arch{i}-ai",
            f"Archived AI story {i}",
            published=clock.now - timedelta(days=30 + i),
        )
    write_article(news, "fresh-ai", "Fresh AI story", published=clock.now - timedelta(hours=1))
    await next_poll(loop, clock)
    assert [p.title for p in adapter.posts] == ["Fresh AI story"]


async def test_an_alert_that_finally_fails_goes_into_the_next_digest_instead(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    from adapters.base import DeliveryError

    await ctx.storage.subscribe(GENERAL, ["ai"])
    await ask(ctx, "schedule daily 09:00 UTC")
    await loop.tick()
    await ask(ctx, "alerts on")
    adapter.fail_with = [DeliveryError("rate limited by the platform for good", permanent=True)]
    write_article(news, "lost-ai", "AI story whose alert failed", published=clock.now)
    await next_poll(loop, clock)
    assert adapter.posts == []
    clock.now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    await loop.tick()
    [digest] = adapter.posts
    assert digest.kind == "digest" and digest.title.startswith("News digest")
    assert [ctx.catalog.get(s).title for s in digest.story_ids] == ["AI story whose alert failed"]


async def test_newsbot_run_alerts_a_file_that_arrived_while_it_was_stopped(tmp_path: Path) -> None:
    """The real start-up path: ``NewsBot.run`` ingests, then its delivery service alerts."""
    import asyncio

    from bot.app import NewsBot
    from bot.settings import load_settings
    from bot.storage import Storage
    from bot.storage.delivery_store import DeliveryStore
    from digests.ingest import load_paths

    news = tmp_path / "news"
    news.mkdir()
    add_sample(news, "2026-11-16-ev-battery-recycling.md")
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    # a previous run: it had the battery story, and the channel turned AI alerts on
    storage = Storage(url)
    await storage.upgrade()
    await storage.upsert_articles(load_paths([str(news)]).articles)
    store = DeliveryStore(storage)
    await store.mark_seen(T - timedelta(days=1))
    await store.alerts_done(await store.alerts_pending())
    await store.set_alerts(GENERAL, True, ["ai"], since=T - timedelta(days=1))
    await storage.aclose()

    add_sample(news, OPEN_MODEL)  # while the bot is stopped
    posted = asyncio.Event()

    class Adapter(RecordingAdapter):
        async def send(self, *args: object, **kwargs: object):  # type: ignore[override]
            try:
                return await super().send(*args, **kwargs)  # type: ignore[arg-type]
            finally:
                posted.set()

    adapter = Adapter()
    bot = NewsBot(load_settings(database_url=url, newsbot_sources=[str(news)]), clock=lambda: T)
    running = asyncio.create_task(bot.run([adapter]))  # type: ignore[list-item]
    try:
        await asyncio.wait_for(posted.wait(), timeout=30)
    finally:
        bot.stop()
        await asyncio.wait_for(running, timeout=30)
    [alert] = adapter.posts
    assert (
        alert.kind == "story" and alert.title.startswith("Harbor Labs") and alert.channel == GENERAL
    )


async def test_why_says_a_digest_was_skipped_because_its_stories_came_as_alerts(
    ctx: CommandContext, loop: DeliveryLoop, adapter: RecordingAdapter, clock: Clock, news: Path
) -> None:
    await ctx.storage.subscribe(GENERAL, ["ai"])
    await ask(ctx, "schedule daily 09:00 UTC")
    await loop.tick()
    await ask(ctx, "alerts on")
    write_article(news, "only-ai", "The one AI story of the morning", published=clock.now)
    await next_poll(loop, clock)
    clock.now = datetime(2026, 11, 22, 9, tzinfo=UTC)
    await loop.tick()
    assert [p.kind for p in adapter.posts] == ["story"]  # the alert, and no digest repeating it
    text = (await ask(ctx, "why")).text
    assert (
        "The Sun 22 Nov 09:00 UTC digest was skipped: nothing new on its topics, "
        "apart from stories it already got as alerts"
    ) in text
