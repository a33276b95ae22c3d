"""A reaction that arrives before the bot has recorded its message is kept, not lost.

discord.py waits out an exhausted rate-limit bucket before it returns the message that
exhausted it (the 5th of a burst on the fake, as on Discord), so the bot learns that
message's id seconds after people can see — and react to — it. Here every story of a
10-story scheduled digest gets a 👍 0.5 s after it appears in the fake channel; all ten
are recorded, including those on the 5th and 10th messages and the last one.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.base import ChannelRef, ReactionEvent
from adapters.discord import DiscordAdapter, DiscordConfig
from bot.app import NewsBot
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from bot.storage.delivery_reactions import HeldReactions
from bot.storage.delivery_store import DeliveryStore
from tests.adapters.discord.conftest import CHANNEL, GUILD
from tests.bot.delivery_helpers import write_article
from tests.fakes.discord import TOKEN, FakeDiscord

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
SUBJECTS = [
    "Harbor cranes automate container loading",
    "Volcano observatory raises alert level",
    "Orchard growers test frost drones",
    "Library opens overnight reading room",
    "Ferry operator orders electric hulls",
    "Glacier survey finds faster retreat",
    "Bakery chain recalls sesame loaves",
    "Stadium installs solar canopy roof",
    "Museum returns bronze statues home",
    "Railway signals upgrade delays trains",
    "Beekeepers report record honey yield",
    "Astronomers spot comet near Jupiter",
]


def _news(folder: Path) -> Path:
    folder.mkdir()
    for i, title in enumerate(SUBJECTS):
        slug = title.lower().replace(" ", "-")
        write_article(
            folder,
            f"outlet{i}-{slug}",
            title,
            published=NOW - timedelta(minutes=30 + i),
            tags=(f"topic{i}",),
            body=f"{title}. Officials in district {i} described the change on Friday; "
            f"residents of ward {i * 7} said they had waited {i + 2} years for it.",
        )
    return folder


async def test_reactions_half_a_second_after_each_story_appears_are_all_recorded(
    tmp_path: Path,
) -> None:
    # channel_window 2 s: the 5th and 10th posts return ~2 s after they appear
    async with FakeDiscord(guilds={GUILD: [CHANNEL]}, channel_window=2.0) as fake:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[arg-type]
            newsbot_adapters=["discord"],
            discord_token=TOKEN,  # type: ignore[arg-type]
            discord_api_url=fake.api_url,
            discord_gateway_url=fake.gateway_url,
            newsbot_sources=[str(_news(tmp_path / "news"))],
            newsbot_digest_size=10,
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
        adapter = DiscordAdapter(
            DiscordConfig(
                token=TOKEN,
                api_url=fake.api_url,
                gateway_url=fake.gateway_url,
                guild_ready_timeout=0.01,
            ),
            bot.handle_command,
            on_reaction,
        )
        await adapter.start()
        channel = ChannelRef("discord", str(GUILD), str(CHANNEL))
        messages = fake.channels[CHANNEL].messages
        reacted: list[asyncio.Task[None]] = []
        held_seen: list[int] = []

        async def react_later(message: dict[str, Any], user_id: int) -> None:
            await asyncio.sleep(0.5)
            await fake.react(CHANNEL, int(message["id"]), user_id=user_id, emoji="👍")

        async def watch() -> None:
            seen = 0
            while True:
                await fake.wait_until(lambda n=seen: len(messages) > n, within=30)
                for message in messages[seen:]:
                    if message["embeds"]:  # a story, not the digest's header
                        reacted.append(
                            asyncio.create_task(react_later(message, 500 + len(reacted)))
                        )
                seen = len(messages)

        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=NOW - timedelta(days=2)
            )
            watcher = asyncio.create_task(watch())
            loop = DeliveryLoop(bot.ctx, {"discord": adapter}, clock=lambda: NOW)
            sending = asyncio.create_task(loop.tick())
            while not sending.done():  # some reactions are held while their send waits
                held_seen.append(await HeldReactions(bot.storage).count())
                await asyncio.sleep(0.05)
            report = sending.result()
            watcher.cancel()
            await asyncio.gather(*reacted)
            stories = [m for m in messages if m["embeds"]]
            assert len(stories) == 10 and report.outbox.sent
            async with asyncio.timeout(5), handled:  # the gateway delivers the last ones
                await handled.wait_for(lambda: count[0] == 10)
            stored = await bot.storage.reactions(channel)
            posted = {
                m.message_id: m.story_id
                for m in await bot.storage.posted_parts(report.outbox.sent[0])
            }
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    assert max(held_seen) >= 1, "no reaction ever had to wait for its message"
    assert sorted(r.story_id for r in stored) == sorted(posted[m["id"]] for m in stories)
    assert len({r.user_id for r in stored}) == 10  # one each, none counted twice
