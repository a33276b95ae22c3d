"""A long, paced digest keeps its claim while it makes progress; a worker that really lost
its lease (stalled past it and was taken over) stops at its next part."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.base import ChannelRef, PostedHandler, PostedMessage
from bot.commands import CommandContext
from bot.outbox import CLAIMED, SENT
from digests.models import Digest, Story

from .delivery_helpers import T0, Clock, delivery_process, make_context, queue_digest, write_article

GENERAL = ChannelRef("console", "local", "general")
SLOT = T0 + timedelta(hours=3)
LEASE = timedelta(minutes=5)


@dataclass
class PacedAdapter:
    """Posts one part at a time, awaiting ``between(part)`` after each part is recorded —
    where a test moves the clock (pacing, a long 429) and lets another worker act."""

    messages: list[tuple[str, int]]  # (delivery key, part): what the channel shows
    between: Callable[[int], Awaitable[None]] | None = None
    name: str = "console"
    calls: list[frozenset[int]] = field(default_factory=list)

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
        self.calls.append(skip_parts)
        stories = (
            [None, *(s.id for s in content.stories)]
            if isinstance(content, Digest)
            else [content.id]
        )
        posted = []
        for part, story_id in enumerate(stories):
            if part in skip_parts:
                continue
            message = PostedMessage(channel, f"m{len(self.messages)}", story_id, part)
            self.messages.append((idempotency_key, part))
            if on_posted is not None:
                await on_posted(message)
            posted.append(message)
            if self.between is not None:
                await self.between(part)
        return posted


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for i, title in enumerate(
        [
            "Robot arms learn to fold laundry",
            "Chip maker doubles accelerator output",
            "Open weights model tops translation benchmark",
        ]
    ):
        write_article(folder, f"story-{i}", title, published=T0 - timedelta(hours=3 - i))
    return folder


@pytest.fixture
async def ctx(tmp_path: Path, clock: Clock) -> AsyncIterator[CommandContext]:
    context = await make_context(tmp_path / "bot.db", clock)
    yield context
    await context.storage.aclose()


def parts(messages: list[tuple[str, int]], key: str) -> list[int]:
    return [p for k, p in messages if k == key]


async def test_a_send_longer_than_the_lease_keeps_its_claim_while_parts_arrive(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    messages: list[tuple[str, int]] = []
    rival = delivery_process(ctx, PacedAdapter(messages), news, clock, "rival", lease=LEASE)
    rival_claims: list[int] = []

    async def slow_part(part: int) -> None:
        clock.now += timedelta(minutes=2)  # a part every 2 min: 8 min in all, past the 5-min lease
        rival_claims.append(len(await rival.outbox.claim()))

    first = delivery_process(
        ctx, PacedAdapter(messages, between=slow_part), news, clock, "first", lease=LEASE
    )
    key = await queue_digest(first, clock, GENERAL, SLOT)
    report = await first.drain()

    assert clock.now - SLOT == timedelta(minutes=8)
    assert report.sent == [key] and report.lost == []
    assert rival_claims == [0, 0, 0, 0]  # the rival never got the row
    assert parts(messages, key) == [0, 1, 2, 3]
    [d] = await first.outbox.list()
    assert d.status == SENT and d.attempts == 1


async def test_a_stalled_worker_is_taken_over_and_stops_at_its_next_part(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    messages: list[tuple[str, int]] = []
    second_adapter = PacedAdapter(messages)
    second = delivery_process(ctx, second_adapter, news, clock, "second", lease=LEASE)
    taken: list[list[str]] = []

    async def stall(part: int) -> None:
        if part == 1:  # no progress for longer than the lease (a 429 of 6 minutes, a hung socket)
            clock.now += LEASE + timedelta(minutes=1)
            taken.append((await second.drain()).sent)

    first = delivery_process(
        ctx, PacedAdapter(messages, between=stall), news, clock, "first", lease=LEASE
    )
    key = await queue_digest(first, clock, GENERAL, SLOT)
    report = await first.drain()

    assert taken == [[key]]  # the second worker took it over and finished it
    assert second_adapter.calls == [frozenset({0, 1})]  # only what the first had not posted
    assert report.lost == [key] and report.sent == []
    # the first stopped at the part it had in flight when it woke: part 3 was never posted twice
    assert parts(messages, key) == [0, 1, 2, 3, 2]
    [d] = await first.outbox.list()
    assert d.status == SENT and d.attempts == 2  # settled by the second worker, not undone


async def test_a_worker_that_only_ran_past_its_lease_keeps_going_when_nobody_took_over(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    messages: list[tuple[str, int]] = []

    async def late(part: int) -> None:
        if part == 0:
            clock.now += LEASE + timedelta(minutes=1)

    first = delivery_process(
        ctx, PacedAdapter(messages, between=late), news, clock, "first", lease=LEASE
    )
    key = await queue_digest(first, clock, GENERAL, SLOT)
    report = await first.drain()
    assert report.sent == [key]
    assert parts(messages, key) == [0, 1, 2, 3]


async def test_a_rival_cannot_claim_while_the_renewed_lease_runs(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    messages: list[tuple[str, int]] = []
    first = delivery_process(ctx, PacedAdapter(messages), news, clock, "first", lease=LEASE)
    await queue_digest(first, clock, GENERAL, SLOT)
    [d] = await first.outbox.claim()
    clock.now += timedelta(minutes=4)
    assert await first.outbox.renew(d)
    clock.now += timedelta(minutes=4)  # 8 min after the claim, 4 after the renewal
    assert (
        await delivery_process(
            ctx, PacedAdapter(messages), news, clock, "rival", lease=LEASE
        ).outbox.claim()
        == []
    )
    clock.now += timedelta(minutes=2)  # now the renewed lease has run out too
    [taken] = await delivery_process(
        ctx, PacedAdapter(messages), news, clock, "rival", lease=LEASE
    ).outbox.claim()
    assert taken.status == CLAIMED and taken.attempts == 2
    assert not await first.outbox.renew(d)
