"""``/news digest`` goes through the delivery outbox: a bot killed half-way through posting
it is finished by the restarted bot's delivery loop — the missing stories only, none twice —
exactly like a scheduled digest."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from adapters.base import ChannelRef, CommandRequest, PostedHandler, PostedMessage
from bot.app import NewsBot
from bot.outbox import SENT, Outbox
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from digests.models import Digest, Story

from .delivery_helpers import Clock
from .helpers import ARTICLES, GENERAL, T0


class Channel:
    """What people see in the channel: (delivery key, part) per message, in order."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, int, str | None]] = []


class PartAdapter:
    """Posts a digest one message at a time; ``die_after`` parts, then hangs (the process is
    about to be killed)."""

    name = "console"

    def __init__(self, channel: Channel, die_after: int | None = None) -> None:
        self.channel = channel
        self.die_after = die_after
        self.dying = asyncio.Event()

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...

    async def send(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = frozenset(),
        on_posted: PostedHandler | None = None,
    ) -> list[PostedMessage]:
        assert isinstance(content, Digest)
        posted = []
        for part, story_id in enumerate([None, *(s.id for s in content.stories)]):
            if part in skip_parts:
                continue
            if self.die_after is not None and part >= self.die_after:
                self.dying.set()
                await asyncio.Event().wait()  # killed here
            self.channel.messages.append((idempotency_key, part, story_id))
            message = PostedMessage(channel, f"m{len(self.channel.messages)}", story_id, part)
            if on_posted is not None:
                await on_posted(message)
            posted.append(message)
        return posted


async def test_a_manual_digest_killed_mid_post_is_finished_after_the_restart_once(
    tmp_path: Path,
) -> None:
    clock = Clock(T0)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[arg-type]
    )
    channel = Channel()
    bot = NewsBot(settings, clock=clock)
    await bot.open()
    await bot.storage.upsert_articles(ARTICLES)
    await bot.catalog.refresh()
    dying = PartAdapter(channel, die_after=2)
    bot.publisher.add(dying)  # type: ignore[arg-type]
    asked = asyncio.create_task(bot.handle_command(CommandRequest(GENERAL, "ann", "digest")))
    await dying.dying.wait()
    asked.cancel()  # kill -9: the header and the first story are out, the rest is not
    await asyncio.gather(asked, return_exceptions=True)
    assert [p for _k, p, _s in channel.messages] == [0, 1]
    (row,) = await Outbox(bot.storage, clock=clock).list()
    assert row.kind == "manual" and row.status == "claimed"

    # the restarted bot: a new instance id, its delivery loop, once the lease has run out
    clock.now += timedelta(seconds=settings.newsbot_claim_lease_seconds + 1)
    loop = DeliveryLoop(bot.ctx, {"console": PartAdapter(channel)}, clock=clock)  # type: ignore[dict-item]
    report = await loop.tick()
    try:
        (done,) = await Outbox(bot.storage, clock=clock).list()
    finally:
        await bot.storage.aclose()
    assert report.outbox.sent == [row.key] and done.status == SENT
    parts = [p for _k, p, _s in channel.messages]
    assert parts == list(range(len(row.story_ids) + 1)), "each part exactly once, in order"
    assert [s for _k, _p, s in channel.messages][1:] == list(row.story_ids)
    assert len(row.story_ids) >= 2
