"""Reads and writes of the chat-feed tables: feeds, the items each has shown, filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update

from adapters.base import ChannelRef
from bot.storage.delivery_store import dialect_insert, rowcount, write_guard
from bot.storage.schema import ChannelRow
from digests.filters import WordFilter

from .schema import ChatFeedItemRow, ChatFeedRow, FeedFilterRow

if TYPE_CHECKING:
    from bot.storage import Storage

SEEN, NEW, POSTED, FILTERED, LOST = "seen", "new", "posted", "filtered", "lost"


@dataclass(frozen=True, slots=True)
class ChatFeed:
    """A feed as the commands, the poller and ``newsbot status`` see it."""

    id: int
    url: str
    title: str
    channel_id: int | None
    channel: ChannelRef | None
    topics: tuple[str, ...] = ()
    paused: bool = False
    primed: bool = False
    added_by: str = ""
    created_at: datetime | None = None
    last_fetched: datetime | None = None
    last_ok: datetime | None = None
    last_new_item: datetime | None = None
    failures: int = 0
    failing_since: datetime | None = None
    last_error: str | None = None
    next_attempt: datetime | None = None
    notified: bool = False
    etag: str | None = None
    last_modified: str | None = None

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class StoredFilter:
    id: int
    channel_id: int
    feed_id: int | None
    filter: WordFilter


def _feed(row: ChatFeedRow, channel: ChannelRow | None) -> ChatFeed:
    return ChatFeed(
        id=row.id,
        url=row.url,
        title=row.title,
        channel_id=row.channel_id,
        channel=ChannelRef(channel.platform, channel.workspace, channel.channel)
        if channel is not None
        else None,
        topics=tuple(t for t in (row.topics or "").split("\n") if t),
        paused=bool(row.paused),
        primed=bool(row.primed),
        added_by=row.added_by,
        created_at=row.created_at,
        last_fetched=row.last_fetched,
        last_ok=row.last_ok,
        last_new_item=row.last_new_item,
        failures=row.failures or 0,
        failing_since=row.failing_since,
        last_error=row.last_error,
        next_attempt=row.next_attempt,
        notified=bool(row.notified),
        etag=row.etag,
        last_modified=row.last_modified,
    )


class FeedStore:
    """Chat feeds on the core's database (sessions and the SQLite write lock from it)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def _writing(self) -> Any:
        return write_guard(self.storage)

    async def _feeds(self, *where: Any) -> list[ChatFeed]:
        stmt = (
            select(ChatFeedRow, ChannelRow)
            .outerjoin(ChannelRow, ChannelRow.id == ChatFeedRow.channel_id)
            .where(*where)
            .order_by(ChatFeedRow.id)
        )
        async with self.storage.session() as session:
            return [_feed(f, c) for f, c in await session.execute(stmt)]

    # feeds ------------------------------------------------------------------------

    async def add(
        self,
        channel: ChannelRef | None,
        url: str,
        *,
        title: str = "",
        topics: Sequence[str] = (),
        added_by: str = "",
        now: datetime,
        item_ids: Iterable[str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> ChatFeed | None:
        """Store a feed; ``item_ids`` (what it holds now) are recorded as seen so only
        later items post. None when the channel already has this URL."""
        cid = await self.storage.channel_id(channel) if channel is not None else None
        values = {
            "platform": channel.platform if channel else "",
            "workspace": channel.workspace if channel else "",
            "channel_id": cid,
            "url": url,
            "title": title,
            "topics": "\n".join(topics),
            "added_by": added_by,
            "created_at": now,
            "primed": item_ids is not None,
            "last_fetched": now if item_ids is not None else None,
            "last_ok": now if item_ids is not None else None,
            "next_attempt": None,
            "etag": etag,
            "last_modified": last_modified,
        }
        if cid is None and await self._feeds(
            ChatFeedRow.channel_id.is_(None), ChatFeedRow.url == url
        ):
            return None  # (NULLs never clash in the unique key: check by hand)
        async with self._writing(), self.storage.session() as session, session.begin():
            new_id = await session.scalar(
                dialect_insert(self.storage, ChatFeedRow.__table__)
                .values(**values)
                .on_conflict_do_nothing()
                .returning(ChatFeedRow.__table__.c.id)
            )
            if new_id is None:
                return None
            ids = list(dict.fromkeys(item_ids or ()))
            if ids:
                await session.execute(
                    dialect_insert(self.storage, ChatFeedItemRow.__table__)
                    .values(
                        [
                            {"feed_id": new_id, "article_id": i, "state": SEEN, "first_seen": now}
                            for i in ids
                        ]
                    )
                    .on_conflict_do_nothing()
                )
        found = await self._feeds(ChatFeedRow.id == new_id)
        return found[0]

    async def count_in_workspace(self, platform: str, workspace: str) -> int:
        async with self.storage.session() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(ChatFeedRow)
                    .where(ChatFeedRow.platform == platform, ChatFeedRow.workspace == workspace)
                )
                or 0
            )

    async def for_channel(self, channel: ChannelRef) -> list[ChatFeed]:
        cid = await self.storage.channel_id(channel)
        return await self._feeds(ChatFeedRow.channel_id == cid)

    async def all(self) -> list[ChatFeed]:
        return await self._feeds()

    async def get(self, feed_id: int) -> ChatFeed | None:
        found = await self._feeds(ChatFeedRow.id == feed_id)
        return found[0] if found else None

    async def due(self, now: datetime) -> list[ChatFeed]:
        return await self._feeds(
            ChatFeedRow.paused.is_(False),
            (ChatFeedRow.next_attempt.is_(None)) | (ChatFeedRow.next_attempt <= now),
        )

    async def remove(self, feed_id: int) -> bool:
        async with self._writing(), self.storage.session() as session, session.begin():
            # by hand as well as by cascade: SQLite enforces foreign keys only when asked
            await session.execute(delete(ChatFeedItemRow).where(ChatFeedItemRow.feed_id == feed_id))
            await session.execute(delete(FeedFilterRow).where(FeedFilterRow.feed_id == feed_id))
            gone = await session.execute(delete(ChatFeedRow).where(ChatFeedRow.id == feed_id))
            return rowcount(gone) > 0

    async def update(self, feed_id: int, **values: Any) -> None:
        async with self._writing(), self.storage.session() as session, session.begin():
            await session.execute(
                update(ChatFeedRow).where(ChatFeedRow.id == feed_id).values(**values)
            )

    # items ------------------------------------------------------------------------

    async def known_items(self, feed_id: int) -> set[str]:
        async with self.storage.session() as session:
            return set(
                await session.scalars(
                    select(ChatFeedItemRow.article_id).where(ChatFeedItemRow.feed_id == feed_id)
                )
            )

    async def add_items(self, feed_id: int, states: dict[str, str], now: datetime) -> None:
        if not states:
            return
        async with self._writing(), self.storage.session() as session, session.begin():
            await session.execute(
                dialect_insert(self.storage, ChatFeedItemRow.__table__)
                .values(
                    [
                        {"feed_id": feed_id, "article_id": aid, "state": st, "first_seen": now}
                        for aid, st in states.items()
                    ]
                )
                .on_conflict_do_nothing()
            )

    async def pending(self) -> list[tuple[int, str, datetime]]:
        """(feed id, article id, first seen) of items waiting to be posted."""
        async with self.storage.session() as session:
            rows = await session.execute(
                select(
                    ChatFeedItemRow.feed_id, ChatFeedItemRow.article_id, ChatFeedItemRow.first_seen
                ).where(ChatFeedItemRow.state == NEW)
            )
            return [(r[0], r[1], r[2]) for r in rows]

    async def set_item_state(self, feed_id: int, article_id: str, state: str) -> None:
        async with self._writing(), self.storage.session() as session, session.begin():
            await session.execute(
                update(ChatFeedItemRow)
                .where(ChatFeedItemRow.feed_id == feed_id, ChatFeedItemRow.article_id == article_id)
                .values(state=state)
            )

    async def forget_items(self, feed_id: int, keep: Iterable[str], before: datetime) -> int:
        """Drop settled items the feed no longer holds, seen before ``before`` (memory
        stays bounded; an old item that reappears cannot post twice anyway: the outbox
        keeps one alert per channel and story)."""
        async with self._writing(), self.storage.session() as session, session.begin():
            return rowcount(
                await session.execute(
                    delete(ChatFeedItemRow).where(
                        ChatFeedItemRow.feed_id == feed_id,
                        ChatFeedItemRow.state != NEW,
                        ChatFeedItemRow.first_seen < before,
                        ChatFeedItemRow.article_id.not_in(list(keep)),
                    )
                )
            )

    # filters ----------------------------------------------------------------------

    async def add_filter(
        self, channel: ChannelRef, mode: str, phrase: str, *, feed_id: int | None, now: datetime
    ) -> None:
        cid = await self.storage.channel_id(channel)
        async with self._writing(), self.storage.session() as session, session.begin():
            session.add(
                FeedFilterRow(
                    channel_id=cid, feed_id=feed_id, mode=mode, phrase=phrase, created_at=now
                )
            )

    async def filters(self, channel_id: int) -> list[StoredFilter]:
        async with self.storage.session() as session:
            rows = await session.scalars(
                select(FeedFilterRow)
                .where(FeedFilterRow.channel_id == channel_id)
                .order_by(FeedFilterRow.id)
            )
            return [
                StoredFilter(r.id, r.channel_id, r.feed_id, WordFilter(r.mode, r.phrase))
                for r in rows
            ]

    async def remove_filter(self, filter_id: int) -> bool:
        async with self._writing(), self.storage.session() as session, session.begin():
            return (
                rowcount(
                    await session.execute(
                        delete(FeedFilterRow).where(FeedFilterRow.id == filter_id)
                    )
                )
                > 0
            )
