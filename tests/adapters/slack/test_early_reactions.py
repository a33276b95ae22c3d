"""Slack: a reaction that overtakes ``chat.postMessage``'s answer is kept, applied once.

Slack sends ``reaction_added`` as soon as someone reacts, and that can arrive before the
answer carrying the message's ``ts`` has reached the bot. The fake holds each answer back
1.5 s after the message appears; reactions 0.5 s after each story appears are all
recorded, and a Slack retry of an event changes nothing. (An add then a remove that
both arrive early end as "no reaction": tests/bot/test_held_reactions.py.)
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters.base import ChannelRef, ReactionEvent
from adapters.slack import SlackAdapter
from bot.app import NewsBot
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from bot.storage.delivery_reactions import HeldReactions
from bot.storage.delivery_store import DeliveryStore
from bot.wiring.slack import config_from
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, TEAM_ID, FakeSlack

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


async def test_reactions_before_the_post_returns_are_recorded_once(tmp_path: Path) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        fake.answer_delay = 1.5
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[arg-type]
            slack_bot_token=BOT_TOKEN,  # type: ignore[arg-type]
            slack_app_token=APP_TOKEN,  # type: ignore[arg-type]
            slack_api_url=fake.api_url,
            newsbot_adapters=["slack"],
        )
        bot = NewsBot(settings, clock=lambda: NOW)
        handled = asyncio.Condition()
        count = [0]

        async def on_reaction(event: ReactionEvent) -> None:
            await bot.handle_reaction(event)
            async with handled:
                count[0] += 1
                handled.notify_all()

        await bot.open()
        await bot.ingest()
        config = dataclasses.replace(config_from(settings), min_interval=0.0)  # type: ignore[arg-type]
        adapter = SlackAdapter(config, bot.handle_command, on_reaction)
        await adapter.start()
        channel = ChannelRef("slack", TEAM_ID, "C1")
        messages = fake.posted("C1")
        pushed: list[asyncio.Task[None]] = []
        first_event: dict[str, Any] = {}

        async def react_later(ts: str, n: int) -> None:
            await asyncio.sleep(0.5)
            payload = fake.reaction_payload(ts=ts, user=f"U{n}", event_id=f"EvEarly{n}")
            first_event.setdefault("payload", payload)
            await fake.push("events_api", payload)

        async def watch() -> None:
            seen = 0
            while True:
                await fake.wait_for(lambda n=seen: len(messages) > n, within=30)
                for message in messages[seen:]:
                    if message["blocks"][0]["type"] != "header":
                        pushed.append(
                            asyncio.create_task(react_later(message["ts"], len(pushed) + 1))
                        )
                seen = len(messages)

        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=datetime(2026, 11, 19, tzinfo=UTC)
            )
            watcher = asyncio.create_task(watch())
            held_seen = []
            sending = asyncio.create_task(
                DeliveryLoop(bot.ctx, {"slack": adapter}, clock=lambda: NOW).tick()
            )
            while not sending.done():
                held_seen.append(await HeldReactions(bot.storage).count())
                await asyncio.sleep(0.05)
            report = sending.result()
            watcher.cancel()
            await asyncio.gather(*pushed)
            stories = len(pushed)
            async with asyncio.timeout(5), handled:
                await handled.wait_for(lambda: count[0] == stories)
            # Slack retries the first event after it was applied: nothing changes
            await fake.push("events_api", first_event["payload"], retry_attempt=1)
            await asyncio.sleep(0.3)
            stored = await bot.storage.reactions(channel)
            left = await HeldReactions(bot.storage).count()
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    assert report.outbox.sent and stories >= 2
    assert max(held_seen) >= 1, "no reaction ever had to wait for its message"
    assert sorted(r.user_id for r in stored) == sorted(f"U{n}" for n in range(1, stories + 1))
    assert left == 0
