"""NEWSBOT_RETENTION_DAYS: old articles are pruned in small batches (their stories go) and
are not stored again when read; 0 keeps everything."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.catalog import Catalog
from bot.services.retention import prune_once
from bot.storage import Storage
from tests.digests.test_cluster import OTHER_AI_1, REWRITE, T0, WIRE


async def test_old_articles_are_pruned_in_batches_and_their_stories_follow(
    any_storage: Storage,
) -> None:
    old = [
        dataclasses.replace(
            OTHER_AI_1, id=f"old{i}", title=f"Old story {i}", published=T0 - timedelta(days=400 + i)
        )
        for i in range(5)
    ]
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles([WIRE, REWRITE, *old])
    await catalog.refresh()
    assert {a.id for s in catalog.stories for a in s.articles} == {
        WIRE.id,
        REWRITE.id,
        *(a.id for a in old),
    }
    removed = await any_storage.prune_articles(T0 - timedelta(days=365), batch=2)
    assert removed == 5
    await catalog.refresh()
    assert {a.id for s in catalog.stories for a in s.articles} == {WIRE.id, REWRITE.id}
    assert await any_storage.count_articles() == 2


class _App:
    def __init__(self, storage: Storage, days: int) -> None:
        from types import SimpleNamespace

        self.storage = storage
        self.catalog = Catalog(storage)
        self.settings = SimpleNamespace(newsbot_retention_days=days)
        self.ctx = SimpleNamespace(clock=lambda: T0 + timedelta(days=30))


async def test_the_service_prunes_by_the_setting_and_zero_keeps_everything(
    sqlite_storage: Storage,
) -> None:
    await sqlite_storage.upsert_articles([WIRE, REWRITE])
    assert await prune_once(_App(sqlite_storage, 0)) == 0
    assert await prune_once(_App(sqlite_storage, 60)) == 0
    assert await prune_once(_App(sqlite_storage, 10)) == 2
    assert await sqlite_storage.count_articles() == 0
