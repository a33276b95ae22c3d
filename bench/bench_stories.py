"""Benchmark: one new article in a running bot holding 12k / 50k / 100k stored articles.

Target (issue 10): ≤ 0.5 s CPU per new article, flat across the three sizes.

Data: distinct articles derived from the real corpus by sentence recombination
(``bench/corpus_gen.py``; two independent sets: ``--seed``). The database state is
built *directly* through the storage APIs, not by parsing files: the articles are
upserted, then the story index (units, inverted index, story rows, links) is written
from one full clustering, as the catalog's own updates would leave it. The in-memory
catalog is seeded with lightweight stories (no summaries) — what is measured is the
incremental update, which summarises only the stories a change touches.

Per size it prints: the baseline (a full re-cluster of every stored article, what the
catalog did before on every change) and the median CPU and wall time of storing one
new article and applying it (``Catalog.refresh``), over ``--rounds`` new articles;
half of them are rewrites of a stored article (they join its story), half new stories.

    .venv/bin/python bench/bench_stories.py [--sizes 12000,50000,100000] [--rounds 7] [--seed 1]
        [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/nb_stories]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_gen import derived_articles
from bot.catalog import Catalog
from bot.storage import Storage
from bot.storage.story_index import IndexWrite, StoryIndex
from digests import cluster as C
from digests.models import Article, Story

BATCH = 5000


async def build_state(storage: Storage, articles: list[Article]) -> dict[str, Story]:
    """Articles stored and indexed as the catalog leaves them; returns seeded stories."""
    for i in range(0, len(articles), BATCH):
        await storage.upsert_articles(articles[i : i + BATCH])
    members: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        members[C.unit_key(a)].append(a)
    keys = sorted(members)
    units = C._all_units([C.representative(members[k]) for k in keys], None)
    index = StoryIndex(storage)
    stories: dict[str, Story] = {}
    links: dict[str, tuple[str | None, str | None]] = {}
    for component in C.group_units(units):
        parts = [C.split_thin(units[i], members[keys[i]]) for i in component]
        groups = [[a for p in parts for a in p[0]]] + [x for p in parts for x in p[1:]]
        for g in groups:
            earliest = min(g, key=lambda a: (a.published, a.id))
            story = Story(
                id=earliest.id,
                primary=earliest,
                summary="",
                others=tuple(a for a in g if a is not earliest),
            )
            stories[story.id] = story
            for a in g:
                links[a.id] = (C.unit_key(a), story.id)
    rep_of = {k: C.representative(members[k]).id for k in keys}
    async with index.transaction() as tx:
        queued = await tx.queued(len(articles) + 10)
    for i in range(0, len(units), BATCH):
        part = units[i : i + BATCH]
        w = IndexWrite(
            put_units=[(u, rep_of[u.key]) for u in part],
            add_postings=[(f, u.key) for u in part for f in u.features],
        )
        async with index.transaction() as tx:
            await tx.write_index(w, dialect=storage.dialect)
    ids = sorted(links)
    story_list = list(stories.values())
    for i in range(0, max(len(ids), len(story_list)), BATCH):
        w = IndexWrite(
            links={a: links[a] for a in ids[i : i + BATCH]},
            put_stories=story_list[i : i + BATCH],
            done=[q for q in queued if q.article_id in set(ids[i : i + BATCH])],
        )
        async with index.transaction() as tx:
            await tx.write_stories(w, dialect=storage.dialect)
    return stories


async def one_size(url: str, n: int, rounds: int, seed: int) -> tuple[float, float, float, int]:
    storage = Storage(url)
    await storage.upgrade()
    try:
        articles = derived_articles(n, seed=seed)
        started = time.perf_counter()
        C.cluster(articles, workers=1)
        baseline = time.perf_counter() - started
        stories = await build_state(storage, articles)
        catalog = Catalog(storage)
        catalog.replace(stories.values())
        catalog._loaded = True
        catalog._version = await catalog.index.version()
        fresh = derived_articles(rounds, seed=seed + 50, start=articles[0].published)
        cpu, wall = [], []
        for r, new in enumerate(fresh):
            if r % 2:  # a rewrite of a stored article: same lead, new headline and outlet
                old = articles[(r * 7919) % n]
                new = dataclasses.replace(
                    old,
                    id=f"rw{r}",
                    title=old.title + " — update",
                    url=f"https://rw.example/{r}",
                    text=old.text + "\n\nMore details emerged later.",
                )
            else:
                new = dataclasses.replace(new, id=f"new{r}", url=f"https://new.example/{r}")
            c0, w0 = time.process_time(), time.perf_counter()
            await storage.upsert_articles([new])
            await catalog.refresh()
            cpu.append(time.process_time() - c0)
            wall.append(time.perf_counter() - w0)
            assert catalog._story_of_article.get(new.id), "the new article is in a story"
        return baseline, statistics.median(cpu), statistics.median(wall), len(stories)
    finally:
        await storage.aclose()


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="12000,50000,100000")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL URL (an empty database); default SQLite in a temp dir",
    )
    args = p.parse_args()
    print(f"one new article in a running bot (seed {args.seed}, {args.rounds} rounds, median)")
    print(
        f"{'articles':>9} {'stories':>8} {'full re-cluster s':>18} {'new article CPU s':>18} {'wall s':>7}"
    )
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="newsbot-stories-") as tmp:
            url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
            if args.database_url:
                await _reset(url)
            baseline, cpu, wall, count = await one_size(url, n, args.rounds, args.seed)
        print(f"{n:>9} {count:>8} {baseline:>18.2f} {cpu:>18.3f} {wall:>7.3f}", flush=True)


async def _reset(url: str) -> None:
    """Empty the benchmark's own PostgreSQL database (drops its schema objects)."""
    from sqlalchemy import text

    s = Storage(url)
    async with s.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await s.aclose()


if __name__ == "__main__":
    asyncio.run(main())
