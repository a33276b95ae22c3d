"""The story catalog: rebuilt from stored articles only when they changed, searchable by
topic, words and ref, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

import digests.engine
from bot.catalog import Catalog
from bot.storage import Storage

from .helpers import ARTICLES, GENERAL


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the stories the engine summarised (the expensive per-story work)."""
    calls: list[str] = []
    real = digests.engine.story_for

    def counting(members, **kw):  # type: ignore[no-untyped-def]
        story = real(members, **kw)
        calls.append(story.title)
        return story

    monkeypatch.setattr(digests.engine, "story_for", counting)
    return calls


async def test_refresh_rebuilds_only_after_articles_change(
    any_storage: Storage, builds: list[str]
) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    assert len(await catalog.refresh()) == 5
    await catalog.refresh()
    assert len(builds) == 5  # nothing changed: no rebuild

    # one article changes: only its story is summarised again, the rest are reused
    await any_storage.upsert_articles(
        [dataclasses.replace(ARTICLES[4], title="Rovers lift the county cup")]
    )
    await catalog.refresh()
    assert builds[5:] == ["Rovers lift the county cup"]
    fresh = digests.engine.build_stories(await any_storage.load_articles())
    assert sorted(catalog.stories, key=lambda s: s.id) == sorted(fresh, key=lambda s: s.id)

    await any_storage.delete_articles([ARTICLES[4].id])
    await catalog.refresh()
    assert len(catalog) == 4 and all(s.primary.id != ARTICLES[4].id for s in catalog.stories)

    # a second process sharing the database sees the same change and rebuilds too
    other = Catalog(Storage(any_storage.url, schema=any_storage.schema))
    try:
        assert {s.id for s in await other.refresh()} == {s.id for s in catalog.stories}
    finally:
        await other.storage.aclose()


async def test_a_new_rewrite_rebuilds_the_story_it_joins_and_keeps_its_id(
    any_storage: Storage, builds: list[str]
) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    await catalog.refresh()
    (before,) = [s for s in catalog.stories if s.primary.id == ARTICLES[2].id]
    rewrite = dataclasses.replace(
        ARTICLES[2],
        id="c9rewrite000099",
        url="https://other.example.com/sea-wall",
        source="other.example.com",
    )
    await any_storage.upsert_articles([rewrite])
    await catalog.refresh()
    (after,) = [s for s in catalog.stories if rewrite.id in {a.id for a in s.articles}]
    assert after.id == before.id and len(after.articles) == 2
    assert len(builds) == 6  # five at first, then only the story the rewrite joined


async def test_a_story_keeps_its_id_when_an_earlier_dated_rewrite_arrives_later(
    any_storage: Storage,
) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    await catalog.refresh()
    (before,) = [s for s in catalog.stories if s.primary.id == ARTICLES[2].id]
    # a slower feed delivers a copy published an hour before the one we already have
    early = dataclasses.replace(
        ARTICLES[2],
        id="c0slowfeed00001",
        url="https://slow.example.com/sea-wall",
        source="slow.example.com",
        published=ARTICLES[2].published - timedelta(hours=1),
    )
    assert early.id < before.id  # the engine alone would now name the story after it
    await any_storage.upsert_articles([early])
    await catalog.refresh()
    (after,) = [s for s in catalog.stories if early.id in {a.id for a in s.articles}]
    assert after.id == before.id and len(after.articles) == 2
    assert len({s.id for s in catalog.stories}) == len(catalog)
    # another process (or a restart) reads the same ids from the database
    other = Catalog(Storage(any_storage.url, schema=any_storage.schema))
    try:
        assert {s.id for s in await other.refresh()} == {s.id for s in catalog.stories}
    finally:
        await other.storage.aclose()


async def test_lookup_by_topic_words_and_ref(any_storage: Storage) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles(ARTICLES)
    await catalog.refresh()
    assert {s.primary.id for s in await catalog.search("Climate")} == {
        ARTICLES[2].id,
        ARTICLES[3].id,
    }
    assert [s.primary.id for s in await catalog.search("forklifts")] == [ARTICLES[0].id]
    story = catalog.stories[0]
    assert catalog.by_ref(story.ref.upper()) == [story]
    assert catalog.by_ref("") == []
    # stories are recorded with their topics, so feedback can be explained without rebuilding
    await any_storage.set_reaction(GENERAL, story.id, "u1", "fire", added=True)
    (stored,) = await any_storage.reactions(GENERAL)
    assert stored.topics == story.topics and stored.title == story.title
