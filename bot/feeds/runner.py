"""Polls the feeds channels added, as part of the poller's round, and posts their new items.

:meth:`ChatFeeds.poll` is called by :class:`bot.poller.Poller` beside the operator's
sources: every due feed is fetched with a conditional request (an unchanged feed
is one 304), its items not seen before are filtered by the channel's word filters,
given their page's full text, and handed back to be stored like any article.
:meth:`ChatFeeds.queue_posts` runs after the catalog has built stories of them and
queues one alert per (channel, story) in the outbox — the outbox's unique key is
what makes "posted once" hold across retries, restarts and several processes.

Health: a failing feed backs off exponentially; after ``NEWSBOT_FEED_FAILURES``
failures in a row its channel is told once (and once more when it works again),
and ``/news why`` and ``newsbot status`` show the reason.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from digests.filters import passes
from digests.ingest.fetch import FetchError
from digests.ingest.fulltext import FullText
from digests.ingest.web import FetchPolicy, WebClient
from digests.models import Article

from .reader import FeedRead, NotAFeed, as_feed_items, read_feed
from .store import FILTERED, LOST, NEW, POSTED, SEEN, ChatFeed, FeedStore

if TYPE_CHECKING:
    from bot.outbox import Outbox
    from bot.settings import Settings
    from bot.storage import Storage
    from bot.storage.catalog import Catalog

log = logging.getLogger(__name__)

CONCURRENT_FEEDS = 16  # feeds fetched at once (per host the WebClient allows 1–2)
ITEM_MEMORY = timedelta(days=30)  # settled items a feed no longer holds are forgotten after
LOST_AFTER = timedelta(hours=1)  # a new item whose article never got stored


def policy_from(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        user_agent=settings.user_agent,
        timeout=settings.newsbot_fetch_timeout,
        max_bytes=settings.newsbot_page_max_bytes,
        per_host=settings.newsbot_fetch_per_host,
        host_delay=settings.newsbot_fetch_delay,
        allow_private=settings.newsbot_allow_private_urls,
        robots_ignore=frozenset(settings.newsbot_robots_ignore),
    )


def backoff(interval: float, failures: int) -> timedelta:
    from bot.poller import backoff as poller_backoff

    return poller_backoff(interval, failures)


class ChatFeeds:
    """The chat feeds' share of a poll; one per running bot."""

    def __init__(
        self,
        storage: Storage,
        settings: Settings,
        *,
        clock: Callable[[], datetime],
        outbox: Outbox | None = None,
        web: WebClient | None = None,
        interval: float | None = None,
    ) -> None:
        from bot.outbox import Outbox

        self.store = FeedStore(storage)
        self.settings = settings
        self.clock = clock
        self.outbox = outbox or Outbox(storage, clock=clock)
        self.web = web or WebClient(policy_from(settings))
        self.full_text = FullText(self.web) if settings.newsbot_full_text else None
        self.interval = interval or settings.newsbot_poll_interval
        self.failures_to_tell = settings.newsbot_feed_failures

    async def aclose(self) -> None:
        await self.web.aclose()

    # polling ----------------------------------------------------------------------

    async def poll(self, now: datetime | None = None) -> list[Article]:
        """Fetch every due, unpaused feed; returns the articles to store. Never raises for
        one feed's problem."""
        now = now or self.clock()
        due = await self.store.due(now)
        gate = asyncio.Semaphore(CONCURRENT_FEEDS)
        by_url: dict[str, list[ChatFeed]] = {}
        for feed in due:  # several channels following one feed: one fetch serves them all
            by_url.setdefault(feed.url, []).append(feed)

        async def one(url: str, feeds: list[ChatFeed]) -> list[Article]:
            async with gate:
                read = await self._read(url, feeds)
            got: list[Article] = []
            for feed in feeds:
                try:
                    got += await self.apply_read(feed, now, read)
                except Exception:  # a bug with one feed must not stop the others
                    log.exception("polling feed %s failed", feed.url)
            return got

        out: list[Article] = []
        for part in await asyncio.gather(*(one(u, fs) for u, fs in by_url.items())):
            out.extend(part)
        return out

    async def _read(self, url: str, feeds: list[ChatFeed]) -> FeedRead | Exception:
        """One fetch for every row following ``url``: conditional when they all hold the
        same validators (the usual case), else a plain GET."""
        validators = {(f.etag, f.last_modified) for f in feeds}
        etag, modified = validators.pop() if len(validators) == 1 else (None, None)
        try:
            return await read_feed(self.web, url, etag=etag, last_modified=modified)
        except (FetchError, NotAFeed) as exc:
            return exc

    async def poll_feed(self, feed: ChatFeed, now: datetime) -> list[Article]:
        return await self.apply_read(feed, now, await self._read(feed.url, [feed]))

    async def apply_read(
        self, feed: ChatFeed, now: datetime, read: FeedRead | Exception
    ) -> list[Article]:
        """Record one fetch's outcome for ``feed``; the articles to store."""
        if isinstance(read, Exception):
            await self._failed(feed, now, _reason(read, feed.url))
            return []
        if read.not_modified:
            await self._worked(feed, now, etag=read.etag, last_modified=read.last_modified)
            return []
        articles = as_feed_items(read.articles, feed.url, feed.topics)
        known = await self.store.known_items(feed.id)
        fresh = [a for a in articles if a.id not in known]
        if not feed.primed:  # first read of an imported feed: what it holds now is not news
            await self.store.add_items(feed.id, dict.fromkeys((a.id for a in fresh), SEEN), now)
            await self._worked(feed, now, read.etag, read.last_modified, primed=True)
            return await self._keep_stored(fresh)
        filters = []
        if feed.channel_id is not None and fresh:
            filters = [
                f.filter
                for f in await self.store.filters(feed.channel_id)
                if f.feed_id in (None, feed.id)
            ]
        states: dict[str, str] = {}
        posting: list[Article] = []
        for a in fresh:
            ok = passes(filters, a.title, a.text)
            states[a.id] = NEW if ok else FILTERED
            if ok:
                posting.append(a)
        if posting:
            posting = await self.with_full_text(posting)
        await self.store.add_items(feed.id, states, now)
        await self._worked(feed, now, read.etag, read.last_modified, new_item=bool(posting))
        await self.store.forget_items(feed.id, [a.id for a in articles], now - ITEM_MEMORY)
        return posting

    async def _keep_stored(self, articles: list[Article]) -> list[Article]:
        """Old items recorded at a feed's first read: never fetched, but never allowed to
        overwrite a full text another feed or process already stored either."""
        return await self.with_full_text(articles, fetch=False)

    async def _worked(
        self,
        feed: ChatFeed,
        now: datetime,
        etag: str | None,
        last_modified: str | None,
        *,
        primed: bool | None = None,
        new_item: bool = False,
    ) -> None:
        values: dict[str, Any] = {
            "last_fetched": now,
            "last_ok": now,
            "failures": 0,
            "failing_since": None,
            "last_error": None,
            "notified": False,
            "next_attempt": now + timedelta(seconds=self.interval),
            "etag": etag,
            "last_modified": last_modified,
        }
        if primed is not None:
            values["primed"] = primed
        if new_item:
            values["last_new_item"] = now
        if feed.notified and feed.channel_id is not None and feed.failing_since is not None:
            await self.outbox.add_notice(
                feed.channel_id,
                f"feed{feed.id}:{feed.failing_since.isoformat()}:ok",
                f"Feed {feed.name} is working again.",
            )
        await self.store.update(feed.id, **values)

    async def _failed(self, feed: ChatFeed, now: datetime, reason: str) -> None:
        failures = feed.failures + 1
        since = feed.failing_since or now
        values: dict[str, Any] = {
            "last_fetched": now,
            "failures": failures,
            "failing_since": since,
            "last_error": reason,
            "next_attempt": now + backoff(self.interval, failures),
        }
        log.warning("feed %s failed (%d in a row): %s", feed.url, failures, reason)
        if failures >= self.failures_to_tell and not feed.notified and feed.channel_id is not None:
            wait = backoff(self.interval, failures)
            await self.outbox.add_notice(
                feed.channel_id,
                f"feed{feed.id}:{since.isoformat()}:failing",
                f"Feed {feed.name} has failed {failures} times in a row: {reason}. "
                f"Retrying less often (next in {_minutes(wait)}); `/news feed list` shows it, "
                "`/news feed remove` or `/news feed pause` stops it.",
            )
            values["notified"] = True
        await self.store.update(feed.id, **values)

    # full text --------------------------------------------------------------------

    async def stored_full_text(self, ids: list[str]) -> dict[str, tuple[str, str | None]]:
        """(text, author) of stored articles that already have their page's full text."""
        import orjson
        from sqlalchemy import select

        from bot.storage.schema import ArticleRow

        found: dict[str, tuple[str, str | None]] = {}
        async with self.store.storage.session() as session:
            for start in range(0, len(ids), 500):
                rows = await session.execute(
                    select(ArticleRow.id, ArticleRow.text, ArticleRow.author, ArticleRow.extra)
                    .where(ArticleRow.id.in_(ids[start : start + 500]))
                    .where(ArticleRow.extra.contains('"full_text"'))
                )
                for aid, text, author, extra in rows:
                    try:
                        if orjson.loads(extra or "{}").get("full_text") == "page":
                            found[aid] = (text, author)
                    except orjson.JSONDecodeError:
                        continue
        return found

    async def with_full_text(self, articles: list[Article], *, fetch: bool = True) -> list[Article]:
        """Feed items (of the operator's feeds too) with their pages' full text: kept from
        the database when an earlier poll or process already fetched it — so a restart or
        a feed re-read never replaces an article with its teaser — else fetched (when
        ``NEWSBOT_FULL_TEXT`` is on)."""
        from dataclasses import replace

        from digests.ingest.fulltext import needs_full_text

        short = [a for a in articles if needs_full_text(a)]
        if not short:
            return articles
        stored = await self.stored_full_text([a.id for a in short])
        out: list[Article] = []
        to_fetch: list[int] = []
        full_text = self.full_text if fetch else None
        for a in articles:
            if a.id in stored and needs_full_text(a):
                text, author = stored[a.id]
                a = replace(
                    a, text=text, author=a.author or author, extra={**a.extra, "full_text": "page"}
                )
            elif needs_full_text(a) and full_text is not None:
                to_fetch.append(len(out))
            out.append(a)
        if to_fetch and full_text is not None:
            done = await asyncio.gather(*(full_text.enrich(out[i]) for i in to_fetch))
            for i, a in zip(to_fetch, done, strict=True):
                out[i] = a
        return out

    # posting ----------------------------------------------------------------------

    async def queue_posts(self, catalog: Catalog) -> int:
        """Queue an alert in the owning channel for each new item whose story the catalog
        has built; returns how many were queued (an item the channel already had, through
        an alert or a digest, is settled without a second post)."""
        pending = await self.store.pending()
        if not pending:
            return 0
        await catalog.refresh()
        story_of = {a.id: s for s in catalog.stories for a in s.articles}
        feeds = {f.id: f for f in await self.store.all()}
        now = self.clock()
        queued = 0
        for feed_id, article_id, first_seen in pending:
            feed = feeds.get(feed_id)
            story = story_of.get(article_id)
            if feed is None or feed.channel_id is None:
                await self.store.set_item_state(feed_id, article_id, POSTED)
                continue
            if story is None:
                if first_seen < now - LOST_AFTER:
                    await self.store.set_item_state(feed_id, article_id, LOST)
                continue
            if await self.outbox.add_alert(feed.channel_id, story.id, title=story.title):
                queued += 1
                log.info("feed item queued: %s → %s", story.ref, feed.channel)
            await self.store.set_item_state(feed_id, article_id, POSTED)
        return queued


def _reason(exc: Exception, url: str) -> str:
    text = exc.reason if isinstance(exc, NotAFeed) else str(exc)
    if isinstance(exc, NotAFeed) and exc.alternates:
        text += ": " + ", ".join(a.url for a in exc.alternates[:3])
    return text.replace(f"{url}: ", "")


def _minutes(wait: timedelta) -> str:
    minutes = round(wait.total_seconds() / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"
