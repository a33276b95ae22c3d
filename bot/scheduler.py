"""The always-on delivery loop: poll sources, queue alerts and due digests, drain the outbox.

One :meth:`DeliveryLoop.tick` does everything once at the injected clock's "now",
so tests drive it step by step without sleeping; :meth:`DeliveryLoop.run` repeats
it until stopped. Several bot processes may run the loop on one PostgreSQL
database: queueing is idempotent (unique outbox keys) and sending is claimed.

Digests: a channel's due slot is the latest scheduled instant at or before now.
After downtime that is one slot however many were missed — one catch-up digest
covering everything since the channel's last digest, not a burst. A channel with
nothing new gets nothing, or a one-line "quiet day" header if it asked for that.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from adapters.base import Adapter, DeliveryError, PostedMessage
from digests.models import Digest, Story

from . import metrics
from .alerts import MAX_AGE, queue_alerts
from .outbox import Delivery, Outbox, OutboxReport
from .schedule import Schedule, ScheduleError, next_run, parse_schedule, previous_run
from .storage.delivery_store import ChannelDelivery, DeliveryStore

if TYPE_CHECKING:
    from .commands.context import CommandContext
    from .poller import Poller, PollResult

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
MAX_IDLE = 30.0  # seconds: the loop looks at the outbox (retries, other processes' rows) this often
MIN_WAKE = 0.5  # seconds: the soonest it looks again for a row that is due but was not claimed
EVENT_TTL = timedelta(days=7)  # platforms retry an event within minutes; older ids only take space
PRUNE_EVERY = timedelta(hours=1)


@dataclass(slots=True)
class TickReport:
    """What one tick did, for logs and tests."""

    articles_changed: int = 0
    articles_deleted: int = 0
    new_articles: int = 0
    alerts_queued: int = 0
    digests_queued: list[str] = field(default_factory=list)
    quiet_queued: list[str] = field(default_factory=list)
    outbox: OutboxReport = field(default_factory=OutboxReport)
    events_pruned: int = 0
    reactions_released: int = 0


def channel_schedule(cd: ChannelDelivery, default_tz: str) -> Schedule | None:
    """The channel's parsed schedule; None when off or unreadable (logged, not fatal)."""
    try:
        schedule = parse_schedule(cd.schedule, default_tz=cd.timezone or default_tz)
    except ScheduleError as exc:
        log.error("channel %s has an unusable schedule %r: %s", cd.channel, cd.schedule, exc)
        return None
    return None if schedule.off else schedule


def due_slot(schedule: Schedule, cd: ChannelDelivery, now: datetime) -> datetime | None:
    """The one slot to deliver now, or None: the latest slot ≤ now that is newer than both
    the last decided slot and the moment the schedule was set."""
    slot = previous_run(schedule, now)
    if slot is None:
        return None
    for floor in (cd.last_slot, cd.schedule_since):
        if floor is not None and slot <= floor:
            return None
    return slot


def period_start(schedule: Schedule, cd: ChannelDelivery, slot: datetime) -> datetime:
    """Where the digest's period begins: the channel's last digest slot (so a catch-up
    covers the whole downtime), else one schedule period back."""
    if cd.last_slot is not None:
        return cd.last_slot
    return previous_run(schedule, slot - timedelta(microseconds=1)) or slot - timedelta(days=1)


def new_in_period(story: Story, since: datetime, seen_since: Collection[str]) -> bool:
    """Whether a story belongs in a digest covering ``since`` → now: an article of it was
    published in the period, or first reached the bot in it (a late feed entry, a file
    copied in while the bot was down) and is not older than :data:`bot.alerts.MAX_AGE`.
    First-seen time means nothing is lost to lateness; the delivered-stories record
    means nothing is repeated."""
    for a in story.articles:
        if a.published is not None and a.published >= since:
            return True
        if a.id in seen_since and (a.published is None or a.published >= since - MAX_AGE):
            return True
    return False


def digest_title(topics: list[str], slot: datetime, schedule: Schedule) -> str:
    when = slot.astimezone(schedule.zone).strftime("%a %d %b")
    return f"News digest: {', '.join(topics)} — {when}" if topics else f"News digest — {when}"


def quiet_title(topics: list[str], since: datetime, schedule: Schedule) -> str:
    on = " on " + ", ".join(topics) if topics else ""
    when = since.astimezone(schedule.zone).strftime("%a %d %b %H:%M")
    return f"Quiet day: nothing new{on} since {when}."


def delivery_parts(d: Delivery) -> dict[int, str | None]:
    """Part number → story id of what ``d`` was queued to show: a digest is its header
    (part 0) then one part per story, an alert its one story."""
    if d.kind != "alert":  # a scheduled or a manual digest
        return {0: None, **{i + 1: sid for i, sid in enumerate(d.story_ids)}}
    return {0: d.story_id}


