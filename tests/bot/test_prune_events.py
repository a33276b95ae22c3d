"""Old platform event ids are forgotten (batched) so ``processed_events`` stops growing,
while recent ones still turn a platform's retry into a no-op."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from adapters.base import ChannelRef
from bot.scheduler import DeliveryLoop
from bot.storage import Storage
from bot.storage.schema import ProcessedEventRow

from .delivery_helpers import Clock, make_context

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


async def add_events(storage: Storage, platform: str, count: int, at: datetime) -> None:
    async with storage.session() as session, session.begin():
        await session.execute(
            insert(ProcessedEventRow),
            [
                {"platform": platform, "event_id": f"{platform}-{at:%m%d}-{i}", "processed_at": at}
                for i in range(count)
            ],
        )


async def event_count(storage: Storage) -> int:
    async with storage.session() as session:
        return int(await session.scalar(select(func.count()).select_from(ProcessedEventRow)) or 0)


async def test_prune_removes_only_events_older_than_the_cut_in_batches(
    any_storage: Storage,
) -> None:
    await add_events(any_storage, "slack", 25, NOW - timedelta(days=9))
    await add_events(any_storage, "discord", 7, NOW - timedelta(days=8))
    await add_events(any_storage, "slack", 5, NOW - timedelta(days=6))

    assert await any_storage.prune_events(NOW - timedelta(days=7), batch=10) == 32  # 4 batches
    assert await event_count(any_storage) == 5
    assert await any_storage.prune_events(NOW - timedelta(days=7), batch=10) == 0
    # a recent event still dedupes a platform retry; a forgotten one would be taken again
    assert not await any_storage.mark_event("slack", f"slack-{NOW - timedelta(days=6):%m%d}-0")
    assert await any_storage.mark_event("slack", f"slack-{NOW - timedelta(days=9):%m%d}-0")


async def test_the_delivery_loop_prunes_week_old_events_at_most_hourly(tmp_path: Path) -> None:
    clock = Clock(NOW)
    ctx = await make_context(tmp_path / "bot.db", clock)
    try:
        storage = ctx.storage
        await storage.channel_id(ChannelRef("slack", "T1", "C1"))
        await add_events(storage, "slack", 3, NOW - timedelta(days=8))
        await add_events(storage, "slack", 2, NOW - timedelta(days=1))
        loop = DeliveryLoop(ctx, {})

        assert (await loop.tick()).events_pruned == 3
        assert await event_count(storage) == 2

        clock.now = NOW + timedelta(days=6, hours=12)  # the 1-day-old ones are now 7.5 days old
        await add_events(storage, "discord", 1, NOW - timedelta(days=30))
        assert await loop.prune_events() == 3
        clock.now += timedelta(minutes=30)  # within the hour: no second pass
        await add_events(storage, "discord", 1, NOW - timedelta(days=40))
        assert await loop.prune_events() == 0
        clock.now += timedelta(minutes=31)
        assert await loop.prune_events() == 1
        assert await event_count(storage) == 0
    finally:
        await ctx.storage.aclose()
