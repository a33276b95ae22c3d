"""Prompt crash recovery: a claim carries its owner's instance id and a short lease that a
heartbeat renews while the owner sends. A live owner keeps its claim however long the send
takes; a dead owner's claim is taken over one lease after its last heartbeat; a process
never takes over its own claims. Real time here (a 1 s lease): the heartbeat is a timer."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from adapters.base import PostedMessage
from bot.outbox import Delivery, Outbox
from bot.storage import Storage

from .helpers import GENERAL

LEASE = timedelta(seconds=1)


def real_now() -> datetime:
    return datetime.now(UTC)


async def test_a_live_owner_keeps_its_claim_and_a_dead_ones_is_taken_over_within_a_lease(
    any_storage: Storage,
) -> None:
    owner = Outbox(any_storage, clock=real_now, worker_id="host:1:aaaaaa", lease=LEASE)
    rival = Outbox(any_storage, clock=real_now, worker_id="host:2:bbbbbb", lease=LEASE)
    await owner.add_alert(await any_storage.channel_id(GENERAL), "story-1")
    sending = asyncio.Event()

    async def stuck(d: Delivery) -> list[PostedMessage]:  # a send that takes very long
        sending.set()
        await asyncio.Event().wait()
        return []

    run = asyncio.create_task(owner.run(stuck))
    await sending.wait()
    await asyncio.sleep(2.5 * LEASE.total_seconds())  # the lease alone would have run out twice
    assert await rival.claim() == [], "the owner is alive: its heartbeat keeps the claim"
    assert await rival.next_due() is not None

    run.cancel()  # the owner dies: no more heartbeats
    died = time.monotonic()
    taken: list[Delivery] = []
    while not taken and time.monotonic() - died < 5:
        taken = await rival.claim()
        await asyncio.sleep(0.05)
    waited = time.monotonic() - died
    assert [d.story_id for d in taken] == ["story-1"]
    assert waited <= LEASE.total_seconds() + 0.6, f"took {waited:.2f} s to take over"
    assert not taken[0].first_attempt  # the new owner knows it may have been posted before


async def test_a_process_never_takes_over_its_own_claims(any_storage: Storage) -> None:
    now = [datetime(2026, 12, 1, 9, tzinfo=UTC)]
    me = Outbox(any_storage, clock=lambda: now[0], worker_id="host:1:cccccc", lease=LEASE)
    other = Outbox(any_storage, clock=lambda: now[0], worker_id="host:9:dddddd", lease=LEASE)
    await me.add_alert(await any_storage.channel_id(GENERAL), "story-2")
    [mine] = await me.claim()
    now[0] += timedelta(seconds=5)  # our renewal ran late (a stalled event loop)
    assert await me.claim() == []  # still being sent by us: not a second copy
    assert await me.next_due() is None
    assert await other.next_due() == now[0] - timedelta(seconds=4)
    [taken] = await other.claim()  # another process may take it: its owner looks dead
    assert taken.id == mine.id and taken.attempts == 2


async def test_claims_are_taken_a_few_at_a_time(any_storage: Storage) -> None:
    box = Outbox(any_storage, clock=real_now, worker_id="host:1:eeeeee", lease=LEASE)
    cid = await any_storage.channel_id(GENERAL)
    for i in range(10):
        await box.add_alert(cid, f"story-{i}")
    first = await box.claim()
    assert len(first) == box.batch < 10
    assert await box.heartbeat() == len(first)
