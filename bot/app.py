"""The application object: settings → storage → ingest → adapters wired to the handlers.

``NewsBot(settings)`` owns one :class:`~bot.storage.Storage` (one engine per
process), the story catalog, the ``/news`` handler and the reaction handler.
``await bot.run()`` upgrades the database, ingests ``NEWSBOT_SOURCES``, starts the
adapters and background services, and shuts everything down cleanly on SIGINT,
SIGTERM, or when an adapter's input ends (the console at end of input).
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import logging
import os
import re
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.base import Adapter, CommandRequest, ReactionEvent, Reply
from digests.models import IngestError

from . import metrics
from .background import in_daemon_thread
from .catalog import Catalog
from .commands import CommandContext, NewsCommands
from .feedback import apply_reaction
from .poller import FileWatcher
from .publish import AdapterPublisher
from .services import Service, discover
from .settings import Settings
from .storage import Storage, UpsertResult
from .storage.delivery_store import DeliveryStore

log = logging.getLogger(__name__)

PROGRESS_EVERY = 5.0  # seconds between progress lines when stderr is not a terminal
AFTER_INGEST = frozenset({"delivery"})  # services that start from what the ingest read
SHOWN_ERRORS = 5  # unreadable sources logged one by one; the rest are counted


class AdapterStartError(Exception):
    """An adapter could not start (bad token, platform unreachable); the message says which
    adapter and the adapter's own reason, for a person to act on."""


class AdapterStoppedError(AdapterStartError):
    """A running adapter's platform connection ended for good (a revoked token, an
    uninstalled app): the bot exits non-zero so its supervisor restarts it and a person
    sees why. A subclass of :class:`AdapterStartError` so ``newsbot run`` reports both alike."""


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest pass did, for logs and ``newsbot run`` output."""

    upsert: UpsertResult
    errors: tuple[IngestError, ...]
    stories: int
    forgotten: int = 0  # articles from files no configured source covers any more

    def __str__(self) -> str:
        u = self.upsert
        gone = (
            f", {self.forgotten} forgotten (no longer in NEWSBOT_SOURCES)" if self.forgotten else ""
        )
        return (
            f"{u.inserted + u.updated + u.unchanged} articles ({u.inserted} new, {u.updated} updated, "
            f"{u.unchanged} unchanged){gone}, {self.stories} stories, {len(self.errors)} unreadable sources"
        )


_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")


def hide_userinfo(text: str) -> str:
    """``https://user:token@host/feed`` → ``https://***@host/feed``: feed credentials stay out of logs."""
    return _USERINFO.sub("***@", text)


async def load_sources(specs: Sequence[str]) -> Any:
    """``digests.ingest.load_sources`` (files, folders, globs and feed URLs), with the files
    read in a daemon thread (a stop never waits for a half-read archive) and progress
    reported as they are read."""
    from digests import ingest

    paths = [s for s in specs if not is_feed(s)]
    urls = [s for s in specs if is_feed(s)]
    result = ingest.IngestResult()
    if paths:
        progress = _Progress("reading sources")
        try:
            result.extend(await in_daemon_thread(ingest.load_paths, paths, on_progress=progress))
        finally:
            progress.close()
    if urls:
        result.extend(await ingest.load_sources(urls))
    return ingest.dedupe(result)


