"""The stories the bot can show right now, built by the engine from stored articles.

Articles live in the database; stories are derived (clustering, summaries, quotes),
so the catalog rebuilds them after articles change and keeps them in memory for fast
lookups by ref, topic and full-text query. A rebuild re-clusters every article but
re-summarises only the clusters whose members changed (summaries and quotes are most
of the cost: at 10k articles ~7 s of ~11 s). It runs in a worker thread so chat
events keep flowing meanwhile.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from digests.models import Article, Story

from .store import Storage

_Members = tuple[Article, ...]


def _members_key(group: Sequence[Article]) -> _Members:
    """A cluster's identity for reuse: its articles (all fields that build a story), by id."""
    return tuple(sorted(group, key=lambda a: a.id))


class Catalog:
    """In-memory index of the current stories, refreshed from :class:`Storage`."""

    def __init__(self, storage: Storage, *, summary_chars: int = 320) -> None:
        self.storage = storage
        self.summary_chars = summary_chars
        self._stories: dict[str, Story] = {}
        self._story_of_article: dict[str, str] = {}
        self._built: dict[_Members, Story] = {}  # last build, by exact member set
        self._lock = asyncio.Lock()
        self._version: tuple[int, datetime | None] | None = None

    async def refresh(self, *, force: bool = False) -> list[Story]:
        """Rebuild the stories from the stored articles and record them.

        Skipped when no process has added, changed or deleted an article since the
        last build (cheap to call after every poll).
        """
        async with self._lock:
            version = await self.storage.articles_version()
            if not force and version == self._version and self._version is not None:
                return self.stories
            articles = await self.storage.load_articles()
            previous = await self.storage.article_story_ids()
            stories = await asyncio.to_thread(self._build, articles, previous)
            await self.storage.save_stories(stories)
            self.replace(stories)
            self._version = version
            return stories

    def _build(self, articles: list[Article], previous: dict[str, str]) -> list[Story]:
        """``digests.engine.build_stories``, reusing the stories of unchanged clusters and
        keeping the ids stories were saved under (see :func:`keep_ids`)."""
        from digests import cluster, engine

        built: dict[_Members, Story] = {}
        stories = []
        for group in cluster.cluster(articles):
            key = _members_key(group)
            story = self._built.get(key)
            if story is None:
                story = engine.story_for(group, summary_chars=self.summary_chars)
            built[_members_key(story.articles)] = (
                story  # keyed by the story's own objects: no second copy
            )
            stories.append(story)
        self._built = built
        return keep_ids(stories, previous)

    def replace(self, stories: Iterable[Story]) -> None:
        """Swap in a new set of stories (also how tests seed the catalog)."""
        stories = list(stories)
        self._version = None  # seeded by hand: the next refresh rebuilds
        self._stories = {s.id: s for s in stories}
        self._story_of_article = {a.id: s.id for s in stories for a in s.articles}

    @property
    def stories(self) -> list[Story]:
        return list(self._stories.values())

    def __len__(self) -> int:
        return len(self._stories)

    def get(self, story_id: str) -> Story | None:
        return self._stories.get(story_id)

    def by_ref(self, ref: str) -> list[Story]:
        """Stories whose id starts with ``ref`` (case-insensitive), exact id first."""
        ref = ref.strip().lower()
        if not ref:
            return []
        if ref in self._stories:
            return [self._stories[ref]]
        return [s for sid, s in self._stories.items() if sid.lower().startswith(ref)]

    def on_topic(self, topic: str) -> list[Story]:
        from digests.topics import matches

        return [s for s in self._stories.values() if matches(s.topics, topic)]

    async def search(self, query: str) -> list[Story]:
        """Stories tagged with the topic ``query`` plus those whose articles match it in
        full text (FTS5 / tsvector), without duplicates."""
        found = {s.id: s for s in self.on_topic(query)}
        for article_id in await self.storage.search(query):
            sid = self._story_of_article.get(article_id)
            if sid and sid not in found:
                found[sid] = self._stories[sid]
        return list(found.values())


def keep_ids(stories: list[Story], previous: dict[str, str]) -> list[Story]:
    """Stories under the ids they were saved with, when the engine would now name them
    differently.

    The engine names a story after its earliest article, so a rewrite dated earlier
    but read later (a slower feed) would rename it — and then posted messages,
    reactions and "already had" would no longer find it, and the next digest would
    post it again. A story whose members were saved under other ids keeps the id of
    its earliest member that has one, unless another story of this build has that id.
    Decided from the database alone, so every bot process picks the same ids.
    """
    taken = {s.id for s in stories}
    wanted: dict[int, str] = {}
    for i, story in enumerate(stories):
        before = [
            previous[a.id] for a in sorted(story.articles, key=_published_key) if a.id in previous
        ]
        if before and story.id not in before:
            wanted[i] = before[0]
    out = list(stories)
    for i, old_id in wanted.items():
        if old_id not in taken:
            taken.add(old_id)
            out[i] = dataclasses.replace(stories[i], id=old_id)
    return out


def _published_key(article: Article) -> tuple[datetime, str]:
    return (
        article.published or datetime.max.replace(tzinfo=UTC),
        article.id,
    )  # as the engine orders
