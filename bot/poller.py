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
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digests.models import Article, IngestError

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt")
FAILING_AFTER = 3  # consecutive failures before a source is reported as failing
MAX_BACKOFF = timedelta(hours=1)

Clock = Callable[[], datetime]
ParseFile = Callable[[str], Article]
FetchFeed = Callable[..., Awaitable[Any]]
ParseFeed = Callable[[bytes, str], Any]


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """How one configured source is doing, for ``newsbot status`` and ``/news why``."""

    source: str
    kind: str  # folder | glob | file | feed
    last_scan: datetime | None = None
    last_ok: datetime | None = None
    failures: int = 0  # consecutive
    last_error: str | None = None
    next_attempt: datetime | None = None
    items: int = 0  # files watched or entries in the last feed

    @property
    def failing(self) -> bool:
        return self.failures >= FAILING_AFTER


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


def scan_tree(
    root: str, suffixes: tuple[str, ...] = ARTICLE_SUFFIXES
) -> Iterator[tuple[str, int, int]]:
    """Yield ``(path, mtime_ns, size)`` for article files under ``root``; hidden entries skipped."""
    stack = [root]
    while stack:
        top = stack.pop()
        with os.scandir(top) as it:
            for entry in it:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=True):
                    stack.append(entry.path)
                elif name.endswith(suffixes):
                    try:
                        st = entry.stat()
                    except FileNotFoundError:  # deleted between listing and stat
                        continue
                    yield entry.path, st.st_mtime_ns, st.st_size


class FileWatcher:
    """A folder, glob or single file, re-scanned by stat; parses only what changed.

    The cache lives in memory: the first scan parses everything (and the store's
    upsert makes that harmless after a restart), later scans parse only changes.
    """

    def __init__(
        self,
        spec: str,
        *,
        parse: ParseFile | None = None,
        suffixes: tuple[str, ...] = ARTICLE_SUFFIXES,
    ) -> None:
        self.spec = spec
        self.suffixes = suffixes
        self.parse = parse or _default_parse_file
        self.kind = (
            "glob" if glob.has_magic(spec) else ("file" if Path(spec).is_file() else "folder")
        )
        self.cache: dict[str, tuple[int, int]] = {}
        self.status = SourceStatus(source=spec, kind=self.kind)

    def _listing(self) -> Iterator[tuple[str, int, int]]:
        if self.kind == "glob":
            for path in glob.iglob(self.spec, recursive=True):
                if path.endswith(self.suffixes):
                    try:
                        st = os.stat(path)
                    except FileNotFoundError:
                        continue
                    yield path, st.st_mtime_ns, st.st_size
        elif self.kind == "file":
            st = os.stat(self.spec)  # a missing file is an error the status reports
            yield self.spec, st.st_mtime_ns, st.st_size
        else:
            if not os.path.isdir(self.spec):
                raise FileNotFoundError(
                    f"folder {self.spec} does not exist (check NEWSBOT_SOURCES)"
                )
            yield from scan_tree(self.spec, self.suffixes)

    def changes(self) -> tuple[list[str], list[str], dict[str, tuple[int, int]]]:
        """Stat-only pass: (changed or new paths, deleted paths, the new cache). Parses nothing."""
        old = self.cache
        new: dict[str, tuple[int, int]] = {}
        changed: list[str] = []
        for path, mtime_ns, size in self._listing():
            sig = (mtime_ns, size)
            new[path] = sig
            if old.get(path) != sig:
                changed.append(path)
        deleted = [p for p in old if p not in new] if len(new) != len(old) or changed else []
        return changed, deleted, new

    def prime(self, now: datetime, *, modified_before_ns: int | None = None) -> None:
        """Fill the cache without parsing: for when the bot has just ingested these files.

        Files modified at or after ``modified_before_ns`` (file-system time) are left
        out, so the first scan reads them again: one edited while the start-up ingest
        was running might otherwise be stored in its old version and then look unchanged.
        """
        try:
            _, _, cache = self.changes()
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

    def scan(self, now: datetime) -> PollResult:
        """Re-scan; parse new and changed files; notice deletions. Never raises for bad input."""
        result = PollResult()
        try:
            changed, deleted, new_cache = self.changes()
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
        for path in changed:
            try:
                result.articles.append(self.parse(path))
            except Exception as exc:
                if not _is_ingest_failure(exc):
                    raise
                result.errors.append(IngestError(path, str(exc) or type(exc).__name__))
            result.parsed += 1
        # ingest records real paths (symlinks resolved); report deletions the same way
        result.deleted = [os.path.realpath(p) for p in deleted]
        self.cache = new_cache
        self.status = replace(
            self.status,
            last_scan=now,
            last_ok=now,
            failures=0,
            last_error=None,
            items=len(new_cache),
        )
        return result


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
        self.status = SourceStatus(source=self.shown, kind="feed")

    def due(self, now: datetime) -> bool:
        return self.status.next_attempt is None or now >= self.status.next_attempt

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
        for article in parsed.articles:
            digest = hashlib.blake2b(
                f"{article.title}\0{article.text}".encode(), digest_size=12
            ).hexdigest()
            seen[article.id] = digest
            if self.seen.get(article.id) != digest:
                result.articles.append(article)
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
    ) -> None:
        self.clock = clock
        self.interval = interval
        self.files: list[FileWatcher] = []
        self.feeds: list[FeedWatcher] = []
        for spec in specs:
            if is_feed(spec):
                self.feeds.append(
                    FeedWatcher(spec, interval=interval, fetch=fetch_feed, parse=parse_feed)
                )
            else:
                self.files.append(FileWatcher(spec, parse=parse_file))

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
            result.extend(watcher.scan(now))
        return result

    async def poll_feeds(self, *, session: Any = None) -> PollResult:
        now = self.clock()
        due = [w for w in self.feeds if w.due(now)]
        result = PollResult()
        for part in await asyncio.gather(*(w.poll(now, session=session) for w in due)):
            result.extend(part)
        return result

    async def poll_once(self, *, session: Any = None) -> PollResult:
        """Scan files (in a worker thread: stat and parse are blocking) and due feeds together."""
        files_task = asyncio.to_thread(self.scan_files)
        files, feeds = await asyncio.gather(files_task, self.poll_feeds(session=session))
        files.extend(feeds)
        return files
