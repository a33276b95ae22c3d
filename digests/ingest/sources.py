"""Expand source specs (files, folders, globs, feed URLs) and ingest them all.

Order is deterministic (specs in order, folder contents sorted) so ids and the
"first seen wins" duplicate rule give the same result on every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from digests.models import Article, IngestError
from digests.workers import worker_count

from .files import looks_like_feed, parse_resolved
from .identity import resolve
from .ids import is_http_url
from .result import IngestFailure, IngestResult
from .safefs import read_head, read_regular, regular, shown, walk

if TYPE_CHECKING:
    import aiohttp

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
_GLOB_CHARS = frozenset("*?[")


MAX_FEED_BYTES = 20 * 1024 * 1024  # a saved feed dump may be larger than one article
PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves
_CHUNK = 250


OnProgress = Callable[[int, int], None]


def load_paths(
    specs: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    on_progress: OnProgress | None = None,
) -> IngestResult:
    """Read files, folders (recursively) and globs; one error per unusable file.

    Large inputs (``PARALLEL_MIN_FILES``+) are parsed by ``workers`` forked processes
    (default: one per CPU when forking is safe, see :mod:`digests.workers`); results
    keep input order either way.
    ``on_progress(files_done, files_total)`` is called as chunks of files finish
    (for a progress bar; it runs in this process, between chunks).
    """
    result = IngestResult()
    paths: list[str] = []
    for path, error in _expand(specs):
        if error is not None:
            result.errors.append(IngestError(path, error))
        else:
            paths.append(path)
    result.extend(_parse_all(paths, workers, on_progress))
    return dedupe(result)


def _parse_all(
    paths: list[str], workers: int | None, on_progress: OnProgress | None
) -> IngestResult:
    count = worker_count(len(paths), workers, min_items=PARALLEL_MIN_FILES)
    if count <= 1 and on_progress is None:
        return _parse_chunk(paths)
    size = max(1, min(_CHUNK, -(-len(paths) // (count * 4))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    out = IngestResult()
    done = 0
    if on_progress is not None:
        on_progress(0, len(paths))
    with contextlib.ExitStack() as stack:
        if count <= 1:
            parts: Iterable[IngestResult] = map(_parse_chunk, chunks)
        else:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(count))
            parts = pool.imap(_parse_chunk, chunks)
        for chunk, part in zip(chunks, parts, strict=True):
            out.extend(part)
            done += len(chunk)
            if on_progress is not None:
                on_progress(done, len(paths))
    return out


Parsed = list[Article | IngestError]  # what one file gave (a feed file gives several)


def parse_each(
    paths: list[str], *, workers: int | None = None, on_progress: OnProgress | None = None
) -> list[Parsed]:
    """What each of ``paths`` (absolute files, as :func:`expand` yields) gives, in order,
    one list per path: for callers that keep results per file (a cache keyed by path).
    Parsed in forked workers for big inputs, like :func:`load_paths`; not deduplicated."""
    count = worker_count(len(paths), workers, min_items=PARALLEL_MIN_FILES)
    size = max(1, min(_CHUNK, -(-len(paths) // (count * 4))))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    out: list[Parsed] = []
    with contextlib.ExitStack() as stack:
        if count <= 1:
            parts: Iterable[tuple[IngestResult, list[int], list[int]]] = map(_each_chunk, chunks)
        else:
            pool = stack.enter_context(multiprocessing.get_context("fork").Pool(count))
            parts = pool.imap(_each_chunk, chunks)
        for chunk, (result, article_of, error_of) in zip(chunks, parts, strict=True):
            per: list[Parsed] = [[] for _ in chunk]
            for article, i in zip(result.articles, article_of, strict=True):
                per[i].append(article)
            for error, i in zip(result.errors, error_of, strict=True):
                per[i].append(error)
            out.extend(per)
            if on_progress is not None:
                on_progress(len(out), len(paths))
    return out


def _each_chunk(paths: list[str]) -> tuple[IngestResult, list[int], list[int]]:
    """A chunk's results as one IngestResult (cheap to send back) plus each item's path index."""
    result = IngestResult()
    article_of: list[int] = []
    error_of: list[int] = []
    for i, path in enumerate(paths):
        items: list[Article | IngestError] = []
        _load_one(path, items)
        for item in items:
            if isinstance(item, IngestError):
                result.errors.append(item)
                error_of.append(i)
            else:
                result.articles.append(item)
                article_of.append(i)
    return result, article_of, error_of


def _parse_chunk(paths: list[str]) -> IngestResult:
    out: list[Article | IngestError] = []
    for path in paths:
        _load_one(path, out)
    result = IngestResult()
    for item in out:
        if isinstance(item, IngestError):
            result.errors.append(item)
        else:
            result.articles.append(item)
    return result


def _load_one(path: str, out: list[Article | IngestError]) -> None:
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix in FEED_SUFFIXES or (suffix not in ARTICLE_SUFFIXES and _sniff_feed(path)):
            data, _ = read_regular(path, limit=MAX_FEED_BYTES)
            from .feeds import parse_feed  # feedparser only when there is a feed

            feed = parse_feed(data, path)
            out.extend(feed.articles)
            out.extend(feed.errors)
            return
        out.append(parse_resolved(path, suffix))
    except IngestFailure as exc:
        out.append(IngestError(shown(path), exc.reason))
    except OSError as exc:
        out.append(IngestError(shown(path), f"cannot read file: {exc.strerror or exc}"))


def _sniff_feed(path: str) -> bool:
    try:
        return looks_like_feed(read_head(path, 1024))
    except OSError:
        return False


def expand(specs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(absolute path, None)`` per file of ``specs`` (files, folders, globs), in the
    order :func:`load_paths` reads them, or ``(spec, reason)`` when a spec matches nothing."""
    return _expand(specs)


