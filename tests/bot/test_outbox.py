"""The outbox on SQLite: unique keys, claims and leases, retries, permanent failures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.base import ChannelRef, DeliveryError, PostedMessage
from bot.outbox import CLAIMED, FAILED, PENDING, SENT, Delivery, Outbox
from bot.storage import Storage

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
GENERAL = ChannelRef("console", "local", "general")
NEWS = ChannelRef("slack", "T1", "C-news")


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    s = Storage(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await s.upgrade()
    yield s
    await s.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def outbox(storage: Storage, clock: Clock, name: str, **kw: object) -> Outbox:
    return Outbox(storage, clock=clock, worker_id=name, lease=timedelta(minutes=5), **kw)  # type: ignore[arg-type]


class Recorder:
    """A send function: posts a header + one message per story, or fails as told."""

    def __init__(self, failures: list[DeliveryError | None] | None = None) -> None:
        self.sent: list[str] = []
        self.failures = failures or []

    async def __call__(self, d: Delivery) -> list[PostedMessage]:
        if self.failures:
            failure = self.failures.pop(0)
            if failure is not None:
                raise failure
        self.sent.append(d.key)
        n = len(self.sent)
        return [PostedMessage(d.channel, f"m{n}-h")] + [
            PostedMessage(d.channel, f"m{n}-{i}", story_id=s) for i, s in enumerate(d.story_ids)
        ]


async def test_a_slot_is_queued_once_and_its_stories_remembered(
    storage: Storage, clock: Clock
) -> None:
    box = outbox(storage, clock, "a")
    cid = await storage.channel_id(GENERAL)
    assert await box.add_digest(cid, T0, ["s1", "s2"], title="Morning")
    assert not await box.add_digest(cid, T0, ["s3"], title="Morning again")
    assert await box.add_alert(cid, "s9", title="Breaking")
    assert not await box.add_alert(cid, "s9")
    assert await box.delivered_story_ids(cid) == {"s1", "s2", "s9"}
    [alert, digest] = await box.list(channel_id=cid)
    assert (digest.key, digest.story_ids) == (f"digest:{cid}:2026-03-02T09:00:00Z", ("s1", "s2"))
    assert (alert.kind, alert.story_id, alert.status) == ("alert", "s9", PENDING)


async def test_sent_delivery_records_message_ids_for_reactions(
    storage: Storage, clock: Clock
) -> None:
    box = outbox(storage, clock, "a")
    cid = await storage.channel_id(GENERAL)
    await box.add_digest(cid, T0, ["s1", "s2"], title="Morning")
    send = Recorder()
    report = await box.run(send)
    assert report.sent == [f"digest:{cid}:2026-03-02T09:00:00Z"]
    [d] = await box.list()
    assert d.status == SENT and d.message_ids == ("m1-h", "m1-0", "m1-1") and d.sent_at == T0
    assert await storage.story_for_message(GENERAL, "m1-1") == "s2"
    assert (await box.run(send)).claimed == 0  # nothing sent twice
    assert send.sent == [d.key]


async def test_a_claim_excludes_others_until_its_lease_runs_out(
    storage: Storage, clock: Clock
) -> None:
    a, b = outbox(storage, clock, "a"), outbox(storage, clock, "b")
    cid = await storage.channel_id(GENERAL)
    await a.add_digest(cid, T0, ["s1"], title="x")
    [mine] = await a.claim()
    assert mine.status == CLAIMED and mine.attempts == 1
    assert await b.claim() == []
    clock.now += timedelta(minutes=4, seconds=59)
    assert await b.claim() == []
    clock.now += timedelta(seconds=2)  # a died: its lease ran out
    [taken] = await b.claim()
    assert taken.id == mine.id and taken.attempts == 2
    assert not await a.mark_sent(mine, [])  # a woke up late: it may not settle b's claim
    assert await b.mark_sent(taken, [PostedMessage(GENERAL, "m1")])
    assert [d.status for d in await a.list()] == [SENT]


async def test_transient_errors_back_off_then_give_up_with_the_reason(
    storage: Storage, clock: Clock
) -> None:
    box = outbox(storage, clock, "a", max_attempts=3)
    cid = await storage.channel_id(GENERAL)
    await box.add_digest(cid, T0, ["s1"], title="x")
    send = Recorder([DeliveryError("HTTP 502", permanent=False)] * 3)

    assert (await box.run(send)).retrying
    [d] = await box.list()
    assert (d.status, d.error, d.next_attempt_at) == (
        PENDING,
        "HTTP 502",
        T0 + timedelta(seconds=30),
    )
    assert (await box.run(send)).claimed == 0  # backing off
    clock.now = d.next_attempt_at
    assert (await box.run(send)).retrying
    [d] = await box.list()
    assert d.next_attempt_at == clock.now + timedelta(seconds=60)
    clock.now = d.next_attempt_at
    assert (await box.run(send)).failed
    [d] = await box.list()
    assert (d.status, d.error) == (FAILED, "gave up after 3 attempts: HTTP 502")
    assert send.sent == []


async def test_retry_after_from_the_platform_is_honoured(storage: Storage, clock: Clock) -> None:
    box = outbox(storage, clock, "a")
    cid = await storage.channel_id(GENERAL)
    await box.add_alert(cid, "s1")
    await box.run(Recorder([DeliveryError("rate limited", permanent=False, retry_after=90)]))
    [d] = await box.list()
    assert d.next_attempt_at == T0 + timedelta(seconds=90)


async def test_permanent_error_is_recorded_and_not_retried(storage: Storage, clock: Clock) -> None:
    box = outbox(storage, clock, "a")
    cid = await storage.channel_id(GENERAL)
    await box.add_alert(cid, "s1")
    send = Recorder([DeliveryError("channel_not_found", permanent=True)])
    assert (await box.run(send)).failed
    clock.now += timedelta(days=1)
    assert (await box.run(send)).claimed == 0
    [d] = await box.list(status=FAILED)
    assert d.error == "channel_not_found"


async def test_unexpected_exception_is_retried_not_lost(storage: Storage, clock: Clock) -> None:
    box = outbox(storage, clock, "a")
    cid = await storage.channel_id(GENERAL)
    await box.add_alert(cid, "s1")

    async def boom(d: Delivery) -> list[PostedMessage]:
        raise KeyError("story vanished")

    assert (await box.run(boom)).retrying
    [d] = await box.list()
    assert d.status == PENDING and "KeyError" in (d.error or "")


async def test_a_worker_only_claims_channels_on_its_platforms(
    storage: Storage, clock: Clock
) -> None:
    box = outbox(storage, clock, "a")
    await box.add_alert(await storage.channel_id(GENERAL), "s1")
    await box.add_alert(await storage.channel_id(NEWS), "s1")
    [d] = await box.claim(platforms=["slack"])
    assert d.channel == NEWS


async def test_a_delivery_whose_sender_keeps_dying_is_given_up(
    storage: Storage, clock: Clock
) -> None:
    box = outbox(storage, clock, "a", max_attempts=2)
    await box.add_alert(await storage.channel_id(GENERAL), "s1")
    for life in range(2):  # each restart is a new instance id (a process never takes its own)
        assert await outbox(storage, clock, f"a{life}", max_attempts=2).claim()
        clock.now += timedelta(minutes=6)  # the process died mid-send; lease expires
    assert await box.claim() == []
    [d] = await box.list()
    assert d.status == FAILED and "kept dying" in (d.error or "")


async def test_a_story_already_claimed_by_an_alert_is_dropped_from_a_digest_queued_after_it(
    any_storage: Storage, clock: Clock
) -> None:
    storage = any_storage
    box = outbox(storage, clock, "w1")
    cid = await storage.channel_id(GENERAL)
    # another process queued alerts for s1 and s2 while this one was ranking its digest
    assert await box.add_alert(cid, "s1") and await box.add_alert(cid, "s2")
    assert await box.add_digest(cid, T0, ["s3", "s1", "s4"], title="News digest")
    [digest] = await box.list(kind="digest")
    assert digest.story_ids == ("s3", "s4")  # nothing the channel gets twice
    # a digest made only of stories the channel already has is not queued at all
    assert not await box.add_digest(cid, T0 + timedelta(days=1), ["s1", "s2"], title="News digest")
    assert len(await box.list(kind="digest")) == 1
    # and an alert for a story a digest already carries is not queued either
    assert not await box.add_alert(cid, "s3")
    assert await box.delivered_story_ids(cid) == {"s1", "s2", "s3", "s4"}
