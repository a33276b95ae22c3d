"""Exactly once for a digest that was only partly posted: each part is recorded the moment
the platform took it, so a takeover by another process (long after any platform-side
idempotency window) posts only the missing parts, and a permanent error mid-digest keeps
the parts that did land — reactions on them still rate their stories."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.base import ChannelRef, DeliveryError, PostedHandler, PostedMessage, ReactionEvent
from bot.commands import CommandContext
from bot.feedback import apply_reaction
from bot.outbox import FAILED, SENT
from bot.publish import AdapterPublisher
from bot.storage import Storage
from digests.models import Article, Digest, Story
from tests import factories

from .delivery_helpers import T0, Clock, delivery_process, make_context, queue_digest, write_article

GENERAL = ChannelRef("console", "local", "general")
SLOT = T0 + timedelta(hours=3)  # 09:00 UTC, the channel's digest time


class Died(BaseException):
    """The process died right here (nothing after this line of it ever ran)."""


@dataclass
class Platform:
    """What the channel really shows: every message any process posted, in order."""

    messages: list[tuple[str, str, int, str | None]] = field(
        default_factory=list
    )  # (id, key, part, story)

    def parts(self, key: str) -> list[int]:
        return [part for _mid, k, part, _sid in self.messages if k == key]


@dataclass
class StatelessAdapter:
    """A platform with no idempotency of its own (no nonce, no history), one instance per
    process: it honours ``skip_parts`` and reports each part through ``on_posted``.
    ``die_after``/``refuse_part`` make it die, or hit a permanent error, mid-digest."""

    platform: Platform
    name: str = "console"
    die_after: int | None = None
    refuse_part: int | None = None
    calls: list[tuple[bool, frozenset[int]]] = field(
        default_factory=list
    )  # (first_attempt, skip_parts)

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
        self.calls.append((first_attempt, skip_parts))
        stories = (
            [None, *(s.id for s in content.stories)]
            if isinstance(content, Digest)
            else [content.id]
        )
        posted = []
        for part, story_id in enumerate(stories):
            if part in skip_parts:
                continue
            if part == self.refuse_part:
                raise DeliveryError("channel archived", permanent=True)
            message = PostedMessage(channel, f"m{len(self.platform.messages)}", story_id, part)
            self.platform.messages.append((message.message_id, idempotency_key, part, story_id))
            if on_posted is not None:
                await on_posted(message)
            posted.append(message)
            if self.die_after is not None and len(posted) == self.die_after:
                raise Died
        return posted


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write_article(
        folder,
        "alpha-robots",
        "Robot arms learn to fold laundry",
        published=T0 - timedelta(hours=3),
    )
    write_article(
        folder,
        "beta-chips",
        "Chip maker doubles accelerator output",
        published=T0 - timedelta(hours=2),
    )
    write_article(
        folder,
        "gamma-model",
        "Open weights model tops translation benchmark",
        published=T0 - timedelta(hours=1),
    )
    return folder


@pytest.fixture
async def ctx(tmp_path: Path, clock: Clock) -> AsyncIterator[CommandContext]:
    context = await make_context(tmp_path / "bot.db", clock)
    yield context
    await context.storage.aclose()


async def test_takeover_after_a_crash_at_part_2_posts_only_parts_2_and_3(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    platform = Platform()
    first = delivery_process(ctx, StatelessAdapter(platform, die_after=2), news, clock, "first")
    key = await queue_digest(first, clock, GENERAL, SLOT)
    with pytest.raises(Died):
        await first.drain()
    assert platform.parts(key) == [0, 1]

    clock.now = SLOT + timedelta(minutes=30)  # lease gone, and any nonce window with it
    adapter = StatelessAdapter(platform)
    report = await delivery_process(ctx, adapter, news, clock, "second").drain()

    assert report.sent == [key]
    assert platform.parts(key) == [0, 1, 2, 3]  # nothing shown twice
    assert adapter.calls == [(False, frozenset({0, 1}))]
    recorded = await ctx.storage.posted_parts(key)
    assert [m.part for m in recorded] == [0, 1, 2, 3]
    assert [m.message_id for m in recorded] == [mid for mid, *_ in platform.messages]
    [d] = await first.outbox.list()
    assert d.status == SENT and d.message_ids == tuple(mid for mid, *_ in platform.messages)


async def test_a_crash_after_the_last_part_is_settled_without_posting_anything(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    platform = Platform()
    first = delivery_process(ctx, StatelessAdapter(platform, die_after=4), news, clock, "first")
    key = await queue_digest(first, clock, GENERAL, SLOT)
    with pytest.raises(Died):
        await first.drain()

    clock.now = SLOT + timedelta(minutes=30)
    adapter = StatelessAdapter(platform)
    report = await delivery_process(ctx, adapter, news, clock, "second").drain()
    assert report.sent == [key] and adapter.calls == []
    assert platform.parts(key) == [0, 1, 2, 3]


async def test_a_permanent_error_at_part_3_keeps_parts_0_to_2_and_their_reactions(
    ctx: CommandContext, news: Path, clock: Clock
) -> None:
    platform = Platform()
    loop = delivery_process(ctx, StatelessAdapter(platform, refuse_part=3), news, clock, "only")
    key = await queue_digest(loop, clock, GENERAL, SLOT)
    report = await loop.drain()
    assert report.failed == [key]

    [d] = await loop.outbox.list()
    assert d.status == FAILED and d.error == "channel archived"
    recorded = await ctx.storage.posted_parts(key)
    assert [m.part for m in recorded] == [0, 1, 2]
    assert [m.story_id for m in recorded] == [None, *d.story_ids[:2]]

    # someone reacts on the first story's message: it rates that story
    event = ReactionEvent(
        GENERAL, recorded[1].message_id, "ann", "thumbsup", added=True, event_id="e1"
    )
    assert await apply_reaction(ctx.storage, event)
    assert [r.story_id for r in await ctx.storage.reactions(GENERAL)] == [d.story_ids[0]]

    # the stories that were shown stay delivered; only the one never posted goes back
    cid = await ctx.storage.channel_id(GENERAL)
    assert await loop.outbox.delivered_story_ids(cid) == set(d.story_ids[:2])


async def test_a_manual_digest_keeps_the_parts_posted_before_a_permanent_error(
    tmp_path: Path,
) -> None:
    storage = Storage(f"sqlite+aiosqlite:///{tmp_path / 'pub.db'}")
    await storage.upgrade()
    try:
        platform = Platform()
        stories = tuple(Story(id=f"story{i}", primary=_article(i), summary="s") for i in range(3))
        publisher = AdapterPublisher(storage, [StatelessAdapter(platform, refuse_part=2)])
        with pytest.raises(DeliveryError):
            await publisher.publish(
                GENERAL, Digest("Now", stories), key="manual-1", first_attempt=True
            )
        assert [(m.part, m.story_id) for m in await storage.posted_parts("manual-1")] == [
            (0, None),
            (1, "story0"),
        ]
        assert await storage.story_for_message(GENERAL, "m1") == "story0"

        retry = StatelessAdapter(platform)
        publisher.add(retry)
        await publisher.publish(GENERAL, Digest("Now", stories), key="manual-1")
        assert retry.calls == [(False, frozenset({0, 1}))]
        assert platform.parts("manual-1") == [0, 1, 2, 3]
    finally:
        await storage.aclose()


def _article(i: int) -> Article:
    return factories.article(f"story{i}", source="x.example", published=T0)


async def test_record_posted_keeps_one_row_per_delivery_part(any_storage: Storage) -> None:
    storage = any_storage
    await storage.record_posted([PostedMessage(GENERAL, "a", "s1", 1)], delivery_key="k")
    # the same part reported again (under a new id, as a blind re-post would): first one wins
    await storage.record_posted(
        [PostedMessage(GENERAL, "a", "s1", 1), PostedMessage(GENERAL, "b", "s1", 1)],
        delivery_key="k",
    )
    assert [(m.message_id, m.part) for m in await storage.posted_parts("k")] == [("a", 1)]
    # an adapter that numbers nothing: its messages are numbered by position
    await storage.record_posted(
        [PostedMessage(GENERAL, "h"), PostedMessage(GENERAL, "x", "s9")], delivery_key="old"
    )
    assert [(m.message_id, m.part) for m in await storage.posted_parts("old")] == [
        ("h", 0),
        ("x", 1),
    ]
    # without a delivery key, parts do not collide
    await storage.record_posted([PostedMessage(GENERAL, "p1", "s1")])
    await storage.record_posted([PostedMessage(GENERAL, "p2", "s2")])
    assert await storage.story_for_message(GENERAL, "p2") == "s2"


async def test_migration_numbers_parts_of_messages_recorded_before_it(tmp_path: Path) -> None:
    from bot.storage import migrate

    db = tmp_path / "old.db"
    storage = Storage(f"sqlite+aiosqlite:///{db}")
    async with storage.engine.begin() as conn:
        await conn.run_sync(migrate.upgrade_sync, "0002_delivery")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO channels (id, platform, workspace, channel, created_at) "
            "VALUES (1, 'console', 'local', 'general', '2026-03-01 00:00:00')"
        )
        for n, (mid, sid, key) in enumerate(
            [
                ("h", None, "d1"),
                ("m1", "s1", "d1"),
                ("m2", "s2", "d1"),
                ("h2", None, "d2"),
                ("free", "s3", None),
            ]
        ):
            conn.execute(
                "INSERT INTO posted_messages (id, channel_id, message_id, story_id, delivery_key, posted_at) "
                "VALUES (?, 1, ?, ?, ?, '2026-03-01 00:00:00')",
                (n + 1, mid, sid, key),
            )
    try:
        await storage.upgrade()
        assert [(m.message_id, m.part) for m in await storage.posted_parts("d1")] == [
            ("h", 0),
            ("m1", 1),
            ("m2", 2),
        ]
        assert [m.part for m in await storage.posted_parts("d2")] == [0]
        assert await storage.story_for_message(GENERAL, "free") == "s3"
    finally:
        await storage.aclose()
