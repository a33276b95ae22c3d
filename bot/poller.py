"""Keep the bot in step with ``NEWSBOT_SOURCES`` while it runs.

Folders (and globs and single files) are re-scanned with ``os.scandir`` and
compared with an in-memory cache of ``(mtime_ns, size)`` per file, so an
unchanged folder of thousands of files costs one ``stat`` each and nothing is
parsed; only new or changed files go through :func:`digests.ingest.parse_file`,
and files that disappeared are reported as deleted. Feed URLs are polled with
conditional requests (ETag / Last-Modified) and back off exponentially while
they fail. Every source keeps a :class:`SourceStatus`, so one that keeps failing
is shown by ``newsbot status`` and ``/news why`` instead of silently dropped.
"""

from __future__ import annotations

import asyncio
import fnmatch
import glob
import hashlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digests.models import Article, IngestError

from .storage.sources import STORE_FAILED, SourceStatus

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
MAX_BACKOFF = timedelta(hours=1)

Clock = Callable[[], datetime]
ParseFile = Callable[[str], Article]
FetchFeed = Callable[..., Awaitable[Any]]
ParseFeed = Callable[[bytes, str], Any]


@dataclass(slots=True)
class PollResult:
    """What changed in one poll: articles to upsert, paths whose article is gone, errors."""

    articles: list[Article] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    parsed: int = 0  # files parsed this round (0 when nothing changed)

    def extend(self, other: PollResult) -> None:
        self.articles.extend(other.articles)
        self.deleted.extend(other.deleted)
        self.errors.extend(other.errors)
        self.parsed += other.parsed


def backoff(interval: float, failures: int) -> timedelta:
    """Wait before retrying a failing source: interval × 2^(failures-1), capped at an hour."""
    return min(timedelta(seconds=interval * 2 ** max(0, failures - 1)), MAX_BACKOFF)


def _default_parse_file(path: str) -> Article:
    from digests.ingest import parse_file

    return parse_file(path)


def _is_ingest_failure(exc: BaseException) -> bool:
    return type(exc).__name__ == "IngestFailure" or isinstance(
        exc, (OSError, UnicodeError, ValueError)
    )


# --- files -------------------------------------------------------------------------

Entry = tuple[str, int, int, str | None]  # path, mtime_ns, size, problem (None: readable)


def scan_tree(root: str, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES) -> Iterator[Entry]:
    """``(path, mtime_ns, size, problem)`` for article-named entries under ``root``.

    Only regular files come back readable (``problem`` None); FIFOs, devices, sockets,
    symlink loops, links out of ``root`` or to folders and names that are not UTF-8
    come back with the reason, and are never opened (see :mod:`digests.ingest.safefs`).
    Links to folders are never followed, so ``ln -s . loop`` cannot make a scan endless.
    Raises OSError only when ``root`` itself cannot be listed.
    """
    from digests.ingest.safefs import walk

    for found in walk(os.path.realpath(root), suffixes):
        st = found.st
        sig = (st.st_mtime_ns, st.st_size) if st is not None else (0, 0)
        yield found.path, sig[0], sig[1], found.problem


def _checked(path: str, root: str | None) -> Entry:
    from digests.ingest.result import IngestFailure
    from digests.ingest.safefs import regular

    try:
        _, st = regular(path, root)
    except IngestFailure as exc:
        try:
            lst = os.lstat(path)
            return path, lst.st_mtime_ns, lst.st_size, exc.reason
        except OSError:
            return path, 0, 0, exc.reason
    return path, st.st_mtime_ns, st.st_size, None