def _expand(specs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(absolute path of a regular file, None)`` per file to read, or
    ``(path or spec as shown, reason)`` for a spec that matches nothing and for every
    entry that must not be opened (see :mod:`.safefs`)."""
    for raw in specs:
        spec = os.fspath(raw)
        if os.path.isdir(spec):
            root = os.path.realpath(spec)
            found = False
            try:
                for entry in walk(root, ARTICLE_SUFFIXES | FEED_SUFFIXES):
                    found = True
                    if entry.problem is not None:
                        yield shown(entry.path), entry.problem
                    else:
                        yield entry.real or entry.path, None
            except OSError as exc:
                yield shown(spec), f"cannot list folder: {exc.strerror or exc}"
                continue
            if not found:
                yield shown(spec), "folder has no .md, .txt or feed files"
        elif os.path.lexists(spec):
            yield from _checked(spec, None)
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            files = [m for m in matches if not os.path.isdir(m)]
            if not files:
                yield shown(spec), "no files match this pattern"
            root = glob_root(spec)
            for path in files:
                yield from _checked(path, root)
        else:
            yield shown(spec), "no such file or folder; check the path"


def _checked(path: str, root: str | None) -> Iterator[tuple[str, str | None]]:
    try:
        real, _ = regular(os.path.abspath(path), root)
    except IngestFailure as exc:
        yield shown(path), exc.reason
        return
    yield os.path.realpath(real), None


def glob_root(spec: str) -> str:
    """The real folder a glob pattern starts from (its path before the first wildcard):
    links found by the pattern may point only inside it."""
    parts = os.path.abspath(spec).split(os.sep)
    for i, part in enumerate(parts):
        if glob.has_magic(part):
            return os.path.realpath(os.sep.join(parts[:i]) or os.sep)
    return os.path.realpath(os.path.dirname(os.path.abspath(spec)))


def dedupe(result: IngestResult) -> IngestResult:
    """One article per id: copies and older versions of a page are reported and the newest
    kept; different articles that share a URL each keep an id of their own (see
    :mod:`digests.ingest.identity`)."""
    articles, notices = resolve(result.articles)
    return IngestResult(articles, [*result.errors, *notices])


async def load_sources(
    specs: Iterable[str | os.PathLike[str]],
    *,
    session: aiohttp.ClientSession | None = None,
    concurrency: int = 8,
) -> IngestResult:
    """Paths and http(s) feed URLs together; URLs are fetched concurrently."""
    names = [os.fspath(s) for s in specs]
    urls = [s for s in names if is_http_url(s)]
    paths = [s for s in names if not is_http_url(s)]
    result = IngestResult()
    if paths:
        result.extend(await asyncio.to_thread(load_paths, paths))
    if urls:
        for part in await _load_urls(urls, session, concurrency):
            result.extend(part)
    return dedupe(result)


async def _load_urls(
    urls: list[str], session: aiohttp.ClientSession | None, concurrency: int
) -> list[IngestResult]:
    import aiohttp

    from .feeds import parse_feed
    from .fetch import FetchError, fetch_feed

    gate = asyncio.Semaphore(concurrency)
    owned = session is None
    client = session or aiohttp.ClientSession()

    async def one(url: str) -> IngestResult:
        async with gate:
            try:
                fetched = await fetch_feed(url, session=client)
            except FetchError as exc:
                # the error's path is already the URL; don't say it twice
                reason = exc.reason.removeprefix(f"{url}: ")
                return IngestResult(errors=[IngestError(url, reason)])
        # feedparser and HTML cleaning are CPU work: parse off the event loop
        return await asyncio.to_thread(parse_feed, fetched.data or b"", url)

    try:
        return list(await asyncio.gather(*(one(u) for u in urls)))
    finally:
        if owned:
            await client.close()
