"""Storing and reading the story index: units, the feature → units index, the change queue.

Only storage here: the catalog (``bot.catalog``) decides what the stories are; this
module reads what it asks for and writes what it decided, inside one transaction
(:meth:`StoryIndex.transaction`), so a crash leaves either the old index and the
queued changes, or the new index with the queue emptied — never half of each.
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from array import array
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, and_, bindparam, delete, func, or_, select, text, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from digests.cluster import Unit
from digests.models import Article, Quote, Story

from .convert import row_to_article
from .schema import (
    ArticleRow,
    StoryQueueRow,
    StoryRow,
    StoryUnitRow,
    UnitFeatureRow,
    utcnow,
)
from .store import Storage

_CHUNK = 500
_LOCK_KEY = 0x6E657773  # PostgreSQL advisory lock: one process updates the stories at a time


@dataclass(frozen=True, slots=True)
class QueuedChange:
    article_id: str
    seq: int
    old_unit: str | None
    old_story: str | None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with what the index last recorded for it."""

    article: Article
    unit_key: str | None
    story_id: str | None


@dataclass(slots=True)
class IndexWrite:
    """What one update changes; everything else is left as it is (no rewrite of unchanged rows)."""

    put_units: list[tuple[Unit, str]] = field(default_factory=list)  # (unit, representative id)
    drop_units: list[str] = field(default_factory=list)
    add_postings: list[tuple[int, str]] = field(default_factory=list)
    drop_postings: list[tuple[int, str]] = field(default_factory=list)
    links: dict[str, tuple[str | None, str | None]] = field(
        default_factory=dict
    )  # id → unit, story
    put_stories: list[Story] = field(default_factory=list)
    drop_stories: list[str] = field(default_factory=list)
    done: list[QueuedChange] = field(default_factory=list)


def story_content(story: Story) -> bytes:
    """What the engine built for a story, without its articles (those are stored rows)."""
    return orjson.dumps(
        {
            "primary": story.primary.id,
            "others": [a.id for a in story.others],
            "summary": story.summary,
            "quotes": [dataclasses.asdict(q) for q in story.quotes],
            "topics": list(story.topics),
            "score": story.score,
        }
    )