class FileWatcher:
    """A folder, glob or single file, re-scanned by stat; parses only what changed.

    The cache lives in memory: the first scan parses everything (and the store's
    upsert makes that harmless after a restart), later scans parse only changes.
    A file counts as seen only once its article is stored: :meth:`scan` keeps new
    articles *pending* until :meth:`confirm`; :meth:`store_failed` leaves them out of
    the cache, so the next due scan reads them again (after a back-off). Entries that
    cannot be read are reported once per change of the entry, never opened.
    """

    def __init__(
        self,
        spec: str,
        *,
        parse: ParseFile | None = None,
        suffixes: tuple[str, ...] = ARTICLE_SUFFIXES,
        interval: float = 300.0,
    ) -> None:
        self.spec = spec
        self.suffixes = suffixes
        self.parse = parse or _default_parse_file
        self.interval = interval
        self.kind = (
            "glob"
            if glob.has_magic(spec)
            else ("file" if os.path.lexists(spec) and not os.path.isdir(spec) else "folder")
        )
        self.cache: dict[str, tuple[int, int]] = {}
        self.pending: dict[str, tuple[str, tuple[int, int]]] = {}  # article id → (path, sig)
        self.pending_deleted: list[str] = []
        self.store_failures = 0
        self.retry_at: datetime | None = None
        self.status = SourceStatus(source=spec, kind=self.kind)

    def _listing(self) -> Iterator[Entry]:
        if self.kind == "glob":
            from digests.ingest.sources import glob_root

            root = glob_root(self.spec)
            for path in glob.iglob(self.spec, recursive=True):
                if path.lower().endswith(self.suffixes) and not os.path.isdir(path):
                    yield _checked(path, root)
        elif self.kind == "file":
            if not os.path.lexists(self.spec):  # a missing file is an error the status reports
                raise FileNotFoundError(f"file {self.spec} does not exist (check NEWSBOT_SOURCES)")
            yield _checked(self.spec, None)
        else:
            if not os.path.isdir(self.spec):
                raise FileNotFoundError(
                    f"folder {self.spec} does not exist (check NEWSBOT_SOURCES)"
                )
            yield from scan_tree(self.spec, self.suffixes)

    def changes(
        self,
    ) -> tuple[list[str], list[str], dict[str, tuple[int, int]], dict[str, str]]:
        """Stat-only pass: (changed or new paths, deleted paths, the new cache, problems by
        path for entries that must not be read). Parses and opens nothing."""
        old = self.cache
        new: dict[str, tuple[int, int]] = {}
        problems: dict[str, str] = {}
        changed: list[str] = []
        for path, mtime_ns, size, problem in self._listing():
            sig = (mtime_ns, size)
            new[path] = sig
            if problem is not None:
                problems[path] = problem
            if old.get(path) != sig:
                changed.append(path)
        deleted = [p for p in old if p not in new] if len(new) != len(old) or changed else []
        return changed, deleted, new, problems

    def prime(self, now: datetime, *, modified_before_ns: int | None = None) -> None:
        """Fill the cache without parsing: for when the bot has just ingested these files.

        Files modified at or after ``modified_before_ns`` (file-system time) are left
        out, so the first scan reads them again: one edited while the start-up ingest
        was running might otherwise be stored in its old version and then look unchanged.
        """
        try:
            _, _, cache, _ = self.changes()
        except OSError:
            return  # the first real scan reports it
        if modified_before_ns is not None:
            cache = {p: sig for p, sig in cache.items() if sig[0] < modified_before_ns}
        self.cache = cache
        self.status = replace(self.status, last_scan=now, last_ok=now, items=len(self.cache))

    def covers(self, path: str) -> bool:
        """Whether an article read from ``path`` (a real path) came from this source."""
        if self.kind == "folder":
            return path.startswith(os.path.join(os.path.realpath(self.spec), ""))
        if self.kind == "file":
            return path == os.path.realpath(self.spec)
        return fnmatch.fnmatch(path, os.path.abspath(self.spec))

    def missing(self, stored_paths: Iterable[str]) -> list[str]:
        """Of the paths the database has articles for, those this source covers whose file
        is gone — deleted while the bot was down, which no scan can notice. Nothing when
        the last scan failed: an unmounted folder must not make the bot forget it all."""
        if self.status.last_ok is None or self.status.failures:
            return []
        present = {os.path.realpath(p) for p in self.cache}
        return [
            p for p in stored_paths if p not in present and self.covers(p) and not os.path.exists(p)
        ]

    def due(self, now: datetime) -> bool:
        """False while backing off after a failed store."""
        return self.retry_at is None or now >= self.retry_at

    def scan(self, now: datetime) -> PollResult:
        """Re-scan; parse new and changed files; notice deletions. Never raises for bad input.

        Articles found stay pending (not cached) until :meth:`confirm`."""
        from digests.ingest.safefs import shown

        result = PollResult()
        try:
            changed, deleted, new_cache, problems = self.changes()
        except OSError as exc:
            failures = self.status.failures + 1
            self.status = replace(
                self.status,
                last_scan=now,
                failures=failures,
                last_error=f"{type(exc).__name__}: {exc}",
            )
            result.errors.append(IngestError(self.spec, self.status.last_error or ""))
            return result
        self.pending = {}
        present = len(new_cache)
        for path in changed:
            problem = problems.get(path)
            if problem is not None:
                result.errors.append(IngestError(shown(path), problem))
                continue
            try:
                article = self.parse(path)
            except Exception as exc:
                if not _is_ingest_failure(exc):
                    raise
                result.errors.append(IngestError(shown(path), _reason(exc)))
            else:
                result.articles.append(article)
                # seen only once stored: keep the old signature (or none) until confirm()
                self.pending[article.id] = (path, new_cache[path])
                if path in self.cache:
                    new_cache[path] = self.cache[path]
                else:
                    del new_cache[path]
            result.parsed += 1
        # ingest records real paths (symlinks resolved); report deletions the same way
        result.deleted = [os.path.realpath(p) for p in deleted]
        # a deletion, too, is forgotten only once the store has applied it
        self.pending_deleted = deleted
        for p in deleted:
            new_cache[p] = self.cache[p]
        self.cache = new_cache
        failures = self.status.failures if self.store_failures else 0
        self.status = replace(
            self.status,
            last_scan=now,
            last_ok=now,
            failures=failures,
            last_error=self.status.last_error if self.store_failures else None,
            items=present,
        )
        return result

    def confirm(self, ids: Iterable[str] | None = None, *, deletions: bool = True) -> None:
        """The store has the articles ``ids`` (all pending when None) and, with
        ``deletions``, has forgotten the deleted files: only now are they seen."""
        for aid in list(self.pending) if ids is None else [i for i in ids if i in self.pending]:
            entry = self.pending.pop(aid, None)
            if entry is not None:
                self.cache[entry[0]] = entry[1]
        if deletions:
            for p in self.pending_deleted:
                self.cache.pop(p, None)
            self.pending_deleted = []
        if not self.pending and not self.pending_deleted and self.store_failures:
            self.store_failures = 0
            self.retry_at = None
            self.status = replace(self.status, failures=0, last_error=None, next_attempt=None)

    def store_failed(self, now: datetime, error: str) -> None:
        """What is still pending could not be stored: read it again at the next poll after
        a back-off (interval × 2^(n-1), capped), and say so in the source's status."""
        if not self.pending and not self.pending_deleted:
            return
        count = len(self.pending)
        self.pending = {}
        self.pending_deleted = []
        self.store_failures += 1
        self.retry_at = now + backoff(self.interval, self.store_failures)
        what = (
            f"{count} new or changed article{'s' if count != 1 else ''}" if count else "deletions"
        )
        self.status = replace(
            self.status,
            failures=self.status.failures + 1,
            last_error=f"{STORE_FAILED} {what}: {error}; retrying at {self.retry_at:%H:%M} UTC",
            next_attempt=self.retry_at,
        )
        log.warning("source %s: %s", self.spec, self.status.last_error)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or str(exc) or type(exc).__name__