def content_parts(content: Digest | Story) -> dict[int, str | None]:
    """Part number → story id of what an adapter will post for ``content`` now."""
    if isinstance(content, Digest):
        return {0: None, **{i + 1: s.id for i, s in enumerate(content.stories)}}
    return {0: content.id}


def done_parts(recorded: list[PostedMessage], parts: Mapping[int, str | None]) -> frozenset[int]:
    """Parts to skip: recorded under the same number *and* story. A digest rebuilt without
    a story that vanished numbers the later ones differently; those are posted again
    rather than one story's message being taken for another's."""
    return frozenset(m.part for m in recorded if m.part in parts and parts[m.part] == m.story_id)


def covers(recorded: list[PostedMessage], parts: Mapping[int, str | None]) -> bool:
    return bool(parts) and done_parts(recorded, parts) == frozenset(parts)


class DeliveryLoop:
    """Poller + alerts + schedules + outbox, over the bot core's services."""

    def __init__(
        self,
        ctx: CommandContext,
        adapters: Mapping[str, Adapter],
        *,
        poller: Poller | None = None,
        outbox: Outbox | None = None,
        store: DeliveryStore | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.ctx = ctx
        self.adapters = dict(adapters)
        self.poller = poller
        self.clock = clock or ctx.clock
        self.outbox = outbox or Outbox(
            ctx.storage,
            clock=self.clock,
            lease=timedelta(seconds=ctx.settings.newsbot_claim_lease_seconds),
        )
        self.store = store or DeliveryStore(ctx.storage)
        self.default_tz = ctx.settings.newsbot_timezone
        self.min_gap = timedelta(minutes=ctx.settings.newsbot_min_schedule_minutes)
        self.poll_interval = timedelta(
            seconds=poller.interval if poller else ctx.settings.newsbot_poll_interval
        )
        self._next_poll: datetime | None = None
        self._next_prune: datetime | None = None

    # sources -----------------------------------------------------------------------

    async def apply_poll(self, result: PollResult, *, refresh: bool = True) -> TickReport:
        """Store what the poller found: upsert changed articles, forget deleted ones.
        (What is new for alerts and digests is decided later, by first-seen time.)"""
        storage = self.ctx.storage
        ids = {a.id for a in result.articles}
        upsert = await storage.upsert_articles(result.articles) if ids else None
        inserted = upsert.inserted if upsert else 0
        if upsert:
            metrics.ARTICLES_INGESTED.inc(upsert.inserted + upsert.updated)
        # a deleted file can only be matched by its path, and a file whose article id
        # changed (a new URL in its front matter) leaves its old row behind. Not feeds: a
        # feed's poll returns only its new and changed entries, and every entry carries the
        # feed's URL as its path, so this would delete the feed's other stored entries.
        by_path = {
            a.path
            for a in result.articles
            if a.path and not a.path.startswith(("http://", "https://"))
        }
        stale = await self.store.article_ids_for_paths(set(result.deleted) | by_path)
        gone = [i for i in stale if i not in ids]
        if gone:
            await storage.delete_articles(gone)
        if refresh and (ids or gone):
            await self.ctx.catalog.refresh()
        return TickReport(
            articles_changed=len(result.articles), articles_deleted=len(gone), new_articles=inserted
        )

    async def forget_missing_files(self) -> int:
        """At start-up: forget articles whose files were deleted while the bot was down
        (the poller only notices deletions it sees happen). Returns how many."""
        if self.poller is None:
            return 0
        paths = await self.store.article_paths()
        gone = await asyncio.to_thread(self.poller.missing, paths)
        ids = [i for p in gone for i in paths[p]]
        if ids:
            await self.ctx.storage.delete_articles(ids)
            await self.ctx.catalog.refresh()
            log.info("forgot %d articles whose files were deleted while the bot was down", len(ids))
        return len(ids)

    async def poll(self) -> TickReport:
        """Poll the sources if a poll interval has passed since the last poll."""
        now = self.clock()
        if self.poller is None or (self._next_poll is not None and now < self._next_poll):
            return TickReport()
        self._next_poll = now + self.poll_interval
        with metrics.timed(metrics.POLL_SECONDS):
            result = await self.poller.poll_once()
        for err in result.errors:
            log.warning("source %s: %s", err.path, err.error)
        try:
            report = await self.apply_poll(result)
        except Exception as exc:  # disk full, database away, one article it refuses…
            log.warning("storing %d polled articles failed: %s", len(result.articles), exc)
            report = await self.store_each(result)
        else:
            self.poller.confirm()
        try:
            await self.store.save_sources(self.poller.statuses())
        except Exception:
            log.exception("could not save source statuses")
        return report

    async def store_each(self, result: PollResult) -> TickReport:
        """After a failed batch: store what can be stored one by one, so one article the
        database refuses cannot hold back the others; confirm those, and leave the rest
        to the poller's back-off (it reads them again and reports the failure)."""
        from .poller import PollResult

        assert self.poller is not None
        report = TickReport()
        stored: list[str] = []
        error: str | None = None
        deletions = not result.deleted
        if result.deleted:
            try:
                part = await self.apply_poll(PollResult(deleted=result.deleted), refresh=False)
                report.articles_deleted += part.articles_deleted
                deletions = True
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
        for article in result.articles:
            try:
                part = await self.apply_poll(PollResult(articles=[article]), refresh=False)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                continue
            stored.append(article.id)
            report.articles_changed += part.articles_changed
            report.articles_deleted += part.articles_deleted
            report.new_articles += part.new_articles
        self.poller.confirm(stored, deletions=deletions)
        if error is not None:
            self.poller.store_failed(error)
        if stored or report.articles_deleted:
            try:
                await self.ctx.catalog.refresh()
            except Exception:
                log.exception("could not rebuild stories after storing polled articles")
        return report

    # digests -----------------------------------------------------------------------

    async def build_digest(
        self, cd: ChannelDelivery, schedule: Schedule, slot: datetime, since: datetime
    ) -> tuple[list[str], Digest]:
        """The channel's best stories since ``since`` on its topics, ranked with its
        feedback, skipping any it already has (earlier digests and alerts)."""
        from digests.engine import make_digest

        from .commands.digest import candidate_stories

        topics, candidates = await candidate_stories(self.ctx, cd.channel)
        already = await self.outbox.delivered_story_ids(cd.channel_id)
        # late arrivals matter only after a real earlier slot (one that could have missed them);
        # a channel's first digest covers what was published in the period before it
        seen = await self.store.seen_since(since) if cd.last_slot is not None else set()
        fresh = [s for s in candidates if s.id not in already and new_in_period(s, since, seen)]
        scores = await self.ctx.feedback(cd.channel)
        digest = make_digest(
            fresh,
            title=digest_title(topics, slot, schedule),
            limit=self.ctx.settings.newsbot_digest_size,
            now=self.clock(),
            boost=scores.boost,
        )
        return topics, Digest(digest.title, digest.stories, since, digest.period_end)

    async def queue_digests(self, now: datetime) -> tuple[list[str], list[str]]:
        """Queue each channel's due digest (at most one per channel); returns the keys queued
        with stories and those queued as a quiet-day line."""
        queued: list[str] = []
        quiet: list[str] = []
        for cd in await self.store.channels():
            schedule = channel_schedule(cd, self.default_tz)
            if schedule is None:
                continue
            slot = due_slot(schedule, cd, now)
            if slot is None:
                continue
            if cd.last_slot is not None and slot - cd.last_slot < self.min_gap:
                continue  # a schedule stored before the floor: wait for a slot far enough on
            since = period_start(schedule, cd, slot)
            topics, digest = await self.build_digest(cd, schedule, slot, since)
            if digest.stories:
                if await self.outbox.add_digest(
                    cd.channel_id,
                    slot,
                    [s.id for s in digest.stories],
                    title=digest.title,
                    period_start=since,
                ):
                    queued.append(f"{cd.channel}@{slot.isoformat()}")
            elif cd.quiet_day:
                if await self.outbox.add_digest(
                    cd.channel_id,
                    slot,
                    [],
                    title=quiet_title(topics, since, schedule),
                    period_start=since,
                ):
                    quiet.append(f"{cd.channel}@{slot.isoformat()}")
            await self.store.advance_slot(cd.channel_id, slot)
        return queued, quiet

    # sending -----------------------------------------------------------------------

    def content_for(self, d: Delivery) -> Digest | Story:
        """Rebuild what a delivery shows from the current catalog."""
        catalog = self.ctx.catalog
        if d.kind == "alert":
            story = catalog.get(d.story_id or "")
            if story is None:
                raise DeliveryError(f"story {d.story_id} is no longer available", permanent=True)
            return story
        stories = tuple(s for s in (catalog.get(i) for i in d.story_ids) if s is not None)
        if d.story_ids and not stories:
            raise DeliveryError(
                "none of the digest's stories is available any more", permanent=True
            )
        return Digest(
            title=d.title,
            stories=stories,
            period_start=d.period_start,
            period_end=d.slot or d.created_at,
        )

    async def send(self, d: Delivery) -> list[PostedMessage]:
        """Send what is left of ``d``: each part is recorded as soon as it is posted, and a
        retry or takeover skips the parts already recorded (all of them: no call at all)."""
        recorded = [] if d.first_attempt else await self.outbox.posted_parts(d)
        if recorded and covers(recorded, delivery_parts(d)):
            return recorded  # everything was posted before the last attempt ended
        adapter = self.adapters.get(d.channel.platform)
        if adapter is None:  # claim() filters by platform, so only a misconfiguration gets here
            raise DeliveryError(f"no running adapter for {d.channel.platform!r}", permanent=False)
        wanted = d.story_ids if d.kind != "alert" else (d.story_id or "",)
        if any(self.ctx.catalog.get(i) is None for i in wanted):
            # queued by another process that has read newer articles than we have
            await self.ctx.catalog.refresh()
        content = self.content_for(d)

        async def on_posted(message: PostedMessage) -> None:
            await self.outbox.record_part(d, message)

        return await adapter.send(
            d.channel,
            content,
            idempotency_key=d.key,
            first_attempt=d.first_attempt,
            skip_parts=done_parts(recorded, content_parts(content)),
            on_posted=on_posted,
        )

    async def drain(self) -> OutboxReport:
        """Send everything due: claims a few at a time as sends finish (see :meth:`Outbox.run`),
        so another process draining the same outbox shares the fan-out."""
        return await self.outbox.run(self.send, platforms=list(self.adapters))

    # the loop ----------------------------------------------------------------------

    async def queue_alerts(self) -> int:
        """Give every stored article without one its first-seen time, then queue the
        alerts of those still pending (see :mod:`bot.alerts`)."""
        await self.store.mark_seen(self.clock())
        pending = await self.store.alerts_pending()
        if not pending:
            return 0
        await self.ctx.catalog.refresh()  # stories for articles stored by anyone up to now
        return await queue_alerts(self.store, self.outbox, self.ctx.catalog.stories, pending)

    async def queue_feed_posts(self) -> int:
        """New items of feeds added from chat, to the channels that added them."""
        chat_feeds = getattr(self.poller, "chat_feeds", None)
        return await chat_feeds.queue_posts(self.ctx.catalog) if chat_feeds is not None else 0

    async def prune_events(self) -> int:
        """Forget platform event ids older than :data:`EVENT_TTL`, at most once per
        :data:`PRUNE_EVERY` (and at the first tick); returns how many were removed."""
        now = self.clock()
        if self._next_prune is not None and now < self._next_prune:
            return 0
        self._next_prune = now + PRUNE_EVERY
        removed = await self.ctx.storage.prune_events(now - EVENT_TTL)
        if removed:
            log.info("forgot %d platform event ids older than %s", removed, EVENT_TTL)
        return removed

    async def tick(self) -> TickReport:
        """Poll, alert, queue due digests, send, prune old event ids: everything once, at
        ``clock()``."""
        report = await self.poll()
        report.alerts_queued = await self.queue_alerts()
        report.alerts_queued += await self.queue_feed_posts()
        report.digests_queued, report.quiet_queued = await self.queue_digests(self.clock())
        report.outbox = await self.drain()
        report.reactions_released = await self.release_reactions()
        report.events_pruned = await self.prune_events()
        return report

    async def release_reactions(self) -> int:
        """Apply held early reactions whose messages are recorded now (by any process), and
        drop those held too long; returns how many were applied."""
        held = self.outbox.held_reactions
        applied = await held.release()
        dropped = await held.expire()
        if dropped:
            log.info(
                "dropped %d reactions whose messages were never recorded (not ours, or a send "
                "that never returned)",
                dropped,
            )
        return applied

    async def seconds_until_next(self, now: datetime) -> float:
        """Until the next scheduled slot or poll, capped so retries and other workers'
        rows are picked up promptly."""
        wait = MAX_IDLE
        if self._next_poll is not None:
            wait = min(wait, (self._next_poll - now).total_seconds())
        due = await self.outbox.next_due(platforms=list(self.adapters))
        if due is not None:  # a retry, or a dead worker's lease running out: take it over then
            wait = min(wait, max(MIN_WAKE, (due - now).total_seconds() + 0.05))
        for cd in await self.store.channels():
            schedule = channel_schedule(cd, self.default_tz)
            nxt = next_run(schedule, now) if schedule else None
            if nxt is not None:
                wait = min(wait, max(0.0, (nxt - now).total_seconds()))
        return max(wait, 0.05)

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until ``stop`` is set; a failing tick is logged and the loop goes on."""
        while not stop.is_set():
            try:
                report = await self.tick()
                if report.outbox.claimed or report.alerts_queued or report.digests_queued:
                    log.info("delivery: %s", report)
                wait = await self.seconds_until_next(self.clock())
            except Exception:
                log.exception("delivery tick failed; retrying shortly")
                wait = MAX_IDLE
            try:
                await asyncio.wait_for(stop.wait(), timeout=wait)
            except TimeoutError:
                pass
