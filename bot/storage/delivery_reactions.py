"""Reactions that arrive before the bot has recorded the message they are on.

A platform sends a reaction the moment a person adds it, and that can be before the
send that posted the message has returned its id to us: discord.py waits out an
exhausted rate-limit bucket (up to several seconds) before returning the 5th message
of a burst, and Slack's ``reaction_added`` can overtake ``chat.postMessage``'s answer.
Such a reaction is *held* here — in the database, so another process recording the
message can apply it, and a restart does not lose it — and applied as soon as the
message is recorded.

Bounded: a held reaction expires after :data:`HOLD_FOR` (a message that is not ours,
or a send that never returned), and at most :data:`MAX_HELD` are held at once (more
are dropped and logged). Idempotent: one row per (channel, message, person, emoji)
holds the latest state; applying removes the row in the same transaction that adds
(or removes) the reaction, so a second apply — by this process or another — finds
nothing to do; a retried platform event is recognised by its event id, recorded when
the reaction is first held.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, exists, func, select

from adapters.base import ChannelRef, PostedMessage, ReactionEvent

from .delivery_schema import HeldReactionRow
from .delivery_store import dialect_insert, rowcount, write_guard
from .schema import PostedMessageRow, ProcessedEventRow, ReactionRow, utcnow

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from .store import Storage

log = logging.getLogger(__name__)

HOLD_FOR = timedelta(minutes=10)  # far longer than any rate-limit wait before a send returns
MAX_HELD = 10_000  # held at once, whole database: a flood of reactions on foreign messages


class HeldReactions:
    """Hold, apply and expire early reactions on the core's :class:`~bot.storage.Storage`."""

    def __init__(
        self,
        storage: Storage,
        *,
        hold_for: timedelta = HOLD_FOR,
        limit: int = MAX_HELD,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.storage = storage
        self.hold_for = hold_for
        self.limit = limit
        self.clock = clock  # real time: holds are about platform events, not schedule slots

    async def lookup(self, ref: ChannelRef, message_id: str) -> tuple[bool, str | None]:
        """(recorded?, story id) of a message: (True, None) is a digest header of ours,
        (False, None) a message not recorded (yet)."""
        cid = await self.storage.channel_id(ref)
        async with self.storage.session() as session:
            row = (
                await session.execute(
                    select(PostedMessageRow.story_id).where(
                        PostedMessageRow.channel_id == cid,
                        PostedMessageRow.message_id == message_id,
                    )
                )
            ).first()
        return (row is not None, row[0] if row is not None else None)

    async def hold(self, event: ReactionEvent, emoji: str) -> bool:
        """Keep ``event`` (with ``emoji`` already normalised) until its message is recorded.
        False when it is a retry of an event already taken, or the hold is full."""
        now = self.clock()
        cid = await self.storage.channel_id(event.channel)
        table = HeldReactionRow.__table__
        async with write_guard(self.storage), self.storage.session() as session:
            async with session.begin():
                if event.event_id is not None:
                    marked = await session.execute(
                        dialect_insert(self.storage, ProcessedEventRow.__table__)
                        .values(
                            platform=event.channel.platform,
                            event_id=event.event_id,
                            processed_at=now,
                        )
                        .on_conflict_do_nothing(index_elements=["platform", "event_id"])
                    )
                    if rowcount(marked) == 0:
                        return False
                await session.execute(
                    delete(HeldReactionRow).where(HeldReactionRow.expires_at <= now)
                )
                held = await session.scalar(select(func.count()).select_from(HeldReactionRow))
                if (held or 0) >= self.limit:
                    log.warning(
                        "dropping a reaction on message %s in %s: %d reactions are already "
                        "waiting for their messages to be recorded",
                        event.message_id,
                        event.channel,
                        held,
                    )
                    return False
                values = {
                    "added": event.added,
                    "received_at": now,
                    "expires_at": now + self.hold_for,
                }
                await session.execute(
                    dialect_insert(self.storage, table)
                    .values(
                        channel_id=cid,
                        message_id=event.message_id,
                        user_id=event.user_id,
                        emoji=emoji,
                        **values,
                    )
                    .on_conflict_do_update(
                        index_elements=["channel_id", "message_id", "user_id", "emoji"], set_=values
                    )
                )
        return True

    async def release(self, messages: Iterable[PostedMessage] | None = None) -> int:
        """Apply held reactions whose message is recorded now (only those on ``messages``, or
        all); returns how many changed a reaction. Safe to call from several processes at
        once: each held row is applied by whoever deletes it."""
        joined = and_(
            PostedMessageRow.channel_id == HeldReactionRow.channel_id,
            PostedMessageRow.message_id == HeldReactionRow.message_id,
        )
        where: list[Any] = []
        if messages is not None:
            wanted = list(messages)
            if not wanted:
                return 0
            cids = {await self.storage.channel_id(m.channel) for m in wanted}
            where = [
                HeldReactionRow.channel_id.in_(cids),
                HeldReactionRow.message_id.in_({m.message_id for m in wanted}),
            ]
        # a cheap read first: almost always there is nothing held
        async with self.storage.session() as session:
            if not await session.scalar(select(exists().where(joined, *where))):
                return 0
        stmt = (
            select(HeldReactionRow, PostedMessageRow.story_id)
            .join(PostedMessageRow, joined)
            .where(*where)
            .order_by(HeldReactionRow.id)
        )
        if self.storage.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=HeldReactionRow)
        changed = 0
        async with write_guard(self.storage), self.storage.session() as session:
            async with session.begin():
                for held, story_id in (await session.execute(stmt)).all():
                    gone = await session.execute(
                        delete(HeldReactionRow)
                        .where(HeldReactionRow.id == held.id)
                        .execution_options(synchronize_session=False)
                    )
                    if rowcount(gone) != 1 or story_id is None:
                        continue  # applied by another process, or a header (not feedback)
                    changed += await self._apply(session, held, story_id)
        return changed

    async def release_after_posting(self, messages: Iterable[PostedMessage]) -> int:
        """:meth:`release` for messages just recorded, from a send in progress: a failure is
        logged, not raised (the send must go on; the delivery loop's sweep applies them)."""
        try:
            return await self.release(messages)
        except Exception:
            log.exception("could not apply held reactions now; the delivery loop retries")
            return 0

    async def _apply(self, session: AsyncSession, held: HeldReactionRow, story_id: str) -> int:
        if held.added:
            res = await session.execute(
                dialect_insert(self.storage, ReactionRow.__table__)
                .values(
                    channel_id=held.channel_id,
                    story_id=story_id,
                    user_id=held.user_id,
                    emoji=held.emoji,
                    created_at=held.received_at,
                )
                .on_conflict_do_nothing(
                    index_elements=["channel_id", "story_id", "user_id", "emoji"]
                )
            )
        else:
            res = await session.execute(
                delete(ReactionRow).where(
                    ReactionRow.channel_id == held.channel_id,
                    ReactionRow.story_id == story_id,
                    ReactionRow.user_id == held.user_id,
                    ReactionRow.emoji == held.emoji,
                )
            )
        return rowcount(res)

    async def expire(self) -> int:
        """Drop held reactions whose message never got recorded in time; returns how many."""
        async with self.storage.session() as session:
            if not await session.scalar(
                select(exists().where(HeldReactionRow.expires_at <= self.clock()))
            ):
                return 0
        async with write_guard(self.storage), self.storage.session() as session:
            async with session.begin():
                res = await session.execute(
                    delete(HeldReactionRow).where(HeldReactionRow.expires_at <= self.clock())
                )
        return rowcount(res)

    async def count(self) -> int:
        async with self.storage.session() as session:
            return int(await session.scalar(select(func.count()).select_from(HeldReactionRow)) or 0)