# --- feeds -------------------------------------------------------------------------


def _default_fetch() -> FetchFeed:
    from digests.ingest import fetch_feed

    return fetch_feed


def _default_parse_feed() -> ParseFeed:
    from digests.ingest import parse_feed

    return parse_feed


class FeedWatcher:
    """One RSS/Atom URL: conditional GETs, reports new or changed entries, backs off on failure."""

    def __init__(
        self,
        url: str,
        *,
        interval: float,
        fetch: FetchFeed | None = None,
        parse: ParseFeed | None = None,
    ) -> None:
        self.url = url
        self.shown = shown_url(url)  # what logs, status and /news why may show
        self.interval = interval
        self.fetch = fetch
        self.parse = parse
        self.etag: str | None = None
        self.last_modified: str | None = None
        self.seen: dict[str, str] = {}  # article id → content hash, to report only changes
        self.pending: dict[str, str] = {}  # reported, not yet confirmed stored
        self.status = SourceStatus(source=self.shown, kind="feed")

    def due(self, now: datetime) -> bool:
        return self.status.next_attempt is None or now >= self.status.next_attempt

    def confirm(self, ids: Iterable[str] | None = None) -> None:
        """The store has these entries (all pending when None): only now are they seen."""
        for aid in list(self.pending) if ids is None else [i for i in ids if i in self.pending]:
            digest = self.pending.pop(aid, None)
            if digest is not None:
                self.seen[aid] = digest

    def store_failed(self, now: datetime, error: str) -> None:
        """Entries still pending were not stored: fetch the whole feed again (no
        conditional request, or a 304 would hide them) after a back-off."""
        if not self.pending:
            return
        count = len(self.pending)
        self.pending = {}
        self.etag = self.last_modified = None
        failures = self.status.failures + 1
        self.status = replace(
            self.status,
            failures=failures,
            last_error=f"{STORE_FAILED} {count} new or changed entries: {error}",
            next_attempt=now + backoff(self.interval, failures),
        )
        log.warning("feed %s: %s", self.shown, self.status.last_error)

    def _fail(self, now: datetime, reason: str) -> PollResult:
        reason = reason.replace(self.url, self.shown)
        failures = self.status.failures + 1
        self.status = replace(
            self.status,
            last_scan=now,
            failures=failures,
            last_error=reason,
            next_attempt=now + backoff(self.interval, failures),
        )
        log.warning("feed %s failed (%d in a row): %s", self.shown, failures, reason)
        return PollResult(errors=[IngestError(self.shown, reason)])

    async def poll(self, now: datetime, *, session: Any = None) -> PollResult:
        fetch = self.fetch or _default_fetch()
        try:
            res = await fetch(
                self.url, session=session, etag=self.etag, last_modified=self.last_modified
            )
        except Exception as exc:  # network errors of any kind are this source's problem
            return self._fail(
                now, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            )
        if getattr(res, "not_modified", False):
            self.status = replace(
                self.status,
                last_scan=now,
                last_ok=now,
                failures=0,
                last_error=None,
                next_attempt=now + timedelta(seconds=self.interval),
            )
            return PollResult()
        status = getattr(res, "status", 200)
        if status >= 400 or res.data is None:
            return self._fail(now, f"HTTP {status}")
        parse = self.parse or _default_parse_feed()
        try:  # feedparser and HTML cleaning are CPU work: keep the event loop free
            parsed = await asyncio.to_thread(parse, res.data, self.url)
        except Exception as exc:
            return self._fail(now, f"unreadable feed: {exc}")
        self.etag = res.etag or self.etag
        self.last_modified = res.last_modified or self.last_modified
        result = PollResult(
            errors=[
                IngestError(e.path.replace(self.url, self.shown), e.error) for e in parsed.errors
            ]
        )
        seen: dict[str, str] = {}
        self.pending = {}
        for article in parsed.articles:
            digest = hashlib.blake2b(
                f"{article.title}\0{article.text}".encode(), digest_size=12
            ).hexdigest()
            old = self.seen.get(article.id)
            if old != digest:
                result.articles.append(article)
                self.pending[article.id] = digest  # seen only once stored (confirm)
                if old is None:
                    continue
                digest = old
            seen[article.id] = digest
        # only what the feed holds now: memory stays bounded, and an entry that drops out and
        # comes back is merely re-read (the store's upsert sees it unchanged)
        self.seen = seen
        result.parsed = len(parsed.articles)
        self.status = replace(
            self.status,
            last_scan=now,
            last_ok=now,
            failures=0,
            last_error=None,
            items=len(parsed.articles),
            next_attempt=now + timedelta(seconds=self.interval),
        )
        return result


