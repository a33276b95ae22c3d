"""The delivery outbox: every scheduled digest and alert is a row, posted exactly once.

Why rows: a crash, a restart or a second bot process must never post a digest
twice or lose one. So

* a delivery is inserted under a unique key — (channel, slot) for a digest,
  (channel, story) for an alert — and inserting it again does nothing;
* it is *claimed* before it is sent: on PostgreSQL with ``SELECT … FOR UPDATE
  SKIP LOCKED`` (several workers share the queue without waiting on each other),
  on SQLite through a single-writer path (our write lock plus a compare-and-set
  ``UPDATE … WHERE status …``, so even two processes cannot both win a row);
* a claim carries its owner's instance id (``claimed_by``: host:pid:random, new at
  every start) and a short lease (``lease_until``, :data:`DEFAULT_LEASE`), renewed by a
  heartbeat every quarter lease while the owner runs: when its process dies the lease
  runs out within one lease and a restarted process (or another worker) takes the row
  over; a process never takes over its own claims (they are in flight in it);
* claims are taken a few at a time (:data:`CLAIM_BATCH`), more as sends finish or after a
  short pause, so several processes share even a small fan-out;
* the adapter is called with ``idempotency_key=delivery.key``, stable across
  retries and takeovers, so a platform with idempotent posts (Discord's nonce,
  our recording fakes) shows a re-sent delivery once; ``first_attempt=True``
  when the row was never claimed before, so an adapter that must search for an
  earlier copy (Slack) only does so after a retry or a takeover;
* every part of a delivery (header, each story) is recorded the moment the
  platform accepts it (``on_posted``), and recording it renews the lease, so a long
  paced digest (Slack's 1 message/s/channel, a long 429) keeps its claim however
  long it takes while it makes progress; the renewal is a compare-and-set on
  (``claimed_by``, ``attempts``) — the claim's token — so a worker whose lease
  really ran out and was taken over learns it at its next part and stops
  (:class:`LeaseLost`) instead of racing the new owner through the rest;
* a retry or takeover passes the parts already recorded as ``skip_parts``, so a digest that died half-way is finished,
  not repeated, even where the platform has no idempotency of its own (or its
  window, like Discord's nonce, has passed); a delivery whose parts are all
  recorded is settled as sent without calling the adapter again;
* the platform's message ids are recorded when sent; transient ``DeliveryError``s
  are retried with back-off, permanent ones (and giving up) mark the row
  ``failed`` with the reason, for ``/news why`` and ``newsbot status``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.base import ChannelRef, DeliveryError, PostedMessage

from . import metrics
from .schedule import slot_key
from .storage.delivery_reactions import HeldReactions
from .storage.delivery_schema import (
    CLAIMED,
    FAILED,
    PENDING,
    SENT,
    DeliveredStoryRow,
    DeliveryRow,
)
from .storage.delivery_store import dialect_insert, rowcount, write_guard
from .storage.schema import ChannelRow, PostedMessageRow

if TYPE_CHECKING:
    from .storage import Storage

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sender = Callable[["Delivery"], Awaitable[list[PostedMessage]]]
MAX_RETRY_WAIT = timedelta(hours=1)
DEFAULT_LEASE = timedelta(seconds=20)  # a dead owner's claims are free this long after it died
CLAIM_BATCH = 4  # claims per round: small, so two processes share a 10-channel fan-out
CLAIM_PAUSE = 0.5  # seconds between full claim rounds while nothing has finished


def digest_key(channel_id: int, slot: datetime) -> str:
    return f"digest:{channel_id}:{slot_key(slot)}"


def manual_digest_key(channel_id: int, asked_at: datetime) -> str:
    """``/news digest``'s key: its own namespace (never a scheduled slot's), unique per request."""
    return (
        f"digest:{channel_id}:manual:{asked_at.astimezone(UTC).isoformat()}:{uuid.uuid4().hex[:8]}"
    )


def alert_key(channel_id: int, story_id: str) -> str:
    return f"alert:{channel_id}:{story_id}"


def default_worker_id() -> str:
    """Unique per process start, readable in ``newsbot status``: host:pid:random."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class LeaseLost(Exception):
    """Our claim on a delivery ended (its lease ran out and another worker took it over)
    while we were still sending: stop, and leave the row to its new owner."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """A claimed (or listed) outbox row, with its channel resolved."""

    id: int
    key: str
    kind: str
    channel_id: int
    channel: ChannelRef
    slot: datetime | None
    story_id: str | None
    story_ids: tuple[str, ...]
    title: str
    period_start: datetime | None
    status: str
    attempts: int
    error: str | None = None
    message_ids: tuple[str, ...] = ()
    created_at: datetime | None = None
    sent_at: datetime | None = None
    next_attempt_at: datetime | None = None

    @property
    def first_attempt(self) -> bool:
        """Never claimed before this claim: no earlier try (or dead process) can have posted
        it, so an adapter may skip looking for an earlier copy (Slack's history look-up)."""
        return self.attempts == 1


@dataclass(slots=True)
class OutboxReport:
    """What one :meth:`Outbox.run` did."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # taken over by another worker mid-send

    @property
    def claimed(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed) + len(self.lost)


async def _release_stories(session: AsyncSession, delivery_id: int, key: str) -> None:
    """A delivery that finally failed did not show (all of) its stories: forget that the
    channel has those it never posted, so the next digest can carry them instead of
    losing them; stories whose part was posted before the failure stay delivered."""
    shown = select(PostedMessageRow.story_id).where(
        PostedMessageRow.delivery_key == key, PostedMessageRow.story_id.is_not(None)
    )
    await session.execute(
        delete(DeliveredStoryRow).where(
            DeliveredStoryRow.delivery_id == delivery_id, DeliveredStoryRow.story_id.not_in(shown)
        )
    )


def _row_to_delivery(row: DeliveryRow, channel: ChannelRow) -> Delivery:
    return Delivery(
        id=row.id,
        key=row.key,
        kind=row.kind,
        channel_id=row.channel_id,
        channel=ChannelRef(channel.platform, channel.workspace, channel.channel),
        slot=row.slot,
        story_id=row.story_id,
        story_ids=tuple(orjson.loads(row.story_ids or "[]")),
        title=row.title or "",
        period_start=row.period_start,
        status=row.status,
        attempts=row.attempts,
        error=row.error,
        message_ids=tuple(orjson.loads(row.message_ids)) if row.message_ids else (),
        created_at=row.created_at,
        sent_at=row.sent_at,
        next_attempt_at=row.next_attempt_at,
    )


class Outbox:
    """Enqueue, claim, and settle deliveries on the core's :class:`~bot.storage.Storage`."""

    def __init__(
        self,
        storage: Storage,
        *,
        clock: Clock,
        worker_id: str | None = None,
        lease: timedelta = DEFAULT_LEASE,
        heartbeat: float | None = None,
        batch: int = CLAIM_BATCH,
        claim_pause: float = CLAIM_PAUSE,
        max_attempts: int = 6,
        retry_base: timedelta = timedelta(seconds=30),
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.worker_id = worker_id or default_worker_id()
        self.lease = lease
        # real seconds between lease renewals while sending: a quarter lease, so a renewal
        # delayed by a slow database or a busy event loop still lands in time
        self.heartbeat_every = heartbeat or max(0.5, lease.total_seconds() / 4)
        self.batch = batch
        self.claim_pause = claim_pause
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.postgres = storage.dialect == "postgresql"
        self.held_reactions = HeldReactions(storage)

    def _writing(self) -> contextlib.AbstractAsyncContextManager[Any]:
        return write_guard(self.storage)

    def _insert(self, table: Any) -> Any:
        return dialect_insert(self.storage, table)

    # enqueue -----------------------------------------------------------------------

    async def _add(self, values: dict[str, Any], story_ids: Sequence[str]) -> bool:
        """Insert the delivery and claim its stories for the channel, in one transaction.

        A story another delivery already claimed (an alert queued by another process
        while this one built its digest) is dropped from this one; a delivery left
        with none of the stories it was about is not queued at all. So an alerted
        story is never repeated in a digest, and vice versa, under any interleaving.
        """
        now = self.clock()
        wanted = list(dict.fromkeys(story_ids))
        row = {
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
            "story_ids": orjson.dumps(wanted).decode(),
            **values,
        }
        async with self._writing(), self.storage.session() as session:
            async with session.begin():
                new_id = await session.scalar(
                    self._insert(DeliveryRow.__table__)
                    .values(**row)
                    .on_conflict_do_nothing()
                    .returning(DeliveryRow.__table__.c.id)
                )
                if new_id is None:
                    return False
                if not wanted:
                    return True
                got = set(
                    await session.scalars(
                        self._insert(DeliveredStoryRow.__table__)
                        .values(
                            [
                                {
                                    "channel_id": values["channel_id"],
                                    "story_id": sid,
                                    "delivery_id": new_id,
                                    "created_at": now,
                                }
                                for sid in sorted(wanted)
                            ]
                        )  # one lock order
                        .on_conflict_do_nothing()
                        .returning(DeliveredStoryRow.__table__.c.story_id)
                    )
                )
                kept = [sid for sid in wanted if sid in got]
                if kept == wanted:
                    return True
                if kept:
                    await session.execute(
                        update(DeliveryRow)
                        .where(DeliveryRow.id == new_id)
                        .values(story_ids=orjson.dumps(kept).decode())
                        .execution_options(synchronize_session=False)
                    )
                    return True
                await session.rollback()
                return False

    async def add_digest(
        self,
        channel_id: int,
        slot: datetime,
        story_ids: Sequence[str],
        *,
        title: str,
        period_start: datetime | None = None,
    ) -> bool:
        """Queue the digest for (channel, slot); False when that slot already has one."""
        return await self._add(
            {
                "key": digest_key(channel_id, slot),
                "kind": "digest",
                "channel_id": channel_id,
                "slot": slot,
                "title": title,
                "period_start": period_start,
            },
            story_ids,
        )

    async def add_manual_digest(
        self,
        channel_id: int,
        story_ids: Sequence[str],
        *,
        title: str,
        period_start: datetime | None = None,
    ) -> str | None:
        """Queue a digest someone asked for now (``/news digest``): a row like a scheduled
        one (kind ``manual``, no slot: ``created_at`` says when it was asked for), so a
        crash mid-post is finished by the delivery loop like any other. Returns its key;
        None when another delivery took every one of its stories first."""
        key = manual_digest_key(channel_id, self.clock())
        queued = await self._add(
            {
                "key": key,
                "kind": "manual",
                "channel_id": channel_id,
                "slot": None,
                "title": title,
                "period_start": period_start,
            },
            story_ids,
        )
        return key if queued else None

    async def add_alert(self, channel_id: int, story_id: str, *, title: str = "") -> bool:
        """Queue an alert for (channel, story); False when the channel already had it."""
        return await self._add(
            {
                "key": alert_key(channel_id, story_id),
                "kind": "alert",
                "channel_id": channel_id,
                "story_id": story_id,
                "title": title,
            },
            [story_id],
        )

    async def add_notice(self, channel_id: int, key: str, text: str) -> bool:
        """Queue a one-line notice to the channel (a header without stories, e.g. "your feed
        keeps failing"), once per ``key``; False when that key was queued before."""
        return await self._add(
            {
                "key": f"notice:{channel_id}:{key}"[:255],
                "kind": "notice",
                "channel_id": channel_id,
                "title": text,
            },
            [],
        )

    async def delivered_story_ids(self, channel_id: int) -> set[str]:
        """Stories this channel was given (or is about to be) by a digest or an alert."""
        async with self.storage.session() as session:
            rows = await session.scalars(
                select(DeliveredStoryRow.story_id).where(DeliveredStoryRow.channel_id == channel_id)
            )
            return set(rows)

    # claim -------------------------------------------------------------------------

    def _claimable(self, now: datetime) -> Any:
        return or_(
            and_(DeliveryRow.status == PENDING, DeliveryRow.next_attempt_at <= now),
            and_(
                DeliveryRow.status == CLAIMED,
                DeliveryRow.lease_until < now,
                # ours are being sent by this process right now (a renewal ran late)
                or_(DeliveryRow.claimed_by.is_(None), DeliveryRow.claimed_by != self.worker_id),
            ),
        )

    async def claim(
        self,
        *,
        platforms: Iterable[str] | None = None,
        limit: int | None = None,
        key: str | None = None,
    ) -> list[Delivery]:
        """Claim up to ``limit`` (default: the batch size) due deliveries for channels on
        ``platforms`` (None = any), or just the one with ``key``.

        A row claimed by a dead worker (lease expired) is taken over; one that has
        already used up its attempts is marked failed instead of being tried again.
        """
        now = self.clock()
        due = self._claimable(now)
        stmt = (
            select(DeliveryRow.id, DeliveryRow.attempts, DeliveryRow.key)
            .where(due)
            .order_by(DeliveryRow.id)
            .limit(self.batch if limit is None else limit)
        )
        if key is not None:
            stmt = stmt.where(DeliveryRow.key == key)
        if platforms is not None:
            stmt = stmt.join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id).where(
                ChannelRow.platform.in_(list(platforms))
            )
        if self.postgres:
            stmt = stmt.with_for_update(skip_locked=True, of=DeliveryRow)
        claim_values = {
            "status": CLAIMED,
            "claimed_by": self.worker_id,
            "lease_until": now + self.lease,
            "attempts": DeliveryRow.attempts + 1,
        }
        won: list[int] = []
        async with self._writing(), self.storage.session() as session, session.begin():
            candidates = (await session.execute(stmt)).all()
            for row_id, attempts, key in candidates:
                values: dict[str, Any] = claim_values
                if attempts >= self.max_attempts:
                    values = {
                        "status": FAILED,
                        "claimed_by": None,
                        "lease_until": None,
                        "error": f"gave up after {attempts} attempts (the sending process kept dying)",
                    }
                # compare-and-set: on SQLite another process may have won the row since
                # our SELECT; on PostgreSQL the row lock already guarantees it
                res = await session.execute(
                    update(DeliveryRow)
                    .where(DeliveryRow.id == row_id, due)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
                if rowcount(res) == 1 and values is claim_values:
                    won.append(row_id)
                elif rowcount(res) == 1:
                    await _release_stories(session, row_id, key)
            if not won:
                return []
            rows = await session.execute(
                select(DeliveryRow, ChannelRow)
                .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
                .where(DeliveryRow.id.in_(won))
                .order_by(DeliveryRow.id)
            )
            return [_row_to_delivery(d, c) for d, c in rows]

    # settle ------------------------------------------------------------------------

    def _held(self, delivery: Delivery) -> Any:
        """Our claim on ``delivery`` still stands: claimed, by us, by *this* claim (every
        claim counts an attempt, so a row we lost and re-claimed is a different claim)."""
        return and_(
            DeliveryRow.id == delivery.id,
            DeliveryRow.status == CLAIMED,
            DeliveryRow.claimed_by == self.worker_id,
            DeliveryRow.attempts == delivery.attempts,
        )

    async def renew(self, delivery: Delivery) -> bool:
        """Extend our lease to now + lease, if the claim is still ours (compare-and-set in
        the UPDATE itself); False when another worker has taken the row over."""
        async with self._writing(), self.storage.session() as session, session.begin():
            res = await session.execute(
                update(DeliveryRow)
                .where(self._held(delivery))
                .values(lease_until=self.clock() + self.lease)
                .execution_options(synchronize_session=False)
            )
        return rowcount(res) == 1

    async def heartbeat(self) -> int:
        """Renew the lease of every claim this process holds (one UPDATE); returns how many.
        Claims another worker has taken over are not ours any more and are left alone."""
        async with self._writing(), self.storage.session() as session, session.begin():
            res = await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.status == CLAIMED, DeliveryRow.claimed_by == self.worker_id)
                .values(lease_until=self.clock() + self.lease)
                .execution_options(synchronize_session=False)
            )
        return rowcount(res)

    async def _beat(self) -> None:
        """Heartbeat while :meth:`run` sends; a failed renewal is logged and tried again."""
        while True:
            await asyncio.sleep(self.heartbeat_every)
            try:
                await self.heartbeat()
            except Exception as exc:
                log.warning("could not renew delivery leases (%s); retrying", exc)

    async def next_due(self, *, platforms: Iterable[str] | None = None) -> datetime | None:
        """When something becomes claimable: the earliest retry, or the earliest lease of
        another worker's claim running out (a dead owner's claims are taken over then)."""
        pending = select(func.min(DeliveryRow.next_attempt_at)).where(DeliveryRow.status == PENDING)
        leased = select(func.min(DeliveryRow.lease_until)).where(
            DeliveryRow.status == CLAIMED, DeliveryRow.claimed_by != self.worker_id
        )
        if platforms is not None:
            mine = select(ChannelRow.id).where(ChannelRow.platform.in_(list(platforms)))
            pending = pending.where(DeliveryRow.channel_id.in_(mine))
            leased = leased.where(DeliveryRow.channel_id.in_(mine))
        async with self.storage.session() as session:
            times = [await session.scalar(pending), await session.scalar(leased)]
        found = [t for t in times if t is not None]
        return min(found) if found else None

    async def _settle(self, delivery: Delivery, values: dict[str, Any]) -> bool:
        async with self._writing(), self.storage.session() as session, session.begin():
            res = await session.execute(
                update(DeliveryRow)
                .where(self._held(delivery))
                .values(claimed_by=None, lease_until=None, **values)
                .execution_options(synchronize_session=False)
            )
            if rowcount(res) == 1 and values.get("status") == FAILED:
                await _release_stories(session, delivery.id, delivery.key)
        if rowcount(res) != 1:
            log.warning(
                "delivery %s was taken over by another worker before we settled it", delivery.key
            )
        return rowcount(res) == 1

    async def record_part(self, delivery: Delivery, message: PostedMessage) -> None:
        """Record one posted part now, in its own short transaction (the ``on_posted`` hook):
        a crash or a permanent error on a later part can no longer lose it. Progress renews
        the lease; raises :class:`LeaseLost` (after recording the part, which *is* on the
        platform) when another worker has taken the delivery over, so no more parts go out."""
        held = await self.renew(delivery)
        await self.storage.record_posted([message], delivery_key=delivery.key)
        await self.held_reactions.release_after_posting(
            [message]
        )  # people may have reacted already
        if not held:
            raise LeaseLost(
                f"delivery {delivery.key} was taken over by another worker while "
                f"{self.worker_id} was still sending it (part {message.part} posted)"
            )

    async def posted_parts(self, delivery: Delivery) -> list[PostedMessage]:
        """Parts of this delivery recorded so far (by any attempt, any process), by part."""
        return await self.storage.posted_parts(delivery.key)

    async def mark_sent(self, delivery: Delivery, messages: Sequence[PostedMessage]) -> bool:
        """Record the platform's message ids (reactions map through them) and mark it sent;
        ``message_ids`` lists every part, including those earlier attempts posted."""
        if messages:
            await self.storage.record_posted(messages, delivery_key=delivery.key)
            await self.held_reactions.release_after_posting(messages)
        every = await self.posted_parts(delivery) or list(messages)
        return await self._settle(
            delivery,
            {
                "status": SENT,
                "sent_at": self.clock(),
                "error": None,
                "message_ids": orjson.dumps([m.message_id for m in every]).decode(),
            },
        )

    def retry_wait(self, attempts: int, retry_after: float | None = None) -> timedelta:
        wait = self.retry_base * 2 ** max(0, attempts - 1)
        if retry_after is not None:
            wait = max(wait, timedelta(seconds=retry_after))
        return min(wait, MAX_RETRY_WAIT)

    async def mark_retry(
        self, delivery: Delivery, reason: str, *, retry_after: float | None = None
    ) -> bool:
        """A transient failure: try again after back-off, or give up after ``max_attempts``."""
        attempts = delivery.attempts  # the claim already counted this attempt
        if attempts >= self.max_attempts:
            await self.mark_failed(delivery, f"gave up after {attempts} attempts: {reason}")
            return False
        await self._settle(
            delivery,
            {
                "status": PENDING,
                "error": reason,
                "next_attempt_at": self.clock() + self.retry_wait(attempts, retry_after),
            },
        )
        return True

    async def mark_failed(self, delivery: Delivery, reason: str) -> None:
        """Give up on it, with the reason; its stories go back to the channel's next digest."""
        await self._settle(delivery, {"status": FAILED, "error": reason})

    # send --------------------------------------------------------------------------

    async def _send_one(self, d: Delivery, send: Sender, report: OutboxReport) -> None:
        """Send one claimed delivery and settle it: sent, retry later, failed, or lost to
        another worker (then settling is the new owner's)."""
        platform = d.channel.platform
        try:
            messages = await send(d)
        except LeaseLost as exc:
            log.warning("%s; stopped sending", exc)
            report.lost.append(d.key)
            metrics.delivery(platform, "lost")
            return
        except DeliveryError as exc:
            if exc.permanent:
                await self.mark_failed(d, exc.reason)
                report.failed.append(d.key)
                metrics.delivery(platform, "failed")
            elif await self.mark_retry(d, exc.reason, retry_after=exc.retry_after):
                report.retrying.append(d.key)
                metrics.delivery(platform, "retried")
            else:
                report.failed.append(d.key)
                metrics.delivery(platform, "failed")
            log.warning("delivery %s to %s failed: %s", d.key, d.channel, exc.reason)
            return
        except Exception as exc:  # a bug or an SDK surprise: retry, and say what it was
            log.exception("delivery %s to %s crashed", d.key, d.channel)
            reason = f"{type(exc).__name__}: {exc}"
            retried = await self.mark_retry(d, reason)
            (report.retrying if retried else report.failed).append(d.key)
            metrics.delivery(platform, "retried" if retried else "failed")
            return
        await self.mark_sent(d, messages)
        report.sent.append(d.key)
        metrics.delivery(platform, "sent")

    async def send_now(self, key: str, send: Sender) -> Delivery | None:
        """Claim the delivery ``key`` and send it at once, renewing its lease meanwhile (a
        manual digest: the person who asked waits for it). Returns the settled row, or None
        when it was not claimable (another worker has it)."""
        claimed = await self.claim(key=key, limit=1)
        if not claimed:
            return None
        beat = asyncio.create_task(self._beat())
        try:
            await self._send_one(claimed[0], send, OutboxReport())
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat
        return await self.get(key)

    async def get(self, key: str) -> Delivery | None:
        async with self.storage.session() as session:
            row = (
                await session.execute(
                    select(DeliveryRow, ChannelRow)
                    .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
                    .where(DeliveryRow.key == key)
                )
            ).first()
        return _row_to_delivery(*row) if row is not None else None

    async def run(
        self,
        send: Sender,
        *,
        platforms: Iterable[str] | None = None,
        limit: int | None = None,
        concurrency: int = 16,
    ) -> OutboxReport:
        """Claim due deliveries and send them, channels concurrently, until none is due;
        settle each one. Claims are taken ``limit`` (default: the batch size) at a time: a
        new round when a send finishes, or after :data:`CLAIM_PAUSE` when the last round
        was full — so another process draining the same outbox gets its share. While
        anything is claimed, a heartbeat renews the leases."""
        report = OutboxReport()
        batch = self.batch if limit is None else limit
        inflight: set[asyncio.Task[None]] = set()
        beat: asyncio.Task[None] | None = None
        try:
            while True:
                free = concurrency - len(inflight)
                want = min(batch, free)
                got = await self.claim(platforms=platforms, limit=want) if want > 0 else []
                if got and beat is None:
                    beat = asyncio.create_task(self._beat())
                inflight.update(asyncio.create_task(self._send_one(d, send, report)) for d in got)
                if not inflight:
                    return report
                # a full round: more may be due; look again soon even if nothing finished
                pause = self.claim_pause if got and len(got) == want else None
                done, inflight = await asyncio.wait(
                    inflight, timeout=pause, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    task.result()  # _send_one handles everything; a failure here is a bug
        except BaseException:
            for task in inflight:
                task.cancel()
            await asyncio.gather(*inflight, return_exceptions=True)
            raise
        finally:
            if beat is not None:
                beat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beat

    # reading -----------------------------------------------------------------------

    async def list(
        self,
        *,
        channel_id: int | None = None,
        status: str | None = None,
        kind: str | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        """Newest first, for ``/news why`` and ``newsbot status``."""
        stmt = select(DeliveryRow, ChannelRow).join(
            ChannelRow, ChannelRow.id == DeliveryRow.channel_id
        )
        if channel_id is not None:
            stmt = stmt.where(DeliveryRow.channel_id == channel_id)
        if status is not None:
            stmt = stmt.where(DeliveryRow.status == status)
        if kind is not None:
            stmt = stmt.where(DeliveryRow.kind == kind)
        stmt = stmt.order_by(DeliveryRow.id.desc()).limit(limit)
        async with self.storage.session() as session:
            return [_row_to_delivery(d, c) for d, c in await session.execute(stmt)]

    async def counts(self) -> dict[str, int]:
        async with self.storage.session() as session:
            rows = await session.execute(
                select(DeliveryRow.status, func.count()).group_by(DeliveryRow.status)
            )
            return {status: n for status, n in rows}


__all__ = [
    "CLAIMED",
    "FAILED",
    "PENDING",
    "SENT",
    "Delivery",
    "LeaseLost",
    "Outbox",
    "OutboxReport",
    "alert_key",
    "digest_key",
    "manual_digest_key",
]