def story_from_content(sid: str, blob: bytes | None, members: Sequence[Article]) -> Story | None:
    """The stored story over ``members``, or None when it was stored over other articles."""
    if not blob:
        return None
    try:
        data = orjson.loads(blob)
        by_id = {a.id: a for a in members}
        ids = [data["primary"], *data["others"]]
        if sorted(ids) != sorted(by_id):
            return None
        return Story(
            id=sid,
            primary=by_id[data["primary"]],
            summary=data["summary"],
            others=tuple(by_id[i] for i in data["others"]),
            quotes=tuple(Quote(**_known(q)) for q in data["quotes"]),
            topics=tuple(data["topics"]),
            score=float(data["score"]),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


_QUOTE_FIELDS = frozenset(f.name for f in dataclasses.fields(Quote))


def _known(fields: dict[str, Any]) -> dict[str, Any]:
    """A stored quote's fields this version knows (a field added later keeps its default)."""
    return {k: v for k, v in fields.items() if k in _QUOTE_FIELDS}


def pack(features: Sequence[int]) -> bytes:
    data = array("q", features)
    if sys.byteorder != "little":
        data.byteswap()
    return data.tobytes()


def unpack(blob: bytes) -> tuple[int, ...]:
    data = array("q")
    data.frombytes(blob)
    if sys.byteorder != "little":
        data.byteswap()
    return tuple(data)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class StoryIndex:
    """The story index tables of one :class:`Storage`."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    async def pending(self) -> int:
        """How many changes wait to be applied to the stories."""
        async with self.storage.session() as session:
            return int(await session.scalar(select(func.count()).select_from(StoryQueueRow)) or 0)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[IndexTransaction]:
        """One update, exclusive across processes (SQLite's writer lock / an advisory lock)."""
        async with self.storage.write_lock, self.storage.session() as session:
            async with session.begin():
                if self.storage.dialect == "postgresql":
                    await session.execute(
                        text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY}
                    )
                yield IndexTransaction(session)

    async def version(self) -> tuple[int, datetime | None]:
        """(stories, newest story change): differs whenever any process changed a story."""
        async with self.storage.session() as session:
            row = (await session.execute(select(func.count(), func.max(StoryRow.updated_at)))).one()
        newest = row[1]
        if isinstance(newest, str):  # SQLite aggregates lose the column type
            newest = datetime.fromisoformat(newest)
        if newest is not None and newest.tzinfo is None:
            newest = newest.replace(tzinfo=UTC)
        return int(row[0]), newest

    async def story_ids(self, *, changed_since: datetime | None = None) -> set[str]:
        """Ids of the stored stories (only those changed after ``changed_since``, if given)."""
        stmt = select(StoryRow.id)
        if changed_since is not None:
            stmt = stmt.where(StoryRow.updated_at > changed_since)
        async with self.storage.session() as session:
            return set(await session.scalars(stmt))

    async def stored_stories(
        self, story_ids: Iterable[str] | None = None
    ) -> tuple[list[Story], dict[str, list[Article]]]:
        """Stories as stored (built by the engine earlier), and the members of those whose
        stored content is missing or was built over other articles (to build again)."""
        members = await self.stories_members(story_ids)
        contents: dict[str, bytes | None] = {}
        async with self.storage.session() as session:
            stmt = select(StoryRow.id, StoryRow.content)
            if story_ids is not None:
                wanted = sorted(members)
                for chunk in _chunks(wanted):
                    rows = await session.execute(stmt.where(StoryRow.id.in_(chunk)))
                    contents.update({sid: blob for sid, blob in rows})
            else:
                contents.update({sid: blob for sid, blob in await session.execute(stmt)})
        ready: list[Story] = []
        missing: dict[str, list[Article]] = {}
        for sid, ms in members.items():
            story = story_from_content(sid, contents.get(sid), ms)
            if story is None:
                missing[sid] = ms
            else:
                ready.append(story)
        return ready, missing

    async def stories_members(
        self, story_ids: Iterable[str] | None = None
    ) -> dict[str, list[Article]]:
        """story id → its articles (all stories when ``story_ids`` is None)."""
        async with self.storage.session() as session:
            tx = IndexTransaction(session)
            if story_ids is None:
                rows = await session.scalars(
                    select(ArticleRow).where(ArticleRow.story_id.is_not(None))
                )
                found = [StoredArticle(row_to_article(r), r.unit_key, r.story_id) for r in rows]
            else:
                found = await tx.articles(story_ids=list(story_ids))
        out: dict[str, list[Article]] = {}
        for s in found:
            if s.story_id:
                out.setdefault(s.story_id, []).append(s.article)
        return out


class IndexTransaction:
    """Reads and the final write of one update, on one session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queued(self, limit: int) -> list[QueuedChange]:
        rows = await self.session.execute(
            select(StoryQueueRow).order_by(StoryQueueRow.seq, StoryQueueRow.article_id).limit(limit)
        )
        return [QueuedChange(r.article_id, r.seq, r.old_unit, r.old_story) for (r,) in rows]

    async def articles(
        self,
        *,
        ids: Sequence[str] = (),
        unit_keys: Sequence[str] = (),
        story_ids: Sequence[str] = (),
    ) -> list[StoredArticle]:
        """Articles with any of these ids, units or stories (each once)."""
        found: dict[str, StoredArticle] = {}
        for column, values in (
            (ArticleRow.id, ids),
            (ArticleRow.unit_key, unit_keys),
            (ArticleRow.story_id, story_ids),
        ):
            for chunk in _chunks(sorted(set(values))):
                rows = await self.session.scalars(select(ArticleRow).where(column.in_(chunk)))
                for r in rows:
                    if r.id not in found:
                        found[r.id] = StoredArticle(row_to_article(r), r.unit_key, r.story_id)
        return list(found.values())

    async def units(self, keys: Iterable[str]) -> dict[str, tuple[Unit, str]]:
        """key → (unit, representative id) for the stored ones."""
        out: dict[str, tuple[Unit, str]] = {}
        for chunk in _chunks(sorted(set(keys))):
            rows = await self.session.scalars(
                select(StoryUnitRow).where(StoryUnitRow.key.in_(chunk))
            )
            for r in rows:
                unit = Unit(r.key, unpack(r.features), r.event_time, r.title, bool(r.thin))
                out[r.key] = (unit, r.rep_id)
        return out

    async def doc_freq(self, features: Iterable[int]) -> dict[int, int]:
        """How many units hold each feature (0 for none)."""
        wanted = sorted(set(features))
        out = dict.fromkeys(wanted, 0)
        for chunk in _chunks(wanted):
            rows = await self.session.execute(
                select(UnitFeatureRow.feature, func.count())
                .where(UnitFeatureRow.feature.in_(chunk))
                .group_by(UnitFeatureRow.feature)
            )
            out.update({f: int(n) for f, n in rows})
        return out

    async def postings(self, features: Iterable[int]) -> dict[int, list[str]]:
        """feature → the units holding it (ask only for features of bounded frequency)."""
        out: dict[int, list[str]] = {}
        for chunk in _chunks(sorted(set(features))):
            rows = await self.session.execute(
                select(UnitFeatureRow.feature, UnitFeatureRow.unit).where(
                    UnitFeatureRow.feature.in_(chunk)
                )
            )
            for f, unit in rows:
                out.setdefault(f, []).append(unit)
        return out

    async def existing_story_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored stories."""
        out: set[str] = set()
        for chunk in _chunks(sorted(set(ids))):
            out.update(
                await self.session.scalars(select(StoryRow.id).where(StoryRow.id.in_(chunk)))
            )
        return out

    async def write_index(self, w: IndexWrite, *, dialect: str) -> None:
        """Units and postings (before :meth:`doc_freq` is asked about the new state)."""
        s = self.session
        for chunk in _chunks(w.drop_units):
            await s.execute(delete(StoryUnitRow).where(StoryUnitRow.key.in_(chunk)))
        for chunk in _chunks(w.drop_postings):
            await s.execute(
                delete(UnitFeatureRow).where(
                    tuple_(UnitFeatureRow.feature, UnitFeatureRow.unit).in_(list(chunk))
                )
            )
        rows = [
            {
                "key": u.key,
                "rep_id": rep,
                "features": pack(u.features),
                "event_time": u.time,
                "title": u.title,
                "thin": u.thin,
            }
            for u, rep in w.put_units
        ]
        insert = _insert(dialect)
        for chunk in _chunks(rows):
            stmt = insert(StoryUnitRow.__table__)
            cols = {c: stmt.excluded[c] for c in chunk[0] if c != "key"}
            await s.execute(
                stmt.on_conflict_do_update(index_elements=["key"], set_=cols), list(chunk)
            )
        postings = [{"feature": f, "unit": u} for f, u in w.add_postings]
        for chunk in _chunks(postings):
            await s.execute(insert(UnitFeatureRow.__table__).on_conflict_do_nothing(), list(chunk))

    async def write_stories(self, w: IndexWrite, *, dialect: str) -> None:
        """Stories, article links and the queue entries this update consumed."""
        s = self.session
        for chunk in _chunks(w.drop_stories):
            await s.execute(delete(StoryRow).where(StoryRow.id.in_(chunk)))
        now = utcnow()
        rows = [
            {
                "id": st.id,
                "primary_id": st.primary.id,
                "title": st.title,
                "source": st.source,
                "topics": "\n".join(st.topics),
                "updated_at": now,
                "content": story_content(st),
            }
            for st in w.put_stories
        ]
        insert = _insert(dialect)
        for chunk in _chunks(rows):
            stmt = insert(StoryRow.__table__)
            cols = {c: stmt.excluded[c] for c in chunk[0] if c != "id"}
            await s.execute(
                stmt.on_conflict_do_update(index_elements=["id"], set_=cols), list(chunk)
            )
        links = [{"aid": a, "unit": u, "sid": st} for a, (u, st) in w.links.items()]
        table = cast(Table, ArticleRow.__table__)
        if links:
            await s.execute(
                update(table)
                .where(table.c.id == bindparam("aid"))
                .values(unit_key=bindparam("unit"), story_id=bindparam("sid")),
                links,
            )
        for chunk in _chunks(w.done):
            await s.execute(
                delete(StoryQueueRow).where(
                    or_(
                        *(
                            and_(
                                StoryQueueRow.article_id == c.article_id, StoryQueueRow.seq == c.seq
                            )
                            for c in chunk
                        )
                    )
                )
            )


def _insert(dialect: str) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return sqlite.insert if dialect == "sqlite" else postgresql.insert
