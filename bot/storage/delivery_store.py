"""Reads and writes of the delivery tables other than the outbox itself: each channel's
schedule and alert settings, and the poller's source status.

Kept apart from the core's ``Storage`` (which it uses for sessions and channel ids)
so delivery can change its tables without touching the core's code.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, exists, false, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from adapters.base import ChannelRef

from .delivery_schema import ArticleSeenRow, ChannelDeliveryRow, SourceStatusRow
from .schema import ArticleRow, ChannelRow, utcnow
from .sources import SourceStatus

if TYPE_CHECKING:
    from .store import Storage


@dataclass(frozen=True, slots=True)
class ChannelDelivery:
    """A channel's delivery settings (defaults when it never set any)."""

    channel_id: int
    channel: ChannelRef
    schedule: str = "off"
    schedule_since: datetime | None = None
    quiet_day: bool = False
    last_slot: datetime | None = None
    alerts_on: bool = False
    alert_topics: tuple[str, ...] = ()
    alerts_since: datetime | None = None
    timezone: str | None = None  # the core's per-channel timezone, if set


def _lines(value: str | None) -> tuple[str, ...]:
    return tuple(t for t in (value or "").split("\n") if t)


def write_guard(storage: Storage) -> contextlib.AbstractAsyncContextManager[Any]:
    """What a delivery write runs under: nothing on PostgreSQL (row locks and unique keys
    do the work); on SQLite the core's single-writer lock, so our writes queue behind its
    own instead of busy-waiting on the database file."""
    if storage.dialect == "postgresql":
        return contextlib.nullcontext()
    return storage.write_lock


def rowcount(result: Any) -> int:
    """Rows an UPDATE/INSERT … ON CONFLICT touched (``CursorResult``; typed loosely upstream)."""
    return int(getattr(result, "rowcount", 0) or 0)


def dialect_insert(storage: Storage, table: Any) -> Any:
    """``INSERT`` with ``ON CONFLICT`` support for the storage's database."""
    return (postgresql.insert if storage.dialect == "postgresql" else sqlite.insert)(table)


