"""``Storage``: the bot's one door to its database (SQLite or PostgreSQL, async).

Every method is one short transaction. Writes that must happen once (platform
events, reactions, subscriptions) rely on unique keys plus ``ON CONFLICT DO
NOTHING`` so they are safe under retries and several processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, bindparam, delete, event, func, select, text, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from adapters.base import ChannelRef, PostedMessage
from digests.models import Article, Story

from . import migrate
from .convert import article_values, row_to_article
from .fts import fts_statement
from .schema import (
    ArticleRow,
    ChannelRow,
    PostedMessageRow,
    ProcessedEventRow,
    ReactionRow,
    StoryQueueRow,
    StoryRow,
    SubscriptionRow,
    utcnow,
)

_CHUNK = 500


class StorageError(Exception):
    """The database cannot be used; the message says which URL part and what to do."""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class StoredReaction:
    """A reaction joined with what feedback needs to know about its story."""

    story_id: str
    user_id: str
    emoji: str
    title: str | None
    source: str | None
    topics: tuple[str, ...]


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _lines(value: str | None) -> tuple[str, ...]:
    return tuple(t for t in (value or "").split("\n") if t)


class Storage:
    """Async storage on one engine per process. Create with a URL, then ``await upgrade()``."""

    def __init__(self, url: str, *, schema: str | None = None, echo: bool = False) -> None:
        self.url = url
        self.schema = schema
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.dialect == "sqlite":
            kwargs["connect_args"] = {"timeout": 30}
        elif schema:
            kwargs["connect_args"] = {"server_settings": {"search_path": schema}}
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._channel_ids: dict[ChannelRef, int] = {}
        # SQLite has one writer: every write in the process (the core's, delivery's, the
        # outbox's) holds this lock, so they queue instead of busy-waiting on the file.
        self.write_lock = asyncio.Lock()

    # lifecycle ---------------------------------------------------------------------

    async def upgrade(self) -> None:
        """Apply pending migrations (safe to call on every start)."""
        # Alembic keeps its context in module globals: one migration at a time per loop
        async with self._explained_errors(), _upgrade_lock(), self.engine.begin() as conn:
            await conn.run_sync(migrate.upgrade_sync)

    async def revision(self) -> str | None:
        async with self._explained_errors(), self.engine.connect() as conn:
            return await conn.run_sync(migrate.current_revision_sync)

    @contextlib.asynccontextmanager
    async def _explained_errors(self) -> AsyncIterator[None]:
        """Turn "cannot connect / cannot open" into a :class:`StorageError` a person can act on."""
        try:
            yield
        except (OSError, ConnectionError) as exc:
            raise StorageError(
                f"cannot reach the database ({self._shown_url()}): {exc}; "
                "check DATABASE_URL and that the server is running"
            ) from None
        except DBAPIError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            if "readonly" in reason or "read-only" in reason:
                raise StorageError(
                    f"the database {self._shown_url()} is read-only ({reason}): make the file "
                    "and its folder writable by the user running newsbot (SQLite writes a "
                    "journal beside the file), or set DATABASE_URL to a writable location"
                ) from None
            raise StorageError(
                f"cannot use the database ({self._shown_url()}): {reason}; check DATABASE_URL "
                "(database exists? user allowed? for SQLite, does the folder exist?)"
            ) from None

    def _shown_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    async def aclose(self) -> None:
        await self.engine.dispose()

    def session(self) -> AsyncSession:
        """A new session, for other bot packages (delivery) with their own tables."""
        return self._sessions()

    def _insert(self, table: Any) -> Any:
        return (sqlite.insert if self.dialect == "sqlite" else postgresql.insert)(table)

    # articles and stories ----------------------------------------------------------

    async def upsert_articles(self, articles: Iterable[Article]) -> UpsertResult:
        """Insert new articles, update changed ones (by id), skip unchanged (content hash)."""
        by_id = {a.id: article_values(a) for a in articles}
        if not by_id:
            return UpsertResult()
        inserted = updated = unchanged = 0
        async with self.write_lock, self._sessions.begin() as session:
            existing: dict[str, Any] = {}
            for chunk in _chunks(list(by_id)):
                rows = await session.execute(
                    select(
                        ArticleRow.id,
                        ArticleRow.content_hash,
                        ArticleRow.unit_key,
                        ArticleRow.story_id,
                    ).where(ArticleRow.id.in_(chunk))
                )
                existing.update({r.id: r for r in rows})
            now = utcnow()
            changed = []
            queued = []
            for aid, values in by_id.items():
                old = existing.get(aid)
                if old is not None and old.content_hash == values["content_hash"]:
                    unchanged += 1
                    continue
                inserted += old is None
                updated += old is not None
                changed.append({**values, "updated_at": now})
                queued.append((aid, old.unit_key if old else None, old.story_id if old else None))
            await self._queue_for_stories(session, queued)
            for chunk in _chunks(changed):
                stmt = self._insert(ArticleRow.__table__)
                cols = {c: stmt.excluded[c] for c in chunk[0] if c != "id"}
                await session.execute(
                    stmt.on_conflict_do_update(index_elements=["id"], set_=cols), list(chunk)
                )
                if self.dialect == "sqlite":
                    ids = [v["id"] for v in chunk]
                    await session.execute(
                        text(
                            "DELETE FROM articles_fts WHERE id IN (SELECT value FROM json_each(:ids))"
                        ),
                        {"ids": orjson.dumps(ids).decode()},
                    )
                    await session.execute(
                        text(
                            "INSERT INTO articles_fts (id, title, tags, text) VALUES (:id, :title, :tags, :text)"
                        ),
                        [{k: v[k] for k in ("id", "title", "tags", "text")} for v in chunk],
                    )
        return UpsertResult(inserted, updated, unchanged)

    async def delete_articles(self, ids: Iterable[str]) -> int:
        """Forget articles whose source disappeared."""
        ids = list(ids)
        removed = 0
        async with self.write_lock, self._sessions.begin() as session:
            for chunk in _chunks(ids):
                old = await session.execute(
                    select(ArticleRow.id, ArticleRow.unit_key, ArticleRow.story_id).where(
                        ArticleRow.id.in_(chunk)
                    )
                )
                await self._queue_for_stories(
                    session, [(r.id, r.unit_key, r.story_id) for r in old]
                )
                res = await session.execute(delete(ArticleRow).where(ArticleRow.id.in_(chunk)))
                removed += _rowcount(res)
                if self.dialect == "sqlite":
                    await session.execute(
                        text(
                            "DELETE FROM articles_fts WHERE id IN (SELECT value FROM json_each(:ids))"
                        ),
                        {"ids": orjson.dumps(list(chunk)).decode()},
                    )
        return removed

    async def _queue_for_stories(
        self, session: AsyncSession, items: Sequence[tuple[str, str | None, str | None]]
    ) -> None:
        """Queue changed articles ``(id, old unit, old story)`` for the story index, in the
        transaction of the change (so no change is ever missed). A second change before
        the next update keeps the first change's old unit and story: those are indexed."""
        if not items:
            return
        seq = time.time_ns()
        rows = [
            {"article_id": aid, "seq": seq, "old_unit": unit, "old_story": story}
            for aid, unit, story in items
        ]
        for chunk in _chunks(rows):
            stmt = self._insert(StoryQueueRow.__table__)
            await session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["article_id"], set_={"seq": stmt.excluded.seq}
                ),
                list(chunk),
            )

    async def prune_articles(self, before: datetime, *, batch: int = 500) -> int:
        """Delete articles dated before ``before``, ``batch`` per short transaction (chat
        events and polls go on between them); each is queued for the stories like any
        deletion. Undated articles are kept. Returns how many were deleted."""
        removed = 0
        while True:
            async with self._sessions() as session:
                ids = list(
                    await session.scalars(
                        select(ArticleRow.id)
                        .where(ArticleRow.published < before)
                        .order_by(ArticleRow.published)
                        .limit(batch)
                    )
                )
            if not ids:
                return removed
            removed += await self.delete_articles(ids)
            if len(ids) < batch:
                return removed

    async def load_articles(self, ids: Iterable[str] | None = None) -> list[Article]:
        async with self._sessions() as session:
            if ids is None:
                rows = (await session.scalars(select(ArticleRow))).all()
                return [row_to_article(r) for r in rows]
            out: list[Article] = []
            for chunk in _chunks(list(ids)):
                rows = (
                    await session.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk)))
                ).all()
                out.extend(row_to_article(r) for r in rows)
            return out

    async def article_story_ids(self) -> dict[str, str]:
        """article id → the story it was last saved in (how a rebuilt story keeps its id)."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(ArticleRow.id, ArticleRow.story_id).where(ArticleRow.story_id.is_not(None))
            )
            return {aid: sid for aid, sid in rows if sid}

    async def articles_version(self) -> tuple[int, datetime | None]:
        """(count, newest change): differs whenever any process added, changed or deleted one."""
        async with self._sessions() as session:
            row = (
                await session.execute(select(func.count(), func.max(ArticleRow.updated_at)))
            ).one()
            newest = row[1]
            if isinstance(newest, str):  # SQLite aggregates lose the column type
                newest = datetime.fromisoformat(newest)
            return int(row[0]), newest

    async def count_articles(self) -> int:
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(ArticleRow)) or 0)

    async def save_stories(self, stories: Iterable[Story]) -> None:
        """Record each story's members and topics (a rebuilt story keeps its id)."""
        stories = list(stories)
        if not stories:
            return
        now = utcnow()
        rows = [
            {
                "id": s.id,
                "primary_id": s.primary.id,
                "title": s.title,
                "source": s.source,
                "topics": "\n".join(s.topics),
                "updated_at": now,
            }
            for s in stories
        ]
        members = [{"aid": a.id, "sid": s.id} for s in stories for a in s.articles]
        table = cast(
            Table, ArticleRow.__table__
        )  # Core table: executemany UPDATE … WHERE id = :aid
        async with self.write_lock, self._sessions.begin() as session:
            for chunk in _chunks(rows):
                stmt = self._insert(StoryRow.__table__)
                cols = {c: stmt.excluded[c] for c in chunk[0] if c != "id"}
                await session.execute(
                    stmt.on_conflict_do_update(index_elements=["id"], set_=cols), list(chunk)
                )
            await session.execute(
                update(table)
                .where(table.c.id == bindparam("aid"))
                .values(story_id=bindparam("sid")),
                members,
            )

    async def search(self, query: str, *, limit: int = 200) -> list[str]:
        """Article ids whose title, tags or text match every word of ``query``, best first."""
        built = fts_statement(self.dialect, query, limit)
        if built is None:
            return []
        sql, params = built
        async with self._sessions() as session:
            return [r[0] for r in await session.execute(sql, params)]

    # channels and subscriptions ----------------------------------------------------

    async def channel_id(self, ref: ChannelRef) -> int:
        """The channel's row id, created on first contact."""
        cached = self._channel_ids.get(ref)
        if cached is not None:
            return cached
        key = {"platform": ref.platform, "workspace": ref.workspace, "channel": ref.channel}
        async with self.write_lock, self._sessions.begin() as session:
            await session.execute(
                self._insert(ChannelRow.__table__)
                .values(**key, created_at=utcnow())
                .on_conflict_do_nothing(index_elements=["platform", "workspace", "channel"])
            )
            cid = await session.scalar(select(ChannelRow.id).filter_by(**key))
        assert cid is not None
        self._channel_ids[ref] = cid
        return cid

    async def channels(self) -> list[tuple[int, ChannelRef]]:
        async with self._sessions() as session:
            rows = (await session.scalars(select(ChannelRow).order_by(ChannelRow.id))).all()
            return [(r.id, ChannelRef(r.platform, r.workspace, r.channel)) for r in rows]

    async def find_channel(self, name: str) -> list[tuple[int, ChannelRef]]:
        """Channels whose ``platform:workspace:channel`` or bare channel name is ``name``."""
        return [(cid, ref) for cid, ref in await self.channels() if name in (str(ref), ref.channel)]

    async def subscribe(self, ref: ChannelRef, topics: Iterable[str]) -> list[str]:
        """Add topics; returns those that were new."""
        cid = await self.channel_id(ref)
        added = []
        async with self.write_lock, self._sessions.begin() as session:
            for topic in dict.fromkeys(topics):
                res = await session.execute(
                    self._insert(SubscriptionRow.__table__)
                    .values(channel_id=cid, topic=topic, created_at=utcnow())
                    .on_conflict_do_nothing(index_elements=["channel_id", "topic"])
                )
                if _rowcount(res):
                    added.append(topic)
        return added

    async def unsubscribe(self, ref: ChannelRef, topics: Iterable[str]) -> list[str]:
        """Remove topics; returns those that were subscribed."""
        cid = await self.channel_id(ref)
        removed = []
        async with self.write_lock, self._sessions.begin() as session:
            for topic in dict.fromkeys(topics):
                res = await session.execute(
                    delete(SubscriptionRow).where(
                        SubscriptionRow.channel_id == cid, SubscriptionRow.topic == topic
                    )
                )
                if _rowcount(res):
                    removed.append(topic)
        return removed

    async def topics(self, ref: ChannelRef) -> list[str]:
        cid = await self.channel_id(ref)
        async with self._sessions() as session:
            rows = await session.scalars(
                select(SubscriptionRow.topic)
                .where(SubscriptionRow.channel_id == cid)
                .order_by(SubscriptionRow.topic)
            )
            return list(rows)

    # posted messages ---------------------------------------------------------------

    async def record_posted(
        self, messages: Iterable[PostedMessage], *, delivery_key: str | None = None
    ) -> None:
        """Remember which story each posted message shows (reactions map back through it).

        Idempotent: a message already recorded, or a part of ``delivery_key`` already
        recorded, is left as it is (a retry may report parts the first try recorded).
        Messages whose parts repeat come from an adapter that does not number them;
        they are numbered by position instead, so none is lost.
        """
        messages = list(messages)
        if not messages:
            return
        if len({m.part for m in messages}) != len(messages):
            messages = [replace(m, part=i) for i, m in enumerate(messages)]
        rows = []
        for m in messages:
            rows.append(
                {
                    "channel_id": await self.channel_id(m.channel),
                    "message_id": m.message_id,
                    "story_id": m.story_id,
                    "delivery_key": delivery_key,
                    "part": m.part,
                    "posted_at": utcnow(),
                }
            )
        async with self.write_lock, self._sessions.begin() as session:
            # no conflict target: either unique key (message, or delivery part) means "done"
            await session.execute(
                self._insert(PostedMessageRow.__table__).on_conflict_do_nothing(), rows
            )

    async def posted_parts(self, delivery_key: str) -> list[PostedMessage]:
        """The parts of delivery ``delivery_key`` recorded so far, by part number."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(
                    ChannelRow,
                    PostedMessageRow.message_id,
                    PostedMessageRow.story_id,
                    PostedMessageRow.part,
                )
                .join(ChannelRow, ChannelRow.id == PostedMessageRow.channel_id)
                .where(PostedMessageRow.delivery_key == delivery_key)
                .order_by(PostedMessageRow.part)
            )
            return [
                PostedMessage(ChannelRef(ch.platform, ch.workspace, ch.channel), mid, sid, part)
                for ch, mid, sid, part in rows
            ]

    async def story_for_message(self, ref: ChannelRef, message_id: str) -> str | None:
        """The story a message of ours shows; None for headers and messages not ours."""
        cid = await self.channel_id(ref)
        async with self._sessions() as session:
            return await session.scalar(
                select(PostedMessageRow.story_id).where(
                    PostedMessageRow.channel_id == cid, PostedMessageRow.message_id == message_id
                )
            )

    async def posted_by_ref(
        self, ref: ChannelRef, story_ref: str, *, limit: int = 50
    ) -> list[PostedMessage]:
        """Messages posted to this channel showing a story whose id starts with ``story_ref``,
        newest first (how a typed ref finds the message to react to, in any session)."""
        pattern = _prefix_pattern(story_ref)
        if pattern is None:
            return []
        cid = await self.channel_id(ref)
        async with self._sessions() as session:
            rows = await session.execute(
                select(PostedMessageRow.message_id, PostedMessageRow.story_id)
                .where(
                    PostedMessageRow.channel_id == cid,
                    PostedMessageRow.story_id.like(pattern, escape="\\"),
                )
                .order_by(PostedMessageRow.id.desc())
                .limit(limit)
            )
            return [PostedMessage(ref, mid, sid) for mid, sid in rows]

    async def posted_story_ids(self, ref: ChannelRef, *, since: datetime | None = None) -> set[str]:
        """Stories this channel has already been shown (so a digest skips them)."""
        cid = await self.channel_id(ref)
        stmt = select(PostedMessageRow.story_id).where(
            PostedMessageRow.channel_id == cid, PostedMessageRow.story_id.is_not(None)
        )
        if since is not None:
            stmt = stmt.where(PostedMessageRow.posted_at >= since)
        async with self._sessions() as session:
            return {s for s in await session.scalars(stmt) if s}

    # events and reactions ----------------------------------------------------------

    async def mark_event(self, platform: str, event_id: str) -> bool:
        """Record a platform event id; False when it was already processed (a retry)."""
        async with self.write_lock, self._sessions.begin() as session:
            return await self._mark_event(session, platform, event_id)

    async def _mark_event(self, session: AsyncSession, platform: str, event_id: str) -> bool:
        res = await session.execute(
            self._insert(ProcessedEventRow.__table__)
            .values(platform=platform, event_id=event_id, processed_at=utcnow())
            .on_conflict_do_nothing(index_elements=["platform", "event_id"])
        )
        return bool(_rowcount(res))

    async def prune_events(self, before: datetime, *, batch: int = 1000) -> int:
        """Forget processed event ids recorded before ``before``; returns how many.

        Platforms retry an event within minutes, so ids older than a few days only make
        the table grow. Deleted ``batch`` rows per short transaction (SQLite's single
        writer and PostgreSQL's row locks are held briefly; reactions go on meanwhile).
        """
        old = (
            select(ProcessedEventRow.platform, ProcessedEventRow.event_id)
            .where(ProcessedEventRow.processed_at < before)
            .limit(batch)
        )
        stmt = (
            delete(ProcessedEventRow)
            .where(tuple_(ProcessedEventRow.platform, ProcessedEventRow.event_id).in_(old))
            .execution_options(synchronize_session=False)
        )
        removed = 0
        while True:
            async with self.write_lock, self._sessions.begin() as session:
                n = _rowcount(await session.execute(stmt))
            removed += n
            if n < batch:
                return removed

    async def set_reaction(
        self,
        ref: ChannelRef,
        story_id: str,
        user_id: str,
        emoji: str,
        *,
        added: bool,
        event_id: str | None = None,
    ) -> bool:
        """Add or remove one reaction; the event id (if any) is recorded in the same
        transaction, so a retried event changes nothing. Returns whether anything changed."""
        cid = await self.channel_id(ref)
        async with self.write_lock, self._sessions.begin() as session:
            if event_id is not None and not await self._mark_event(session, ref.platform, event_id):
                return False
            if added:
                res = await session.execute(
                    self._insert(ReactionRow.__table__)
                    .values(
                        channel_id=cid,
                        story_id=story_id,
                        user_id=user_id,
                        emoji=emoji,
                        created_at=utcnow(),
                    )
                    .on_conflict_do_nothing(
                        index_elements=["channel_id", "story_id", "user_id", "emoji"]
                    )
                )
            else:
                res = await session.execute(
                    delete(ReactionRow).where(
                        ReactionRow.channel_id == cid,
                        ReactionRow.story_id == story_id,
                        ReactionRow.user_id == user_id,
                        ReactionRow.emoji == emoji,
                    )
                )
            return bool(_rowcount(res))

    async def reactions(self, ref: ChannelRef | None = None) -> list[StoredReaction]:
        """Reactions (of one channel, or all) with their story's title, outlet and topics."""
        stmt = (
            select(ReactionRow, StoryRow.title, StoryRow.source, StoryRow.topics)
            .join(StoryRow, StoryRow.id == ReactionRow.story_id, isouter=True)
            .order_by(ReactionRow.id)
        )
        if ref is not None:
            stmt = stmt.where(ReactionRow.channel_id == await self.channel_id(ref))
        async with self._sessions() as session:
            return [
                StoredReaction(r.story_id, r.user_id, r.emoji, title, source, _lines(topics))
                for r, title, source, topics in await session.execute(stmt)
            ]


def _prefix_pattern(prefix: str) -> str | None:
    """A LIKE pattern (escape ``\\``) matching ids that start with ``prefix``; None if blank."""
    prefix = prefix.strip().lower()
    if not prefix:
        return None
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _rowcount(result: Any) -> int:
    """Rows an INSERT … ON CONFLICT / DELETE touched (CursorResult; typed loosely upstream)."""
    return int(result.rowcount or 0)


_UPGRADE_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _upgrade_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _UPGRADE_LOCKS.get(loop)
    if lock is None:
        lock = _UPGRADE_LOCKS[loop] = asyncio.Lock()
    return lock


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the writer; busy_timeout waits instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
