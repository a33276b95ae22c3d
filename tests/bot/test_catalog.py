"""The story catalog: rebuilt from stored articles only when they changed, searchable by
topic, words and ref, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest

import digests.engine
from bot.storage import Storage
from bot.storage.catalog import Catalog

from .helpers import ARTICLES


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = digests.engine.build_stories

    def counting(articles, **kw):  # type: ignore[no-untyped-def]
        articles = list(articles)
        calls.append(len(articles))
        return real(articles, **kw)

    monkeypatch.setattr(digests.engine, "build_stories", counting)
    return calls


async def test_refresh_rebuilds_only_after_articles_change(any_storage: Storage, builds: list[int]) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    assert len(await catalog.refresh()) == 5
    await catalog.refresh()
    assert builds == [5]  # nothing changed: no rebuild

    await any_storage.upsert_articles([dataclasses.replace(ARTICLES[4], title="Rovers lift the county cup")])
    await catalog.refresh()
    assert builds == [5, 5]
    assert any(s.title == "Rovers lift the county cup" for s in catalog.stories)

    await any_storage.delete_articles([ARTICLES[4].id])
    await catalog.refresh()
    assert builds == [5, 5, 4] and len(catalog) == 4

    # a second process sharing the database sees the same change and rebuilds too
    other = Catalog(Storage(any_storage.url, schema=any_storage.schema))
    try:
        assert {s.id for s in await other.refresh()} == {s.id for s in catalog.stories}
    finally:
        await other.storage.aclose()


async def test_lookup_by_topic_words_and_ref(any_storage: Storage) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    await catalog.refresh()
    assert {s.primary.id for s in await catalog.search("Climate")} == {ARTICLES[2].id, ARTICLES[3].id}
    assert [s.primary.id for s in await catalog.search("forklifts")] == [ARTICLES[0].id]
    story = catalog.stories[0]
    assert catalog.by_ref(story.ref.upper()) == [story]
    assert catalog.by_ref("") == []
    # stories are recorded with their topics, so feedback can be explained without rebuilding
    (stored,) = await any_storage.stories([story.id])
    assert stored.topics == story.topics and stored.title == story.title
