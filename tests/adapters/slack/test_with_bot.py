"""End to end with the real bot core: scheduled digest → channel, reaction → /news stats."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from datetime import UTC, datetime
from pathlib import Path

from adapters.base import ChannelRef, ReactionEvent
from adapters.slack import SlackAdapter, SlackConfig
from bot.app import NewsBot
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from bot.storage.delivery_store import DeliveryStore
from bot.wiring import build_adapters
from bot.wiring.slack import config_from
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlack

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def _settings(tmp_path: Path, fake: FakeSlack) -> Settings:
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        slack_bot_token=BOT_TOKEN,
        slack_app_token=APP_TOKEN,
        slack_api_url=fake.api_url,
        newsbot_adapters=["slack"],
    )


async def _noop_command(_request):  # type: ignore[no-untyped-def]
    raise AssertionError("not used")


def test_settings_map_onto_the_slack_config(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        slack_bot_token="xoxb-1",
        slack_signing_secret="s3cret",
        slack_api_url="http://127.0.0.1:9/api",
        slack_http_port=3100,
        newsbot_adapters=["slack"],
    )
    (adapter,) = build_adapters(settings, _noop_command, _noop_command)
    assert isinstance(adapter, SlackAdapter)
    assert adapter.config == SlackConfig(
        bot_token="xoxb-1",
        signing_secret="s3cret",
        api_url="http://127.0.0.1:9/api",
        http_port=3100,
    )
    assert adapter.mode == "http"
    assert config_from(Settings(database_url="sqlite+aiosqlite:///x.db")) is None


async def test_scheduled_digest_lands_and_a_reaction_changes_stats(tmp_path: Path) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        settings = _settings(tmp_path, fake)
        bot = NewsBot(settings, clock=lambda: NOW)
        await bot.open()
        await bot.ingest()
        recorded = asyncio.Event()

        async def on_reaction(event: ReactionEvent) -> None:
            await bot.handle_reaction(event)
            recorded.set()

        config = dataclasses.replace(config_from(settings), min_interval=0.0)  # type: ignore[arg-type]
        adapter = SlackAdapter(config, bot.handle_command, on_reaction)
        await adapter.start()
        bot.publisher.add(adapter)
        channel = ChannelRef("slack", TEAM_ID, "C1")
        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=datetime(2026, 11, 19, tzinfo=UTC)
            )
            loop = DeliveryLoop(bot.ctx, {"slack": adapter}, clock=lambda: NOW)
            await loop.tick()
            messages = fake.posted("C1")
            assert len(messages) >= 2 and messages[0]["blocks"][0]["type"] == "header"
            story_ts = messages[1]["ts"]

            async def stats() -> str:
                before = len(fake.responses)
                await fake.push("slash_commands", fake.command_payload("stats", user_id="U7"))
                await fake.wait_for(lambda: len(fake.responses) > before)
                return fake.responses[-1]["text"]

            assert "No reactions" in await stats()
            payload = fake.reaction_payload(ts=story_ts, user="U7", reaction="+1", event_id="EvE2E")
            await fake.push("events_api", payload)
            await asyncio.wait_for(recorded.wait(), 5)
            recorded.clear()
            await fake.push("events_api", payload, retry_attempt=1)  # Slack's retry: applied once
            after = await stats()
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    assert re.match(r"1 reactions? from 1 (person|people)", after)  # the retry did not count twice
    assert not recorded.is_set()


async def test_channel_the_bot_was_never_invited_to_is_explained_by_news_why(
    tmp_path: Path,
) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        fake.channel_errors["CNOTIN"] = "not_in_channel"
        settings = _settings(tmp_path, fake)
        bot = NewsBot(settings, clock=lambda: NOW)
        await bot.open()
        await bot.ingest()
        config = dataclasses.replace(config_from(settings), min_interval=0.0)  # type: ignore[arg-type]
        adapter = SlackAdapter(config, bot.handle_command, bot.handle_reaction)
        await adapter.start()
        channel = ChannelRef("slack", TEAM_ID, "CNOTIN")
        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=datetime(2026, 11, 19, tzinfo=UTC)
            )
            loop = DeliveryLoop(bot.ctx, {"slack": adapter}, clock=lambda: NOW)
            await loop.tick()
            await fake.push("slash_commands", fake.command_payload("why", channel_id="CNOTIN"))
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    answer = fake.responses[0]["text"]
    assert fake.posted("CNOTIN") == []
    assert "not_in_channel" in answer and "/invite @newsbot" in answer
    assert len(fake.calls_to("chat.postMessage")) <= 1  # permanent: not retried


async def test_feed_added_with_the_slash_command_posts_its_new_items(tmp_path: Path) -> None:
    """``/news feed add`` through the real slack_bolt app: the next poll posts the feed's new
    item to that channel, with a key quote that only the article page has."""
    from bot.feeds.runner import ChatFeeds
    from bot.poller import Poller
    from tests.fakes.web import FakeWeb

    async with FakeSlack(rate_interval=0) as fake, FakeWeb() as web:
        settings = _settings(tmp_path, fake).model_copy(
            update={
                "newsbot_sources": [],
                "newsbot_settings_by": "everyone",
                "newsbot_allow_private_urls": True,  # the fake web is on 127.0.0.1
                "newsbot_fetch_delay": 0,
            }
        )
        now = [NOW]
        bot = NewsBot(settings, clock=lambda: now[0])
        await bot.open()
        config = dataclasses.replace(config_from(settings), min_interval=0.0)  # type: ignore[arg-type]
        adapter = SlackAdapter(config, bot.handle_command, bot.handle_reaction)
        await adapter.start()
        bot.publisher.add(adapter)
        chat = ChatFeeds(bot.storage, settings, clock=lambda: now[0])
        poller = Poller([], clock=lambda: now[0], interval=60, chat_feeds=chat)
        loop = DeliveryLoop(bot.ctx, {"slack": adapter}, poller=poller)
        try:
            url = web.add_feed("city", "atom", ["market-hall"], title="City desk")
            before = len(fake.responses)
            await fake.push("slash_commands", fake.command_payload(f"feed add {url}"))
            await fake.wait_for(lambda: len(fake.responses) > before, within=20)
            assert "Added feed 1: City desk" in fake.responses[-1]["text"]
            web.add_item("city", "bridge-delay")
            now[0] = NOW.replace(hour=10)
            await loop.tick()
            posted = " ".join(str(m) for m in fake.posted("C1"))
        finally:
            await chat.aclose()
            await adapter.aclose()
            await bot.storage.aclose()
    assert "North bridge repairs delayed until autumn" in posted
    assert "whatever that does to the timetable" in posted or "takings are down" in posted
