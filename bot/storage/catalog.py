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
from collections.abc import Iterable, Sequence
from datetime import datetime

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
            stories = await asyncio.to_thread(self._build, articles)
            await self.storage.save_stories(stories)
            self.replace(stories)
            self._version = version
            return stories

    def _build(self, articles: list[Article]) -> list[Story]:
        """``digests.engine.build_stories``, reusing the stories of unchanged clusters."""
        from digests import cluster, engine

        built: dict[_Members, Story] = {}
        stories = []
        for group in cluster.cluster(articles):
            key = _members_key(group)
            story = self._built.get(key)
            if story is None:
                story = engine.story_for(group, summary_chars=self.summary_chars)
            built[_members_key(story.articles)] = story  # keyed by the story's own objects: no second copy
            stories.append(story)
        self._built = built
        return stories

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
