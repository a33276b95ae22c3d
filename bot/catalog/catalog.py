"""The stories the bot can show right now, kept up to date incrementally.

Articles live in the database; stories are derived (clustering, summaries, quotes).
A change to the articles is queued by the storage in the same transaction; a refresh
applies the queue through :func:`bot.catalog.update.apply_queued`, which regroups
only the stories the changes touch (found through the persistent feature index) and
writes only the rows that change. The stories are kept in memory for fast lookups by
ref, topic and full-text query; another process's changes are picked up from the
stories table.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from digests.models import Article, Story

from ..background import in_daemon_thread
from ..storage.store import Storage
from ..storage.story_index import StoryIndex
from .update import Update, apply_queued

log = logging.getLogger(__name__)


class Catalog:
    """In-memory index of the current stories, updated from :class:`Storage`."""

    def __init__(self, storage: Storage, *, summary_chars: int = 320, batch: int = 500) -> None:
        self.storage = storage
        self.index = StoryIndex(storage)
        self.summary_chars = summary_chars
        self.batch = batch
        self._stories: dict[str, Story] = {}
        self._story_of_article: dict[str, str] = {}
        self._lock = asyncio.Lock()
        self._loaded = False
        self._version: tuple[int, datetime | None] | None = None

    def _build(self, members: list[Article]) -> Story:
        from digests import engine

        return engine.story_for(members, summary_chars=self.summary_chars)

    async def refresh(self, *, force: bool = False) -> list[Story]:
        """Apply the queued article changes to the stories (cheap when nothing changed,
        so it can run after every poll), and pick up stories other processes changed."""
        async with self._lock:
            if force or not self._loaded:
                version = await self.index.version()  # before reading: later changes sync
                await self._load()
                self._version = version
            ours: set[str] = set()
            while True:
                async with self.index.transaction() as tx:
                    update = await apply_queued(
                        tx,
                        dialect=self.storage.dialect,
                        known=self._stories,
                        build=self._build,
                        batch=self.batch,
                    )
                if update is None:
                    break
                self._apply(update)
                ours.update(s.id for s in update.stories)
            await self._sync(ours)
            return self.stories

    async def _load(self) -> None:
        """Every stored story under its stored id: as stored when its members are the ones it
        was built over (a restart summarises nothing), else built again from them."""
        ready, missing = await self.index.stored_stories()
        stories = await in_daemon_thread(self._build_all, missing) if missing else []
        self.replace([*ready, *stories])
        self._loaded = True

    def _build_all(self, members: dict[str, list[Article]]) -> list[Story]:
        return [dataclasses.replace(self._build(ms), id=sid) for sid, ms in sorted(members.items())]

    async def _sync(self, ours: set[str]) -> None:
        """Stories another process changed since our last look: rebuilt from their members
        (those this process has just written are already in memory)."""
        version = await self.index.version()
        if version == self._version:
            return
        since = self._version[1] if self._version else None
        changed = await self.index.story_ids(changed_since=since) - ours
        ready, missing = await self.index.stored_stories(changed) if changed else ([], {})
        fresh = [*ready, *(await asyncio.to_thread(self._build_all, missing) if missing else [])]
        stored = await self.index.story_ids() if version[0] != len(self._stories) else None
        dropped = [sid for sid in self._stories if stored is not None and sid not in stored]
        self._apply(Update(stories=fresh, dropped=dropped))
        self._version = version

    def _apply(self, update: Update) -> None:
        for sid in update.dropped:
            story = self._stories.pop(sid, None)
            if story is not None:
                for a in story.articles:
                    if self._story_of_article.get(a.id) == sid:
                        del self._story_of_article[a.id]
        for story in update.stories:
            old = self._stories.get(story.id)
            if old is not None:
                for a in old.articles:
                    if self._story_of_article.get(a.id) == story.id:
                        del self._story_of_article[a.id]
            self._stories[story.id] = story
            for a in story.articles:
                self._story_of_article[a.id] = story.id

    def replace(self, stories: Iterable[Story]) -> None:
        """Swap in a new set of stories (also how tests seed the catalog)."""
        stories = list(stories)
        self._version = None
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
