"""Feeds added from chat, end to end in the console adapter against the fake web:
``/news feed add`` → the next poll posts the new items to that channel, with summaries and
key quotes from the article PAGE, filters applied, once each; ``/news feed remove`` stops
it; a failing feed backs off and tells the channel once."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from adapters.console.config import ConsoleConfig
from adapters.console.lines import parse_line
from bot.app import NewsBot
from bot.feeds.runner import ChatFeeds
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from tests.fakes.web import FakeWeb

from .delivery_helpers import Clock


@dataclass
class Rig:
    web: FakeWeb
    bot: NewsBot
    console: ConsoleAdapter
    out: io.StringIO
    loop: DeliveryLoop
    clock: Clock

    async def say(self, line: str) -> str:
        """Type a line into the console; returns what it printed."""
        start = len(self.out.getvalue())
        await self.console._handle(parse_line(line))
        return self.out.getvalue()[start:]

    async def tick(self, *, after: timedelta = timedelta(minutes=2)) -> str:
        """Let time pass, run one delivery tick; returns what was posted."""
        self.clock.now += after
        start = len(self.out.getvalue())
        await self.loop.tick()
        return self.out.getvalue()[start:]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with FakeWeb(slow_seconds=3) as web:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            newsbot_sources=[],
            newsbot_allow_private_urls=True,  # the fake web is on 127.0.0.1
            newsbot_fetch_delay=0,
            newsbot_fetch_timeout=1.5,
            newsbot_poll_interval=60,
        )
        clock = Clock(datetime(2026, 12, 3, 12, tzinfo=UTC))
        bot = NewsBot(settings, clock=clock)
        await bot.open()
        out = io.StringIO()
        console = ConsoleAdapter(
            ConsoleConfig(input=io.StringIO(""), output=out, width=200),
            bot.handle_command,
            bot.handle_reaction,
        )
        bot.publisher.add(console)
        chat = ChatFeeds(bot.storage, settings, clock=clock)
        poller = Poller([], clock=clock, interval=60, chat_feeds=chat)
        loop = DeliveryLoop(bot.ctx, {"console": console}, poller=poller)
        try:
            yield Rig(web, bot, console, out, loop, clock)
        finally:
            await chat.aclose()
            await bot.storage.aclose()


async def test_feed_add_then_poll_posts_new_items_with_quotes_from_the_page(rig: Rig) -> None:
    url = rig.web.add_feed(
        "harbour", "rss", ["market-hall", "library-robots"], title="Harbour Gazette"
    )
    added = squash(await rig.say(f"/news feed add {url} transport"))
    assert "Added feed 1: Harbour Gazette" in added
    assert "Old market hall to reopen as a food court" in added  # the preview
    assert "the 2 it holds now are not" in added
    assert squash(await rig.tick()) == ""  # nothing new yet: old items are not posted

    rig.web.add_item("harbour", "ferry-electric")
    rig.web.add_item("harbour", "tram-strike")
    assert 'Added exclude filter "strike"' in squash(
        await rig.say("/news filter add exclude strike")
    )
    posted = squash(await rig.tick())
    assert "Harbour ferries switch to battery power next spring" in posted
    # quotes that exist only on the article page, not in the feed's one-line description
    assert "winter storm on open water" in posted or "lorry's worth of exhaust" in posted
    assert "Tomas Reyes" in posted or "Ilse Brandvold" in posted
    assert "Accept all cookies" not in posted
    assert "Tram drivers" not in posted  # excluded by the filter ("strike")
    assert rig.web.counts["/articles/tram-strike.html"] == 0  # filtered before fetching

    assert squash(await rig.tick()) == ""  # nothing posted twice
    listing = squash(await rig.say("/news feed list"))
    assert "1. Harbour Gazette" in listing and "failures 0" in listing
    assert "last new item 2 min ago" in listing

    assert "Removed feed Harbour Gazette" in squash(await rig.say("/news feed remove 1"))
    before = rig.web.counts["/feeds/harbour"]
    rig.web.add_item("harbour", "bridge-delay")
    assert squash(await rig.tick()) == ""
    assert rig.web.counts["/feeds/harbour"] == before  # not even fetched


async def test_atom_and_rdf_feeds_and_pause(rig: Rig) -> None:
    atom = rig.web.add_feed("atom", "atom", ["market-hall"])
    rdf = rig.web.add_feed("rdf", "rdf", ["library-robots"])
    assert "Added feed 1" in squash(await rig.say(f"/news feed add {atom}"))
    assert "Added feed 2" in squash(await rig.say(f"/news feed add {rdf}"))
    assert "Paused feed" in squash(await rig.say("/news feed pause 2"))
    rig.web.add_item("atom", "bridge-delay")
    rig.web.add_item("rdf", "ferry-electric")
    posted = squash(await rig.tick())
    assert "North bridge repairs delayed until autumn" in posted
    assert (
        "takings are down by a third" in posted or "whatever that does to the timetable" in posted
    )
    assert "Harbour ferries" not in posted  # its feed is paused
    assert "Resumed feed" in squash(await rig.say(f"/news feed resume {rdf}"))
    assert "Harbour ferries switch" in squash(await rig.tick())


@pytest.mark.parametrize(
    ("path", "answer"),
    [
        ("/status/404", "HTTP 404 (not found; check the address)"),
        ("/slow", "timed out after 1.5 s"),
        ("/huge", "too large"),
        ("/loop", "too many redirects"),
        ("/no-feeds.html", "a web page, not a feed, and it advertises no feed"),
        ("/articles/ferry-electric.html", "advertises these feeds"),
    ],
)
async def test_feed_add_explains_what_is_wrong(rig: Rig, path: str, answer: str) -> None:
    reply = squash(await rig.say(f"/news feed add {rig.web.url(path)}"))
    assert answer in reply
    assert "Added feed" not in reply


async def test_feed_add_offers_the_feeds_a_page_advertises(rig: Rig) -> None:
    reply = squash(await rig.say(f"/news feed add {rig.web.url('/home.html')}"))
    assert f"/news feed add {rig.web.url('/rss.xml')}" in reply
    assert "https://news.invalid/tech.atom" in reply
    assert "news.invalid" not in rig.web.hits  # offered, never fetched


async def test_feed_add_refuses_private_addresses_when_not_allowed(rig: Rig) -> None:
    rig.bot.ctx.settings = rig.bot.settings.model_copy(update={"newsbot_allow_private_urls": False})
    url = rig.web.add_feed("news", "rss", ["market-hall"])
    reply = squash(await rig.say(f"/news feed add {url}"))
    assert "loopback address" in reply and "NEWSBOT_ALLOW_PRIVATE_URLS" in reply
    assert rig.web.hits == []
    reply = squash(await rig.say("/news feed add file:///etc/passwd"))
    assert "only http:// and https://" in reply


async def test_non_admins_can_list_but_not_add(rig: Rig) -> None:
    from adapters.base import CommandRequest

    url = rig.web.add_feed("news", "rss", ["market-hall"])
    req = CommandRequest(channel=rig.console.channel, user_id="U2", text=f"feed add {url}")
    reply = await rig.bot.handle_command(req)
    assert reply.error and "Only channel admins" in reply.text
    reply = await rig.bot.handle_command(
        CommandRequest(channel=rig.console.channel, user_id="U2", text="feed list")
    )
    assert "no feeds" in reply.text


async def test_failing_feed_backs_off_and_tells_the_channel_once(rig: Rig) -> None:
    url = rig.web.add_feed("flaky", "rss", ["market-hall"])
    assert "Added feed 1" in squash(await rig.say(f"/news feed add {url}"))
    del rig.web.feeds["flaky"]  # now answers 404
    told = []
    for _ in range(6):
        told.append(squash(await rig.tick(after=timedelta(hours=2))))
    notices = [t for t in told if "has failed" in t]
    assert len(notices) == 1, told
    assert "HTTP 404" in notices[0] and "/news feed remove" in notices[0]
    why = squash(await rig.say("/news why"))
    assert "Feed failing: Harbour Gazette (rss)" in why and "HTTP 404" in why
    fetches = rig.web.counts["/feeds/flaky"]
    assert squash(await rig.tick(after=timedelta(minutes=2))) == ""
    assert rig.web.counts["/feeds/flaky"] == fetches  # backing off: not fetched every poll

    rig.web.add_feed("flaky", "rss", ["market-hall"])
    recovered = squash(await rig.tick(after=timedelta(hours=2)))
    assert "is working again" in recovered
    assert "failures 0" in squash(await rig.say("/news feed list"))


async def test_newsbot_status_shows_a_failing_feed_with_its_reason(rig: Rig) -> None:
    from bot.cli.status import gather, render

    url = rig.web.add_feed("gone", "rss", ["market-hall"])
    await rig.say(f"/news feed add {url}")
    del rig.web.feeds["gone"]
    for _ in range(3):
        await rig.tick(after=timedelta(hours=2))
    data = await gather(rig.bot.settings, rig.clock.now)
    (row,) = data["feeds"]
    assert row["failing"] and row["failures"] == 3 and "HTTP 404" in row["last_error"]
    out = io.StringIO()
    render(data, out)
    assert "Feeds added from chat" in out.getvalue() and "FAILING ×3: HTTP 404" in out.getvalue()


async def test_help_names_feed_commands_and_the_workspace_limit(rig: Rig) -> None:
    text = squash(await rig.say("/news help"))
    assert "/news feed add <url> [topic...]" in text and "at most 200 per workspace" in text
    assert "/news filter add include|exclude" in text


async def test_workspace_feed_limit_is_enforced(rig: Rig) -> None:
    rig.bot.ctx.settings = rig.bot.settings.model_copy(update={"newsbot_feeds_per_workspace": 1})
    first = rig.web.add_feed("a", "rss", ["market-hall"])
    second = rig.web.add_feed("b", "atom", ["market-hall"])
    assert "Added feed 1" in squash(await rig.say(f"/news feed add {first}"))
    reply = squash(await rig.say(f"/news feed add {second}"))
    assert "already has 1 feeds, the most it may have" in reply
    assert rig.web.counts["/feeds/b"] == 0


async def test_two_channels_following_one_feed_cost_one_fetch_and_both_get_the_item(
    rig: Rig,
) -> None:
    from adapters.base import ChannelRef, CommandRequest

    url = rig.web.add_feed("shared", "rss", ["market-hall"], title="Shared desk")
    other = ChannelRef("console", "local", "newsroom")
    assert "Added feed 1" in squash(await rig.say(f"/news feed add {url}"))
    reply = await rig.bot.handle_command(
        CommandRequest(channel=other, user_id="you", text=f"feed add {url}", is_admin=True)
    )
    assert "Added feed 1: Shared desk" in reply.text
    rig.web.add_item("shared", "library-robots")
    fetches, pages = (
        rig.web.counts["/feeds/shared"],
        rig.web.counts["/articles/library-robots.html"],
    )
    posted = await rig.tick()
    assert rig.web.counts["/feeds/shared"] == fetches + 1
    assert rig.web.counts["/articles/library-robots.html"] == pages + 1
    assert posted.count("Public library lends robots to schools") == 2
    assert "#general" in posted and "#newsroom" in posted
    assert "cardboard maze" in posted  # the page's quote, in both
