"""Stories, digests and recording handlers for the Slack adapter tests (our own fixture text)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.slack import SlackAdapter, SlackConfig
from digests.models import Article, Digest, Story
from tests import factories
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack


def article(n: int = 1, **over: Any) -> Article:
    fields: dict[str, Any] = {
        "id": f"art{n:04d}abcdef",
        "title": f"City council approves river bridge plan {n}",
        "text": "The council voted 7-2 on Tuesday.\n\nConstruction starts in spring.",
        "url": f"https://example.org/news/{n}",
        "source": "example.org",
        "published": datetime(2026, 11, 3, 14, 5, tzinfo=UTC),
    }
    fields.update(over)
    return factories.article(**fields)


def story(
    n: int = 1, *, others: int = 0, quotes: int = 1, summary: str | None = None, **over: Any
) -> Story:
    return factories.story(
        article(n, **over),
        *(article(100 + n * 10 + i, source=f"outlet{i}.com") for i in range(others)),
        summary=summary
        if summary is not None
        else f"The council approved bridge plan {n} after a long debate.",
        quotes=[
            factories.quote(
                f"We finally have a plan that works for number {i}", f"Mayor Ana Ruiz {i}"
            )
            for i in range(quotes)
        ],
        topics=("local",),
    )


def digest(count: int = 3, title: str = "Morning news") -> Digest:
    return factories.digest(
        *(story(i) for i in range(1, count + 1)),
        title=title,
        period_start=datetime(2026, 11, 3, 0, 0, tzinfo=UTC),
        period_end=datetime(2026, 11, 4, 0, 0, tzinfo=UTC),
    )


class Recorder:
    """A stand-in bot core: answers commands, records reactions, signals arrivals."""

    def __init__(self, reply: Reply | None = None, *, block: asyncio.Event | None = None) -> None:
        self.reply = reply or Reply("pong")
        self.block = block
        self.commands: list[CommandRequest] = []
        self.reactions: list[ReactionEvent] = []
        self.changed = asyncio.Event()

    async def on_command(self, request: CommandRequest) -> Reply:
        self.commands.append(request)
        if self.block is not None:
            await self.block.wait()
        self.changed.set()
        return self.reply

    async def on_reaction(self, event: ReactionEvent) -> None:
        self.reactions.append(event)
        self.changed.set()

    async def wait(self, predicate, within: float = 5.0) -> None:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(within):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


def socket_config(fake: FakeSlack, **over: object) -> SlackConfig:
    base: dict[str, object] = {
        "bot_token": BOT_TOKEN,
        "app_token": APP_TOKEN,
        "api_url": fake.api_url,
        "min_interval": 0.0,
        "backoff_base": 0.001,
    }
    base.update(over)
    return SlackConfig(**base)  # type: ignore[arg-type]


def http_config(fake: FakeSlack, **over: object) -> SlackConfig:
    base: dict[str, object] = {
        "bot_token": BOT_TOKEN,
        "signing_secret": SIGNING_SECRET,
        "api_url": fake.api_url,
        "http_host": "127.0.0.1",
        "http_port": 0,
        "min_interval": 0.0,
        "backoff_base": 0.001,
    }
    base.update(over)
    return SlackConfig(**base)  # type: ignore[arg-type]


def adapter_for(config: SlackConfig, recorder: Recorder, **kw: object) -> SlackAdapter:
    return SlackAdapter(config, recorder.on_command, recorder.on_reaction, **kw)  # type: ignore[arg-type]


class VirtualClock:
    """Time that moves only when someone sleeps: rate limits without real waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)