# --- the poller --------------------------------------------------------------------


def is_feed(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


_SECRET_PARAMS = ("token", "key", "secret", "pass", "auth", "sig", "session")


def shown_url(url: str) -> str:
    """A feed URL safe to log and to show in chat (``/news why``): no password, and the
    values of query parameters that look like credentials replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}:***@{host}" if ":" in user else f"{user}@{host}"
    query = (
        urlencode(
            [
                (k, "***" if any(w in k.lower() for w in _SECRET_PARAMS) else v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
            ],
            safe="*",
        )
        if parts.query
        else ""
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


class Poller:
    """Every configured source; :meth:`poll_once` returns what changed since the last call."""

    def __init__(
        self,
        specs: Iterable[str],
        *,
        clock: Clock,
        interval: float = 300.0,
        parse_file: ParseFile | None = None,
        fetch_feed: FetchFeed | None = None,
        parse_feed: ParseFeed | None = None,
        chat_feeds: Any = None,
    ) -> None:
        self.clock = clock
        self.interval = interval
        self.chat_feeds = chat_feeds  # bot.feeds.runner.ChatFeeds: feeds added from chat
        self.files: list[FileWatcher] = []
        self.feeds: list[FeedWatcher] = []
        for spec in specs:
            if is_feed(spec):
                self.feeds.append(
                    FeedWatcher(spec, interval=interval, fetch=fetch_feed, parse=parse_feed)
                )
            else:
                self.files.append(FileWatcher(spec, parse=parse_file, interval=interval))

    def statuses(self) -> list[SourceStatus]:
        return [w.status for w in self.files] + [w.status for w in self.feeds]

    def failing(self) -> list[SourceStatus]:
        return [s for s in self.statuses() if s.failing]

    def prime(self, *, recent: timedelta | None = None) -> None:
        """Treat every file present now as already ingested, except those modified within
        ``recent`` of now (real file-system time; see :meth:`FileWatcher.prime`)."""
        now = self.clock()
        before = time.time_ns() - int(recent.total_seconds() * 1e9) if recent is not None else None
        for watcher in self.files:
            watcher.prime(now, modified_before_ns=before)

    def missing(self, stored_paths: Iterable[str]) -> list[str]:
        """Stored article paths whose files disappeared while nobody watched (see
        :meth:`FileWatcher.missing`); blocking, so run it in a thread."""
        paths = list(stored_paths)
        gone: dict[str, None] = {}
        for watcher in self.files:
            gone.update(dict.fromkeys(watcher.missing(paths)))
        return list(gone)

    def scan_files(self) -> PollResult:
        """All folders/globs/files, synchronously (the caller may run it in a thread)."""
        now = self.clock()
        result = PollResult()
        for watcher in self.files:
            if watcher.due(now):
                result.extend(watcher.scan(now))
        return result

    def confirm(self, ids: Iterable[str] | None = None, *, deletions: bool = True) -> None:
        """The store has the articles ``ids`` (every pending one when None) and, with
        ``deletions``, has applied the deletions: only now do they count as seen."""
        wanted = None if ids is None else set(ids)
        for watcher in self.files:
            watcher.confirm(wanted, deletions=deletions)
        for feed in self.feeds:
            feed.confirm(wanted)

    def store_failed(self, error: str) -> None:
        """Everything not confirmed since the last poll is read again at a later poll,
        with back-off; each source concerned reports the failure in its status."""
        now = self.clock()
        for watcher in self.files:
            watcher.store_failed(now, error)
        for feed in self.feeds:
            feed.store_failed(now, error)

    async def poll_feeds(self, *, session: Any = None) -> PollResult:
        now = self.clock()
        due = [w for w in self.feeds if w.due(now)]
        result = PollResult()
        for part in await asyncio.gather(*(w.poll(now, session=session) for w in due)):
            result.extend(part)
        if self.chat_feeds is not None and result.articles:  # full text for teaser items
            result.articles = await self.chat_feeds.with_full_text(result.articles)
        return result

    async def poll_once(self, *, session: Any = None) -> PollResult:
        """Scan files (in a worker thread: stat and parse are blocking) and due feeds together."""
        files_task = asyncio.to_thread(self.scan_files)
        files, feeds, chat = await asyncio.gather(
            files_task, self.poll_feeds(session=session), self._poll_chat_feeds()
        )
        files.extend(feeds)
        files.articles.extend(chat)
        return files

    async def _poll_chat_feeds(self) -> list[Article]:
        return await self.chat_feeds.poll(self.clock()) if self.chat_feeds is not None else []
