"""A fake Discord plus our adapter connected to it, with recording handlers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.discord import DiscordAdapter, DiscordConfig
from digests.models import Digest, Quote, Story
from tests import factories
from tests.fakes.discord import TOKEN, FakeDiscord

GUILD = 7 << 22  # a snowflake whose shard (for any shard count of 1) is 0
CHANNEL = 9001
OTHER_CHANNEL = 9002
TOPICS = ["ai", "aircraft", "climate", "chips", "space"]


@dataclass
class Recorder:
    """Stands in for the bot core: answers commands with ``reply`` and records everything."""

    reply: Callable[[CommandRequest], Awaitable[Reply]] | None = None
    commands: list[CommandRequest] = field(default_factory=list)
    reactions: list[ReactionEvent] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def on_command(self, request: CommandRequest) -> Reply:
        self.commands.append(request)
        if self.reply is not None:
            return await self.reply(request)
        return Reply(text=f"ok: {request.text}")

    async def on_reaction(self, event: ReactionEvent) -> None:
        self.reactions.append(event)
        self._changed.set()

    async def wait_until(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Return once ``predicate()`` holds, re-checked whenever a reaction arrives."""
        async with asyncio.timeout(within):
            while not predicate():
                await self._changed.wait()
                self._changed.clear()


def config_for(fake: FakeDiscord, **overrides: object) -> DiscordConfig:
    values: dict[str, object] = {
        "token": TOKEN,
        "api_url": fake.api_url,
        "gateway_url": fake.gateway_url,
        "guild_ready_timeout": 0.01,
        "connect_timeout": 10.0,
        "topics_provider": lambda: TOPICS,
    }
    values.update(overrides)
    return DiscordConfig(**values)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def connected(
    fake: FakeDiscord, recorder: Recorder, **overrides: object
) -> AsyncIterator[DiscordAdapter]:
    """Our adapter, started against ``fake`` with config ``overrides``, closed afterwards."""
    bot = DiscordAdapter(config_for(fake, **overrides), recorder.on_command, recorder.on_reaction)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.aclose()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    # a short rate-limit window keeps tests fast while still exercising discord.py's buckets
    async with FakeDiscord(guilds={GUILD: [CHANNEL, OTHER_CHANNEL]}, channel_window=0.1) as server:
        yield server
    # whatever a test did, Discord never saw a late answer, a 400 or a ping
    if server.interaction_deadline > 0:
        assert server.late == [], "an interaction was answered after Discord's 3 s"
    assert server.violations == [] and server.unsuppressed == []


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def adapter(fake: FakeDiscord, recorder: Recorder) -> AsyncIterator[DiscordAdapter]:
    async with connected(fake, recorder) as bot:
        yield bot


def make_story(
    n: int,
    *,
    title: str | None = None,
    summary: str | None = None,
    quotes: tuple[Quote, ...] = (),
    others: int = 0,
    image: str | None = None,
) -> Story:
    published = datetime(2026, 3, 1, 9, 0, tzinfo=UTC) + timedelta(hours=n)
    primary = factories.article(
        f"story{n:04d}abcdef",
        title or f"Story number {n}",
        source=f"outlet{n}.example",
        url=f"https://outlet{n}.example/news/{n}",
        published=published,
        image=image,
    )
    rewrites = (
        factories.article(
            f"rw{n}-{i}",
            f"Rewrite {i}",
            source=f"rewrite{i}.example",
            url=f"https://rewrite{i}.example/{n}",
            published=published,
        )
        for i in range(others)
    )
    return factories.story(
        primary, *rewrites, summary=summary or f"Summary of story {n}.", quotes=quotes
    )


def make_digest(count: int, **kwargs: Any) -> Digest:
    return factories.digest(
        *(make_story(i, **kwargs) for i in range(count)), title="Morning digest"
    )
