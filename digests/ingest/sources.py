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

from .feeds import parse_feed
from .fetch import FetchError, fetch_feed
from .files import looks_like_feed, parse_resolved
from .ids import is_http_url
from .result import IngestFailure, IngestResult

if TYPE_CHECKING:
    import aiohttp

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".txt", ".text"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
_GLOB_CHARS = frozenset("*?[")


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
            with open(path, "rb") as fh:
                feed = parse_feed(fh.read(), path)
            out.extend(feed.articles)
            out.extend(feed.errors)
            return
        out.append(parse_resolved(path, suffix))
    except IngestFailure as exc:
        out.append(IngestError(path, exc.reason))
    except OSError as exc:
        out.append(IngestError(path, f"cannot read file: {exc.strerror or exc}"))


def _sniff_feed(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return looks_like_feed(fh.read(1024))
    except OSError:
        return False


def _expand(specs: Iterable[str | os.PathLike[str]]) -> Iterator[tuple[str, str | None]]:
    """Yield ``(absolute path, None)`` per file, or ``(spec, reason)`` when a spec matches nothing."""
    for raw in specs:
        spec = os.fspath(raw)
        if os.path.isdir(spec):
            root = os.path.realpath(spec)
            found = list(_walk(root))
            if not found:
                yield spec, "folder has no .md, .txt or feed files"
            for path in found:
                yield path, None
        elif os.path.exists(spec):
            yield os.path.realpath(spec), None
        elif _GLOB_CHARS & set(spec):
            matches = sorted(glob.glob(spec, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if not files:
                yield spec, "no files match this pattern"
            for path in files:
                yield os.path.realpath(path), None
        else:
            yield spec, "no such file or folder; check the path"


def _walk(root: str) -> Iterator[str]:
    """Article and feed files under ``root``, sorted, skipping hidden files and folders."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path)
        elif entry.is_file():
            suffix = os.path.splitext(entry.name)[1].lower()
            if suffix in ARTICLE_SUFFIXES or suffix in FEED_SUFFIXES:
                yield entry.path


def dedupe(result: IngestResult) -> IngestResult:
    """Keep the first article per id; later copies become errors naming the first."""
    seen: dict[str, Article] = {}
    articles: list[Article] = []
    errors = list(result.errors)
    for article in result.articles:
        first = seen.get(article.id)
        if first is None:
            seen[article.id] = article
            articles.append(article)
            continue
        where = first.path or first.url or first.id
        errors.append(
            IngestError(
                article.path or article.url or article.id,
                f"duplicate of {where} (same article id {article.id}); skipped",
            )
        )
    return IngestResult(articles, errors)


async def load_sources(
    specs: Iterable[str | os.PathLike[str]],
    *,
    session: aiohttp.ClientSession | None = None,
    concurrency: int = 8,
) -> IngestResult:
    """Paths and http(s) feed URLs together; URLs are fetched concurrently."""
    specs = [os.fspath(s) for s in specs]
    urls = [s for s in specs if is_http_url(s)]
    paths = [s for s in specs if not is_http_url(s)]
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