class DeliveryStore:
    """Channel delivery settings, articles' first-seen times and source status on the
    core's database."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    def _writing(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return write_guard(self.storage)

    def _insert(self, table: Any) -> Any:
        return dialect_insert(self.storage, table)

    # channel settings --------------------------------------------------------------

    async def _upsert(self, channel_id: int, values: dict[str, Any]) -> None:
        values = {**values, "updated_at": utcnow()}
        async with self._writing(), self.storage.session() as session, session.begin():
            await session.execute(
                self._insert(ChannelDeliveryRow.__table__)
                .values(channel_id=channel_id, **values)
                .on_conflict_do_update(index_elements=["channel_id"], set_=values)
            )

    async def get(self, channel: ChannelRef) -> ChannelDelivery:
        cid = await self.storage.channel_id(channel)
        for found in await self.channels(ids=[cid]):
            return found
        return ChannelDelivery(cid, channel)

    async def channels(self, *, ids: Iterable[int] | None = None) -> list[ChannelDelivery]:
        """Every channel that has delivery settings (or just ``ids``)."""
        stmt = select(ChannelDeliveryRow, ChannelRow).join(
            ChannelRow, ChannelRow.id == ChannelDeliveryRow.channel_id
        )
        if ids is not None:
            stmt = stmt.where(ChannelDeliveryRow.channel_id.in_(list(ids)))
        async with self.storage.session() as session:
            return [
                ChannelDelivery(
                    channel_id=d.channel_id,
                    channel=ChannelRef(c.platform, c.workspace, c.channel),
                    schedule=d.schedule,
                    schedule_since=d.schedule_since,
                    quiet_day=bool(d.quiet_day),
                    last_slot=d.last_slot,
                    alerts_on=bool(d.alerts_on),
                    alert_topics=_lines(d.alert_topics),
                    alerts_since=d.alerts_since,
                    timezone=c.timezone,
                )
                for d, c in await session.execute(stmt.order_by(ChannelDeliveryRow.channel_id))
            ]

    async def set_schedule(self, channel: ChannelRef, spec: str, *, since: datetime) -> None:
        """A new schedule starts from ``since``: no digests for slots before it."""
        cid = await self.storage.channel_id(channel)
        await self._upsert(cid, {"schedule": spec, "schedule_since": since})

    async def set_quiet_day(self, channel: ChannelRef, on: bool) -> None:
        await self._upsert(await self.storage.channel_id(channel), {"quiet_day": on})

    async def set_alerts(
        self, channel: ChannelRef, on: bool, topics: Iterable[str], *, since: datetime
    ) -> None:
        cid = await self.storage.channel_id(channel)
        await self._upsert(
            cid, {"alerts_on": on, "alert_topics": "\n".join(topics), "alerts_since": since}
        )

    async def advance_slot(self, channel_id: int, slot: datetime) -> bool:
        """Record that ``slot`` was decided; False if this or a later slot already was
        (another process got there first)."""
        async with self._writing(), self.storage.session() as session, session.begin():
            res = await session.execute(
                update(ChannelDeliveryRow)
                .where(
                    ChannelDeliveryRow.channel_id == channel_id,
                    or_(
                        ChannelDeliveryRow.last_slot.is_(None), ChannelDeliveryRow.last_slot < slot
                    ),
                )
                .values(last_slot=slot, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            return rowcount(res) == 1

    # sources -----------------------------------------------------------------------

    async def save_sources(self, statuses: Iterable[SourceStatus], *, prune: bool = True) -> None:
        """Replace the stored source status with the poller's current view."""
        rows = [
            {
                "source": s.source,
                "kind": s.kind,
                "last_scan": s.last_scan,
                "last_ok": s.last_ok,
                "failures": s.failures,
                "last_error": s.last_error,
                "next_attempt": s.next_attempt,
                "items": s.items,
                "updated_at": utcnow(),
            }
            for s in statuses
        ]
        async with self._writing(), self.storage.session() as session, session.begin():
            if prune:
                await session.execute(
                    delete(SourceStatusRow).where(
                        SourceStatusRow.source.not_in([r["source"] for r in rows])
                    )
                )
            for row in rows:
                stmt = self._insert(SourceStatusRow.__table__).values(**row)
                await session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["source"],
                        set_={k: v for k, v in row.items() if k != "source"},
                    )
                )

    async def sources(self) -> list[SourceStatus]:
        async with self.storage.session() as session:
            rows = (
                await session.scalars(select(SourceStatusRow).order_by(SourceStatusRow.source))
            ).all()
        return [
            SourceStatus(
                r.source,
                r.kind,
                r.last_scan,
                r.last_ok,
                r.failures,
                r.last_error,
                r.next_attempt,
                r.items,
            )
            for r in rows
        ]

    async def article_ids_for_paths(self, paths: Iterable[str]) -> list[str]:
        """Stored articles read from these files (to forget them when the files go)."""
        paths = list(paths)
        if not paths:
            return []
        async with self.storage.session() as session:
            return list(
                await session.scalars(select(ArticleRow.id).where(ArticleRow.path.in_(paths)))
            )

    async def article_paths(self) -> dict[str, list[str]]:
        """Every file path stored articles were read from → their ids."""
        out: dict[str, list[str]] = {}
        async with self.storage.session() as session:
            for aid, path in await session.execute(
                select(ArticleRow.id, ArticleRow.path).where(ArticleRow.path.is_not(None))
            ):
                if path:
                    out.setdefault(path, []).append(aid)
        return out

    # first seen --------------------------------------------------------------------

    async def mark_seen(self, now: datetime) -> int:
        """Record ``now`` as the first-seen time of every stored article without one
        (whoever stored it: this poller, the start-up ingest, another process).
        Returns how many were new."""
        seen = ArticleSeenRow.__table__
        unseen = (
            select(ArticleRow.id, literal(now, ArticleSeenRow.first_seen.type), false())
            .where(~exists().where(ArticleSeenRow.article_id == ArticleRow.id))
            .order_by(ArticleRow.id)  # one lock order for every process (PostgreSQL)
        )
        async with self._writing(), self.storage.session() as session, session.begin():
            res = await session.execute(
                self._insert(seen)
                .from_select(["article_id", "first_seen", "alerts_done"], unseen)
                .on_conflict_do_nothing(index_elements=["article_id"])
            )
            return rowcount(res)

    async def alerts_pending(self) -> dict[str, datetime]:
        """Stored articles whose alerts are not queued yet → their first-seen time."""
        async with self.storage.session() as session:
            rows = await session.execute(
                select(ArticleSeenRow.article_id, ArticleSeenRow.first_seen)
                .join(ArticleRow, ArticleRow.id == ArticleSeenRow.article_id)
                .where(ArticleSeenRow.alerts_done.is_(false()))
            )
            return {aid: first for aid, first in rows}

    async def alerts_done(self, article_ids: Iterable[str]) -> None:
        """Their alerts are queued: never look at them for alerts again."""
        ids = sorted(set(article_ids))  # one lock order for every process (PostgreSQL)
        async with self._writing(), self.storage.session() as session, session.begin():
            for i in range(0, len(ids), 500):
                await session.execute(
                    update(ArticleSeenRow)
                    .where(ArticleSeenRow.article_id.in_(ids[i : i + 500]))
                    .values(alerts_done=true())
                    .execution_options(synchronize_session=False)
                )

    async def seen_since(self, since: datetime) -> set[str]:
        """Ids of articles the bot first had at or after ``since``."""
        async with self.storage.session() as session:
            return set(
                await session.scalars(
                    select(ArticleSeenRow.article_id).where(ArticleSeenRow.first_seen >= since)
                )
            )
