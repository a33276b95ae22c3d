"""``newsbot feeds import|export``: OPML in and out, per channel, with clear errors; an
imported feed's current items are recorded on its first poll, not posted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.base import ChannelRef
from bot.cli.feeds import command as feeds_cli
from bot.feeds.runner import ChatFeeds
from bot.feeds.store import FeedStore
from bot.settings import Settings
from bot.storage import Storage
from digests.ingest.opml import parse_opml
from tests.fakes.web import FakeWeb

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
<outline text="Tech" title="Tech">
  <outline type="rss" text="Gazette" title="Gazette" xmlUrl="https://gazette.example/rss.xml"/>
  <outline type="rss" text="Intranet" xmlUrl="http://10.0.0.5/feed"/>
</outline>
<outline type="rss" text="Loose &amp; fancy" xmlUrl="https://loose.example/atom"/>
<outline type="rss" text="Loose again" xmlUrl="https://loose.example/atom"/>
</body></opml>
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    for key in ("NEWSBOT_ALLOW_PRIVATE_URLS", "NEWSBOT_FEEDS_PER_WORKSPACE"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


async def _feeds(url: str) -> list:
    storage = Storage(url)
    try:
        return await FeedStore(storage).all()
    finally:
        await storage.aclose()


def test_import_into_a_channel_then_export_round_trips(db: str, tmp_path: Path) -> None:
    path = tmp_path / "subs.opml"
    path.write_bytes(OPML)
    runner = CliRunner()
    result = runner.invoke(feeds_cli, ["import", str(path), "--channel", "slack:T1:C1"])
    assert result.exit_code == 0, result.output
    assert "imported 2 of 3 feeds" in result.output
    assert "refused http://10.0.0.5/feed" in result.output and "private address" in result.output
    feeds = asyncio.run(_feeds(db))
    assert [(f.url, f.title, f.topics) for f in feeds] == [
        ("https://gazette.example/rss.xml", "Gazette", ("tech",)),
        ("https://loose.example/atom", "Loose & fancy", ()),
    ]
    assert all(f.channel == ChannelRef("slack", "T1", "C1") and not f.primed for f in feeds)
    again = runner.invoke(feeds_cli, ["import", str(path), "--channel", "slack:T1:C1"])
    assert "2 were already there" in again.output

    exported = runner.invoke(feeds_cli, ["export"])
    assert exported.exit_code == 0
    outlines = parse_opml(exported.stdout_bytes)
    assert {(o.url, o.categories) for o in outlines} == {
        ("https://gazette.example/rss.xml", ("slack:T1:C1",)),
        ("https://loose.example/atom", ("slack:T1:C1",)),
    }
    # export → import into another database restores each feed to its channel
    other = tmp_path / "export.opml"
    other.write_bytes(exported.stdout_bytes)
    db2 = f"sqlite+aiosqlite:///{tmp_path / 'other.db'}"
    result = runner.invoke(feeds_cli, ["import", str(other)], env={"DATABASE_URL": db2})
    assert "imported 2 of 2" in result.output
    assert {str(f.channel) for f in asyncio.run(_feeds(db2))} == {"slack:T1:C1"}


def test_import_errors_are_clear(db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<html><body>not opml</body></html>")
    result = runner.invoke(feeds_cli, ["import", str(bad)])
    assert (
        result.exit_code == 1 and "lists no feeds" in result.output and "bad.opml" in result.output
    )
    result = runner.invoke(feeds_cli, ["import", str(bad), "--channel", "general"])
    assert result.exit_code == 2 and "platform:workspace:channel" in result.output
    result = runner.invoke(feeds_cli, ["import", str(tmp_path / "missing.opml")])
    assert result.exit_code == 2 and "does not exist" in result.output


async def test_an_imported_feed_is_primed_on_its_first_poll_not_posted(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        newsbot_allow_private_urls=True,
        newsbot_fetch_delay=0,
    )
    clock = lambda: datetime(2026, 12, 3, 12, tzinfo=UTC)  # noqa: E731
    storage = Storage(settings.database_url.get_secret_value())
    await storage.upgrade()
    async with FakeWeb() as web:
        url = web.add_feed("news", "rss", ["market-hall", "bridge-delay"])
        store = FeedStore(storage)
        await store.add(ChannelRef("console", "local", "general"), url, now=clock())
        chat = ChatFeeds(storage, settings, clock=clock)
        try:
            stored = await chat.poll()
            assert {a.title for a in stored} == {
                "Old market hall to reopen as a food court",
                "North bridge repairs delayed until autumn",
            }
            assert await store.pending() == []  # recorded as seen, nothing to post
            assert web.counts["/articles/market-hall.html"] == 0  # no full text for old items
            (feed,) = await store.all()
            assert feed.primed and feed.etag
        finally:
            await chat.aclose()
            await storage.aclose()


async def test_operator_feeds_get_full_text_and_a_restart_keeps_it(tmp_path: Path) -> None:
    """NEWSBOT_SOURCES feeds go through the same full-text step; after a restart the stored
    full text is reused, not re-fetched and never replaced by the teaser."""
    from bot.poller import Poller

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        newsbot_allow_private_urls=True,
        newsbot_fetch_delay=0,
    )
    clock = lambda: datetime(2026, 12, 3, 12, tzinfo=UTC)  # noqa: E731
    storage = Storage(settings.database_url.get_secret_value())
    await storage.upgrade()
    async with FakeWeb() as web:
        url = web.add_feed("ops", "atom", ["bridge-delay"])
        try:
            for run in range(2):
                chat = ChatFeeds(storage, settings, clock=clock)
                poller = Poller([url], clock=clock, interval=60, chat_feeds=chat)
                result = await poller.poll_once()
                await chat.aclose()
                (article,) = result.articles
                assert "takings are down by a third" in article.text, run
                await storage.upsert_articles(result.articles)
            assert web.counts["/articles/bridge-delay.html"] == 1  # fetched once, then reused
        finally:
            await storage.aclose()


async def test_full_text_off_keeps_the_feeds_own_text(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        newsbot_allow_private_urls=True,
        newsbot_fetch_delay=0,
        newsbot_full_text="off",
    )
    clock = lambda: datetime(2026, 12, 3, 12, tzinfo=UTC)  # noqa: E731
    storage = Storage(settings.database_url.get_secret_value())
    await storage.upgrade()
    async with FakeWeb() as web:
        url = web.add_feed("news", "rss", ["market-hall"])
        store = FeedStore(storage)
        await store.add(ChannelRef("console", "local", "general"), url, now=clock(), item_ids=[])
        web.add_item("news", "tram-strike")
        chat = ChatFeeds(storage, settings, clock=clock)
        try:
            got = await chat.poll()
        finally:
            await chat.aclose()
            await storage.aclose()
    assert {a.title for a in got} == {
        "Old market hall to reopen as a food court",
        "Tram drivers vote for strike over rosters",
    }
    assert all("said" not in a.text for a in got)  # the one-line teasers, no page quotes
    assert not any(p.startswith("/articles/") for p in web.hits)


async def test_a_new_entry_in_an_operator_feed_keeps_its_other_entries(tmp_path: Path) -> None:
    """A NEWSBOT_SOURCES feed's poll returns only new and changed entries; storing them must
    not forget the feed's other entries (they share the feed URL as their path)."""
    from datetime import timedelta

    from bot.app import NewsBot
    from bot.poller import Poller
    from bot.scheduler import DeliveryLoop

    async with FakeWeb() as web:
        url = web.add_feed("ops", "rss", ["market-hall", "bridge-delay"])
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            newsbot_sources=[url],
        )
        now = [datetime(2026, 12, 3, tzinfo=UTC)]
        bot = NewsBot(settings, clock=lambda: now[0])
        await bot.open()
        loop = DeliveryLoop(bot.ctx, {}, poller=Poller([url], clock=lambda: now[0], interval=60))
        try:
            await loop.poll()
            web.add_item("ops", "tram-strike")
            now[0] += timedelta(minutes=5)
            await loop.poll()
            titles = {a.title for a in await bot.storage.load_articles()}
        finally:
            await bot.storage.aclose()
    assert titles == {
        "Old market hall to reopen as a food court",
        "North bridge repairs delayed until autumn",
        "Tram drivers vote for strike over rosters",
    }
