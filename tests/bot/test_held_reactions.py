"""Early reactions: held in the database until their message is recorded, then applied
exactly once — whoever records the message, however often it is applied, on SQLite and
PostgreSQL; bounded in number and in time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.base import PostedMessage, ReactionEvent
from bot.feedback import apply_reaction
from bot.publish import AdapterPublisher
from bot.storage import Storage
from bot.storage.delivery_reactions import HeldReactions
from digests.models import Article, Story

from .helpers import GENERAL


def added(
    message: str, user: str = "ann", *, eid: str | None = None, on: bool = True
) -> ReactionEvent:
    return ReactionEvent(GENERAL, message, user, "👍", on, event_id=eid)


async def test_a_reaction_before_its_message_is_recorded_counts_once_it_is(
    any_storage: Storage,
) -> None:
    assert await apply_reaction(any_storage, added("m1", eid="e1"))
    assert not await apply_reaction(any_storage, added("m1", eid="e1"))  # the platform's retry
    assert await apply_reaction(any_storage, added("m1", "bob"))  # no event id (Discord)
    assert await any_storage.reactions(GENERAL) == []
    held = HeldReactions(any_storage)
    assert await held.count() == 2

    await any_storage.record_posted([PostedMessage(GENERAL, "m1", "story-1")], delivery_key="k")
    assert await held.release() == 2
    assert await held.release() == 0  # a second apply finds nothing
    assert sorted(r.user_id for r in await any_storage.reactions(GENERAL)) == ["ann", "bob"]
    assert await held.count() == 0
    # the retried event arriving after the apply changes nothing either
    assert not await apply_reaction(any_storage, added("m1", eid="e1", on=False))
    assert len(await any_storage.reactions(GENERAL)) == 2


async def test_the_latest_state_wins_and_headers_are_not_feedback(any_storage: Storage) -> None:
    await apply_reaction(any_storage, added("m2", eid="a"))
    await apply_reaction(any_storage, added("m2", eid="b", on=False))  # removed before recorded
    await apply_reaction(any_storage, added("hdr", eid="c"))
    await any_storage.record_posted(
        [PostedMessage(GENERAL, "hdr"), PostedMessage(GENERAL, "m2", "story-2", part=1)],
        delivery_key="k2",
    )
    held = HeldReactions(any_storage)
    await held.release()
    assert await any_storage.reactions(GENERAL) == []
    assert await held.count() == 0


async def test_concurrent_releases_apply_each_reaction_once(any_storage: Storage) -> None:
    for i in range(20):
        await apply_reaction(any_storage, added("m3", f"user{i}"))
    await any_storage.record_posted([PostedMessage(GENERAL, "m3", "story-3")], delivery_key="k3")
    results = await asyncio.gather(*(HeldReactions(any_storage).release() for _ in range(4)))
    assert sum(results) == 20
    assert len(await any_storage.reactions(GENERAL)) == 20


async def test_held_reactions_expire_and_are_bounded(any_storage: Storage) -> None:
    now = [datetime(2026, 12, 1, 9, tzinfo=UTC)]
    held = HeldReactions(any_storage, hold_for=timedelta(minutes=10), limit=3, clock=lambda: now[0])
    for i in range(5):
        await held.hold(added("foreign", f"u{i}"), "👍")
    assert await held.count() == 3  # the rest were dropped (and logged)
    now[0] += timedelta(minutes=11)
    assert await held.expire() == 3
    await any_storage.record_posted([PostedMessage(GENERAL, "foreign", "s")], delivery_key="k4")
    assert await held.release() == 0
    assert await any_storage.reactions(GENERAL) == []


class _SlowAdapter:
    """Posts, then takes a while to return the ids (like discord.py's bucket wait)."""

    name = "console"

    def __init__(self) -> None:
        self.visible = asyncio.Event()

    async def send(  # type: ignore[no-untyped-def]
        self, channel, content, *, idempotency_key, first_attempt, skip_parts, on_posted
    ):
        message = PostedMessage(channel, "slow-1", content.id, part=0)
        self.visible.set()
        await asyncio.sleep(0.2)
        await on_posted(message)
        return [message]


async def test_a_shared_story_applies_reactions_that_beat_its_id(sqlite_storage: Storage) -> None:
    adapter = _SlowAdapter()
    publisher = AdapterPublisher(sqlite_storage, [adapter])  # type: ignore[list-item]
    article = Article(id="story-slow", title="Slow story", text="Body.")
    story = Story(id="story-slow", primary=article, summary="s")
    posting = asyncio.create_task(publisher.publish(GENERAL, story, key="share:1"))
    await adapter.visible.wait()
    assert await apply_reaction(sqlite_storage, added("slow-1", eid="early"))
    await posting
    assert [r.story_id for r in await sqlite_storage.reactions(GENERAL)] == ["story-slow"]
