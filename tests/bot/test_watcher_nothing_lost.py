"""The file watcher loses nothing: a file counts as seen only once its article is stored,
a failed store is retried with back-off and reported, one bad file never costs a good
one, and the hostile zoo dropped into a watched folder leaves the bot ingesting."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.base import ChannelRef, CommandRequest
from bot.commands import CommandContext
from bot.commands.why import why_lines
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.storage.delivery_store import DeliveryStore
from tests.bot.delivery_helpers import T0, Clock, RecordingAdapter, make_context, write_article
from tests.zoo import build_zoo

CHANNEL = ChannelRef("console", "local", "general")


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def ctx(tmp_path: Path, clock: Clock) -> AsyncIterator[CommandContext]:
    context = await make_context(tmp_path / "bot.db", clock)
    yield context
    await context.storage.aclose()


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    return folder


def loop_for(ctx: CommandContext, news: Path, clock: Clock) -> DeliveryLoop:
    poller = Poller([str(news)], clock=clock, interval=60)
    return DeliveryLoop(ctx, {"console": RecordingAdapter()}, poller=poller)


async def stored_titles(ctx: CommandContext) -> set[str]:
    await ctx.catalog.refresh()
    return {a.title for s in ctx.catalog.stories for a in s.articles}


class FlakyStore:
    """Makes ``storage.upsert_articles`` raise like a full disk while ``full`` is set,
    or only for articles whose title contains ``poison``."""

    def __init__(self, ctx: CommandContext) -> None:
        self.real = ctx.storage.upsert_articles
        self.full = False
        self.poison: str | None = None
        ctx.storage.upsert_articles = self  # type: ignore[method-assign]

    async def __call__(self, articles: Any, *args: Any, **kwargs: Any) -> Any:
        articles = list(articles)
        if self.full:
            raise OSError(28, "No space left on device")
        if self.poison and any(self.poison in a.title for a in articles):
            raise ValueError("the database refused this article")
        return await self.real(articles, *args, **kwargs)


def write_latin1_name(folder: Path) -> None:
    """A good plain-text article under a name that is not UTF-8 (café in Latin-1)."""
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.md"), "wb") as fh:
        fh.write(b"Latin-1 name\n\nBody of an article with a Latin-1 file name. A sentence.\n")


async def why(ctx: CommandContext) -> list[str]:
    req = CommandRequest(channel=CHANNEL, user_id="ann", user_name="ann", text="why")
    return await why_lines(ctx, req)


async def test_articles_arriving_while_the_disk_is_full_are_stored_once_it_is_not(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    loop = loop_for(ctx, news, clock)
    flaky = FlakyStore(ctx)
    await loop.poll()  # empty folder: nothing to do

    flaky.full = True
    for i in range(10):
        write_article(news, f"arrival-{i}", f"Arrival number {i} during the outage", published=T0)
    clock.now += timedelta(seconds=60)
    await loop.poll()
    assert await stored_titles(ctx) == set()
    [status] = await DeliveryStore(ctx.storage).sources()
    assert status.last_error is not None
    assert status.last_error.startswith("could not store 10 new or changed articles")
    assert "No space left on device" in status.last_error
    assert any(
        "Source not stored yet" in line and "No space left" in line for line in await why(ctx)
    )

    # still full at the next poll: retried, then backing off (2 intervals)
    clock.now += timedelta(seconds=60)
    await loop.poll()
    [status] = await DeliveryStore(ctx.storage).sources()
    assert status.failures == 2 and status.next_attempt == clock.now + timedelta(seconds=120)

    flaky.full = False  # space is back
    clock.now += timedelta(seconds=60)
    await loop.poll()  # still inside the back-off: not retried yet
    assert await stored_titles(ctx) == set()
    clock.now += timedelta(seconds=60)
    await loop.poll()
    assert await stored_titles(ctx) == {f"Arrival number {i} during the outage" for i in range(10)}
    [status] = await DeliveryStore(ctx.storage).sources()
    assert status.failures == 0 and status.last_error is None
    assert not any("not stored" in line for line in await why(ctx))


async def test_one_article_the_store_refuses_does_not_hold_back_the_others(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    loop = loop_for(ctx, news, clock)
    flaky = FlakyStore(ctx)
    flaky.poison = "Poison"
    write_article(news, "good-one", "Good one arrives", published=T0)
    write_article(news, "poison", "Poison pill arrives", published=T0)
    write_article(news, "good-two", "Good two arrives", published=T0)
    await loop.poll()
    assert await stored_titles(ctx) == {"Good one arrives", "Good two arrives"}
    [status] = await DeliveryStore(ctx.storage).sources()
    assert status.last_error is not None and "could not store 1 new" in status.last_error

    flaky.poison = None  # whatever refused it is fixed: the retry stores it
    clock.now += timedelta(seconds=60)
    await loop.poll()
    assert "Poison pill arrives" in await stored_titles(ctx)


async def test_a_non_utf8_name_in_the_same_poll_never_loses_the_good_article(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    loop = loop_for(ctx, news, clock)
    await loop.poll()
    write_latin1_name(news)
    write_article(news, "beside", "The good article beside it", published=T0)
    clock.now += timedelta(seconds=60)
    await loop.poll()
    assert await stored_titles(ctx) == {"The good article beside it"}


async def test_the_zoo_dropped_into_a_watched_folder_leaves_the_bot_ingesting(
    ctx: CommandContext, news: Path, clock: Clock, tmp_path: Path
) -> None:
    loop = loop_for(ctx, news, clock)
    write_article(news, "before", "Before the zoo arrived", published=T0)
    await loop.poll()
    zoo = build_zoo(news / "zoo", good=3)
    clock.now += timedelta(seconds=60)
    await loop.poll()  # must return: no FIFO opened, no loop followed, no bomb expanded
    titles = await stored_titles(ctx)
    assert {f"Good article number {n} survives the zoo" for n in range(3)} <= titles
    assert set(zoo.read_ok.values()) <= titles

    write_article(news, "after", "After the zoo, a new article", published=T0)
    clock.now += timedelta(seconds=60)
    await loop.poll()  # within one poll
    assert "After the zoo, a new article" in await stored_titles(ctx)
    [status] = await DeliveryStore(ctx.storage).sources()
    assert status.failures == 0  # the folder itself reads fine; the bad files are reported


async def test_every_zoo_entry_is_reported_by_the_watcher_once(news: Path, clock: Clock) -> None:
    zoo = build_zoo(news, good=2)
    poller = Poller([str(news)], clock=clock, interval=60)
    first = poller.scan_files()
    poller.confirm()
    reported = {os.path.basename(e.path): e.error for e in first.errors}
    for name, fragment in zoo.hostile.items():
        assert fragment in reported.get(name, ""), (name, reported.get(name))
    assert len(first.articles) == len(zoo.good) + len(zoo.read_ok)
    again = poller.scan_files()
    assert again.errors == [] and again.articles == []  # reported once, not every poll