class _Progress:
    """A progress bar on a terminal, else a log line every ``PROGRESS_EVERY`` seconds."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.last = 0.0
        self.bar: Any = None
        self.task: Any = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task(what, total=None)

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)
            return
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY or done == total:
            self.last = now
            log.info("%s: %d of %d files", self.what, done, total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class NewsBot:
    """The running bot. Tests build one with a temporary database and a fixed clock."""

    def __init__(
        self,
        settings: Settings,
        *,
        storage: Storage | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage or Storage(settings.database_url.get_secret_value())
        self.catalog = Catalog(self.storage, summary_chars=settings.newsbot_summary_chars)
        self.publisher = AdapterPublisher(self.storage)
        self.ctx = CommandContext(
            settings=settings,
            storage=self.storage,
            catalog=self.catalog,
            publisher=self.publisher,
            clock=clock or (lambda: datetime.now(UTC)),
        )
        self.commands = NewsCommands(self.ctx)
        self.adapters: list[Adapter] = []
        self._services: dict[str, Service] = {}
        self._stop = asyncio.Event()
        self.started_at: datetime | None = None

    # what /readyz and /metrics read (bot.health.RunningBot) -----------------------------

    @property
    def poll_interval(self) -> float:
        return self.settings.newsbot_poll_interval

    def now(self) -> datetime:
        return self.ctx.clock()

    def story_count(self) -> int:
        return len(self.catalog)

    # handlers given to adapters -------------------------------------------------------

    async def handle_command(self, request: CommandRequest) -> Reply:
        with metrics.timed(metrics.COMMAND_SECONDS, platform=request.channel.platform):
            return await self.commands(request)

    async def handle_reaction(self, event: ReactionEvent) -> None:
        try:
            await apply_reaction(self.storage, event)
        except Exception:  # a reaction must never crash an adapter's event loop
            log.exception("could not record reaction %s on %s", event.emoji, event.message_id)

    # lifecycle ------------------------------------------------------------------------

    async def open(self) -> None:
        """Apply pending migrations (stories are built by :meth:`ingest` or ``catalog.refresh``)."""
        await self.storage.upgrade()

    async def ingest(self, sources: Iterable[str] | None = None) -> IngestReport:
        """Read sources into the database (updates, never duplicates) and rebuild stories.
        Reading the configured sources (``sources`` None) also forgets articles from files
        outside them; an explicit ``sources`` list only adds."""
        specs = list(sources if sources is not None else self.settings.newsbot_sources)
        result = await load_sources(specs)
        for error in result.errors[:SHOWN_ERRORS]:
            log.warning("skipped %s: %s", hide_userinfo(error.path), hide_userinfo(error.error))
        if len(result.errors) > SHOWN_ERRORS:
            log.warning(
                "… and %d more unreadable sources (`newsbot digest` on a folder lists them all)",
                len(result.errors) - SHOWN_ERRORS,
            )
        articles, too_old = self._within_retention(result.articles)
        if too_old:
            log.info(
                "%d articles older than NEWSBOT_RETENTION_DAYS=%d not stored",
                too_old,
                self.settings.newsbot_retention_days,
            )
        upsert = await self.storage.upsert_articles(articles)
        metrics.ARTICLES_INGESTED.inc(upsert.inserted + upsert.updated)
        forgotten = await self.forget_unconfigured_files(specs, result) if sources is None else 0
        stories = await self.catalog.refresh()
        report = IngestReport(upsert, tuple(result.errors), len(stories), forgotten)
        log.info("ingested %s", report)
        return report

    def _within_retention(self, articles: Sequence[Any]) -> tuple[list[Any], int]:
        """The articles young enough to keep (undated ones are kept), and how many were not."""
        days = self.settings.newsbot_retention_days
        if not days:
            return list(articles), 0
        horizon = self.now() - timedelta(days=days)
        kept = [a for a in articles if a.published is None or a.published >= horizon]
        return kept, len(articles) - len(kept)

    async def forget_unconfigured_files(self, specs: Sequence[str], result: Any) -> int:
        """Forget stored articles read from files that no configured folder, file or glob
        covers any more (a source dropped from ``NEWSBOT_SOURCES`` must stop showing up in
        ``/news``). Feed articles are left to age out. Nothing is forgotten when a configured
        file source is missing or unreadable: an unmounted folder is not a removed one."""
        file_specs = [s for s in specs if not is_feed(s)]
        unsure = _unavailable_sources(file_specs, result.errors)
        if unsure:
            log.warning(
                "not forgetting articles of removed sources: %s unavailable", ", ".join(unsure)
            )
            return 0
        read_now = {a.id for a in result.articles}
        watchers = [FileWatcher(spec) for spec in file_specs]
        stored = await DeliveryStore(self.storage).article_paths()
        ids = [
            aid
            for path, aids in stored.items()
            if not is_feed(path) and not _covered(path, watchers)
            for aid in aids
            if aid not in read_now
        ]
        if ids:
            await self.storage.delete_articles(ids)
            log.info("forgot %d articles from files outside NEWSBOT_SOURCES", len(ids))
        return len(ids)

    async def _unless_stopped(self, work: Awaitable[Any]) -> bool:
        """Run ``work`` unless a stop (SIGTERM, SIGINT) comes first; False when it did."""
        task = asyncio.ensure_future(work)
        stop = asyncio.create_task(self._stop.wait())
        try:
            await asyncio.wait([task, stop], return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._stop.is_set() and not task.done():
            return False
        if task.cancelled():
            return False
        task.result()
        return not self._stop.is_set()

    async def _ingest_then_serve(self, tasks: list[asyncio.Task[Any]]) -> None:
        """A restart's ingest in the background, then the services (the poller starts from
        what the ingest read)."""
        started = time.monotonic()
        report = await self.ingest()
        log.info("background ingest done in %.1f s: %s", time.monotonic() - started, report)
        self._start_services(tasks, after_ingest=True)

    def _start_services(
        self, tasks: list[asyncio.Task[Any]], *, after_ingest: bool | None = None
    ) -> None:
        """Start the services (all of them, or only those that do / do not wait for the
        start-up ingest: the poller starts from what it read, health answers at once)."""
        for name, service in self._services.items():
            if after_ingest is not None and (name in AFTER_INGEST) != after_ingest:
                continue
            tasks.append(asyncio.create_task(_guard(name, service(self)), name=f"service-{name}"))

    def add_service(self, name: str, service: Service) -> None:
        """Run ``service(bot)`` beside the adapters (scheduler, poller…)."""
        self._services[name] = service

    def stop(self) -> None:
        """Ask :meth:`run` to shut down (what SIGINT/SIGTERM do)."""
        self._stop.set()

    async def run(
        self,
        adapters: Sequence[Adapter] | None = None,
        *,
        ingest: bool = True,
        discover_services: bool = True,
        background_ingest: bool = True,
    ) -> None:
        """Start everything and serve until stopped; always closes what it opened.

        With stories already stored (a restart), the adapters start at once and answer
        from them while the sources are read in the background (``background_ingest``);
        on a first start, or for a one-shot local session, the sources are read first.
        A stop (SIGTERM, SIGINT) interrupts any of it.
        """
        loop = asyncio.get_running_loop()
        installed = _install_signals(loop, self.stop)
        tasks: list[asyncio.Task[Any]] = []
        self.started_at = self.now()
        try:
            await self.open()
            if not await self._unless_stopped(self.catalog.refresh()):
                return
            background = ingest and background_ingest and len(self.catalog) > 0
            if ingest and not background:  # a first start: nothing to answer from yet
                if not await self._unless_stopped(self.ingest()):
                    return
            if adapters is None:
                from .wiring import build_adapters

                adapters = build_adapters(self.settings, self.handle_command, self.handle_reaction)
            if discover_services:
                for name, service in discover().items():
                    self._services.setdefault(name, service)
            for adapter in adapters:
                self.publisher.add(adapter)
                self.adapters.append(adapter)
                try:
                    await adapter.start()
                except Exception as exc:
                    log.debug("starting the %s adapter failed", adapter.name, exc_info=True)
                    raise AdapterStartError(
                        f"the {adapter.name} adapter could not start: {exc or type(exc).__name__}"
                    ) from exc
                log.info("started the %s adapter", adapter.name)
            if background:  # answer from the stored stories while the sources are read
                self._start_services(tasks, after_ingest=False)
                tasks.append(
                    asyncio.create_task(
                        _guard("ingest", self._ingest_then_serve(tasks)), name="ingest"
                    )
                )
            else:
                self._start_services(tasks)
            waiters = [asyncio.create_task(self._stop.wait())]
            watched = {
                asyncio.create_task(a.wait_closed()): a
                for a in self.adapters
                if hasattr(a, "wait_closed")
            }
            waiters += watched
            try:
                done, _ = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiter in waiters:
                    waiter.cancel()
            _raise_if_lost(adapter for task, adapter in watched.items() if task in done)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for adapter in reversed(self.adapters):
                try:
                    await adapter.aclose()
                except Exception:
                    log.exception("closing the %s adapter failed", adapter.name)
            await self.storage.aclose()
            for sig in installed:
                loop.remove_signal_handler(sig)
            log.info("newsbot stopped")


def is_feed(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def _covered(path: str, watchers: Sequence[Any]) -> bool:
    """Whether a stored article path lies in one of the configured folders, files or globs."""
    real = os.path.realpath(path)
    return any(w.covers(real) or w.covers(path) for w in watchers)


def _unavailable_sources(file_specs: Sequence[str], errors: Iterable[IngestError]) -> list[str]:
    """Configured file sources that are missing, unreadable or (globs) match nothing right now."""
    failed = {e.path for e in errors}
    unsure = []
    for spec in file_specs:
        if glob.has_magic(spec):
            missing = next(glob.iglob(spec, recursive=True), None) is None
        else:
            missing = not os.path.exists(spec)
        if missing or spec in failed or os.path.realpath(spec) in failed:
            unsure.append(spec)
    return unsure


def _raise_if_lost(closed: Iterable[Adapter]) -> None:
    """An adapter whose ``wait_closed`` returned with a ``closed_reason`` lost its platform
    for good: say which and why, and stop the bot with an error. (No reason is a normal end,
    like the console's end of input.)"""
    for adapter in closed:
        reason = getattr(adapter, "closed_reason", None)
        if reason:
            log.error(
                "the %s adapter stopped for good: %s; exiting so a supervisor can restart newsbot",
                adapter.name,
                reason,
            )
            raise AdapterStoppedError(f"the {adapter.name} adapter stopped for good: {reason}")


async def _guard(name: str, coro: Awaitable[None]) -> None:
    """A crashing service is logged, not allowed to take the bot down silently."""
    try:
        await coro
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("service %s stopped with an error", name)


def _install_signals(loop: asyncio.AbstractEventLoop, stop: Callable[[], None]) -> list[int]:
    installed: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop)
            installed.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):  # not main thread / Windows
            pass
    return installed
