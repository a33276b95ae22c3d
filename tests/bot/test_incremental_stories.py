"""Incremental stories: after any sequence of new, changed and deleted articles the catalog
holds exactly the stories a full re-cluster of the stored articles gives, rebuilt only
where a change touched them, with unchanged rows never rewritten."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.catalog import Catalog
from bot.storage import Storage
from digests.cluster import cluster
from digests.ingest import load_paths
from digests.models import Article
from tests.digests.test_cluster import OTHER_AI_1, REWRITE, WIRE

from .helpers import ARTICLES


def _partition(groups: list[list[Article]]) -> set[frozenset[str]]:
    return {frozenset(a.id for a in g) for g in groups}


def _catalog_partition(catalog: Catalog) -> set[frozenset[str]]:
    return {frozenset(a.id for a in s.articles) for s in catalog.stories}


@pytest.fixture(scope="module")
def corpus_articles(corpus_dir: Path) -> list[Article]:
    """Real articles with several multi-outlet stories among them (read in place)."""
    articles = list(load_paths([str(corpus_dir / "articles")]).articles)
    groups = sorted(cluster(articles, workers=1), key=lambda g: (-len(g), g[0].id))
    chosen = [a for g in groups[:25] for a in g]  # the biggest stories, whole
    rest = [a for g in groups[25:] for a in g]
    return chosen + random.Random(4).sample(rest, 60)


async def test_random_changes_give_what_a_full_recluster_gives(
    any_storage: Storage, corpus_articles: list[Article]
) -> None:
    rng = random.Random(9)
    pool = list(corpus_articles)
    rng.shuffle(pool)
    catalog = Catalog(any_storage, batch=40)
    stored: dict[str, Article] = {}
    for step in range(6):
        adds = pool[step * 20 : step * 20 + 25]  # overlapping: some are re-reads
        if stored and step % 2:
            victim = rng.choice(sorted(stored))
            adds.append(
                dataclasses.replace(stored[victim], title=stored[victim].title + " (updated)")
            )
        await any_storage.upsert_articles(adds)
        stored.update({a.id: a for a in adds})
        if step >= 2:
            gone = rng.sample(sorted(stored), 3)
            await any_storage.delete_articles(gone)
            for aid in gone:
                del stored[aid]
        await catalog.refresh()
        expected = _partition(cluster(await any_storage.load_articles(), workers=1))
        assert _catalog_partition(catalog) == expected, f"step {step}"
    # a second process reading the same database sees the same stories, under the same ids
    other = Catalog(Storage(any_storage.url, schema=any_storage.schema))
    try:
        await other.refresh()
        assert {s.id: _ids(s) for s in other.stories} == {s.id: _ids(s) for s in catalog.stories}
    finally:
        await other.storage.aclose()


def _ids(story: object) -> frozenset[str]:
    return frozenset(a.id for a in story.articles)  # type: ignore[attr-defined]


async def test_a_new_article_rewrites_no_other_row_and_stories_keep_their_ids(
    sqlite_storage: Storage, corpus_articles: list[Article]
) -> None:
    storage = sqlite_storage
    catalog = Catalog(storage)
    await storage.upsert_articles(corpus_articles[:-1])
    await catalog.refresh()
    before = {s.id: _ids(s) for s in catalog.stories}
    async with storage.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE writes (tbl TEXT, id TEXT)"))
        for table, key in (("articles", "id"), ("stories", "id"), ("story_units", "key")):
            for op in ("UPDATE", "INSERT", "DELETE"):
                row = "OLD" if op == "DELETE" else "NEW"
                await conn.execute(
                    text(
                        f"CREATE TRIGGER log_{table}_{op.lower()} AFTER {op} ON {table} "
                        f"BEGIN INSERT INTO writes VALUES ('{table}', {row}.{key}); END"
                    )
                )
    new = corpus_articles[-1]  # a story of its own
    await storage.upsert_articles([new])
    await catalog.refresh()
    async with storage.engine.connect() as conn:
        writes = {(t, i) for t, i in await conn.execute(text("SELECT tbl, id FROM writes"))}
    assert {(t, i) for t, i in writes if t == "articles"} == {("articles", new.id)}
    assert {t for t, _ in writes} <= {"articles", "stories", "story_units"}
    assert len([1 for t, _ in writes if t == "stories"]) <= 1
    after = {s.id: _ids(s) for s in catalog.stories}
    assert {sid: m for sid, m in after.items() if new.id not in m} == before


async def test_a_story_keeps_its_id_when_its_first_article_goes_and_comes_back(
    any_storage: Storage,
) -> None:
    catalog = Catalog(any_storage)
    await any_storage.upsert_articles([*ARTICLES, WIRE, REWRITE, OTHER_AI_1])
    await catalog.refresh()
    (story,) = [s for s in catalog.stories if WIRE.id in _ids(s)]
    assert _ids(story) == {WIRE.id, REWRITE.id}
    others = {s.id: _ids(s) for s in catalog.stories if s.id != story.id}

    await any_storage.delete_articles([WIRE.id])  # the article the story was named after
    await catalog.refresh()
    assert _ids(catalog.get(story.id)) == {REWRITE.id}
    await any_storage.upsert_articles([WIRE])
    await catalog.refresh()
    assert _ids(catalog.get(story.id)) == {WIRE.id, REWRITE.id}
    assert {s.id: _ids(s) for s in catalog.stories if s.id != story.id} == others


async def test_a_restart_shows_the_stored_stories_without_summarising_again(
    any_storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    import digests.engine

    first = Catalog(any_storage)
    await any_storage.upsert_articles([*ARTICLES, WIRE, REWRITE, OTHER_AI_1])
    await first.refresh()
    built: list[str] = []
    real = digests.engine.story_for

    def counting(members, **kw):  # type: ignore[no-untyped-def]
        built.append(members[0].id)
        return real(members, **kw)

    monkeypatch.setattr(digests.engine, "story_for", counting)
    restarted = Catalog(Storage(any_storage.url, schema=any_storage.schema))
    try:
        await restarted.refresh()
        assert built == []
        key = lambda s: s.id  # noqa: E731
        assert sorted(restarted.stories, key=key) == sorted(first.stories, key=key)
        # a story whose members changed while the bot was down is built again, alone
        await any_storage.upsert_articles([dataclasses.replace(OTHER_AI_1, title="Memory for all")])
        again = Catalog(Storage(any_storage.url, schema=any_storage.schema))
        try:
            await again.refresh()
            assert built == [OTHER_AI_1.id]
        finally:
            await again.storage.aclose()
    finally:
        await restarted.storage.aclose()
