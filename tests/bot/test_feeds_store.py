"""The chat-feed tables on SQLite and PostgreSQL: one row per (channel, URL), the items a
feed has shown, filters, and removal taking its items and filters with it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.base import ChannelRef
from bot.feeds.store import NEW, POSTED, FeedStore
from bot.storage import Storage
from digests.filters import EXCLUDE

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)
C1 = ChannelRef("slack", "T1", "C1")
C2 = ChannelRef("slack", "T1", "C2")


async def test_feeds_items_and_filters(any_storage: Storage) -> None:
    store = FeedStore(any_storage)
    a = await store.add(
        C1, "https://a.example/rss", title="A", topics=["ai"], now=NOW, item_ids=["x", "y"]
    )
    assert a is not None and a.primed and a.topics == ("ai",) and a.channel == C1
    assert await store.add(C1, "https://a.example/rss", now=NOW) is None  # once per channel
    b = await store.add(C2, "https://a.example/rss", now=NOW)  # another channel may follow it
    g = await store.add(None, "https://g.example/rss", now=NOW)
    assert b is not None and g is not None and not b.primed and g.channel is None
    assert await store.add(None, "https://g.example/rss", now=NOW) is None
    assert await store.count_in_workspace("slack", "T1") == 2
    assert [f.url for f in await store.for_channel(C1)] == ["https://a.example/rss"]

    assert await store.known_items(a.id) == {"x", "y"}
    await store.add_items(a.id, {"z": NEW, "x": NEW}, NOW)  # x stays as it was
    assert await store.pending() == [(a.id, "z", NOW)]
    await store.set_item_state(a.id, "z", POSTED)
    assert await store.pending() == []

    await store.update(
        a.id, next_attempt=NOW + timedelta(hours=1), failures=2, last_error="HTTP 500"
    )
    await store.update(b.id, paused=True)
    due = {f.id for f in await store.due(NOW)}
    assert due == {g.id}
    assert {f.id for f in await store.due(NOW + timedelta(hours=2))} == {a.id, g.id}

    cid = await any_storage.channel_id(C1)
    await store.add_filter(C1, EXCLUDE, "sponsored post", feed_id=a.id, now=NOW)
    await store.add_filter(C1, EXCLUDE, "ads", feed_id=None, now=NOW)
    assert [f.filter.phrase for f in await store.filters(cid)] == ["sponsored post", "ads"]

    assert await store.forget_items(a.id, keep=["y"], before=NOW + timedelta(days=1)) == 2
    assert await store.known_items(a.id) == {"y"}
    assert await store.remove(a.id)
    assert await store.known_items(a.id) == set()
    assert [f.filter.phrase for f in await store.filters(cid)] == ["ads"]
    assert not await store.remove(a.id)
