"""The ``newsbot digest`` cache: an unchanged file is never parsed, cleaned or analysed again.

:func:`load_analysed` is a run's input: articles and their analyses, from the cache
where the files are unchanged, parsed and analysed (in worker processes) where not.

One SQLite file, ``digest-cache.sqlite3`` in the user's cache folder
(``$XDG_CACHE_HOME/newsbot/`` — ``~/.cache/newsbot/`` by default on Linux,
``~/Library/Caches/newsbot`` on macOS; ``--cache-dir`` to choose another), with two
tables:

* ``files``: absolute path → its stat (size, mtime, ctime, inode) when read, the code
  version, what parsing gave (articles or errors, pickled rows) and each article's
  :func:`~digests.analysis.content_hash`. A file whose stat and code are unchanged is
  not opened again.
* ``analyses``: content hash → :class:`~digests.analysis.ArticleAnalysis` bytes. The
  same text under another path or URL (a copy, a feed item) is analysed once.

Rows written by another engine version are deleted when a run stores new ones, so
the file does not grow with upgrades. Concurrent runs are safe (WAL mode, one short
write transaction at the end, a busy timeout; a run that cannot write in time just
does not store). A corrupt or unreadable cache is reported once, deleted and rebuilt;
a run never fails because of its cache. ``newsbot cache clear`` deletes it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from digests.analysis import ArticleAnalysis
    from digests.ingest import IngestResult, Parsed
    from digests.models import Article

OnProgress = Callable[[int, int], None]

FILE_NAME = "digest-cache.sqlite3"
SCHEMA = 2
BUSY_TIMEOUT_S = 10.0
_BATCH = 900  # SQL parameters per lookup (SQLite's old limit is 999)

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
Warn = Callable[[str], None]

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, stat TEXT NOT NULL, version TEXT NOT NULL,
    items BLOB NOT NULL, hashes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_version ON files (version);
CREATE TABLE IF NOT EXISTS analyses (
    hash TEXT PRIMARY KEY, version TEXT NOT NULL, data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS analyses_version ON analyses (version);
CREATE TABLE IF NOT EXISTS clusters (
    inputs TEXT PRIMARY KEY, version TEXT NOT NULL, groups BLOB NOT NULL
);
"""
KEEP_CLUSTERINGS = 8  # the last few sets of articles clustered (one per folder people digest)


def default_dir() -> Path:
    """The user's cache folder for newsbot (platformdirs honours ``XDG_CACHE_HOME``)."""
    import platformdirs

    return platformdirs.user_cache_path("newsbot", appauthor=False)


def stat_of(path: str) -> Stat | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _stat_text(stat: Stat) -> str:
    return ",".join(map(str, stat))


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _BATCH):
        yield items[i : i + _BATCH]


class DigestCache:
    """Parsed files and analyses from earlier runs (see the module docstring)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, warn: Warn) -> None:
        self.path = path
        self._conn = conn
        self._warn = warn
        self._broken = False

    # --- opening --------------------------------------------------------------------

    @classmethod
    def open(cls, directory: Path, *, warn: Warn) -> DigestCache | None:
        """The cache in ``directory`` (created if missing); a corrupt one is rebuilt.

        None, after a warning, when no cache can be used there (the run goes on without).
        """
        path = directory / FILE_NAME
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            warn(f"cache folder {directory} cannot be created ({exc.strerror}); not caching")
            return None
        for attempt in (1, 2):
            try:
                return cls(path, _connect(path), warn)
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not path.exists():
                    warn(f"cache {path} cannot be used ({exc}); not caching")
                    return None
                warn(f"cache {path} is unreadable ({exc}); rebuilding it")
                _delete(path)
        return None  # pragma: no cover

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def _failed(self, exc: sqlite3.Error, doing: str) -> None:
        """A read that failed: say so once, start an empty cache, go on without the rows."""
        if self._broken:
            return
        self._broken = True
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            self._warn(f"cache {self.path} is busy (another run?); {doing} skipped")
            return
        self._warn(f"cache {self.path} is unreadable ({exc}); rebuilding it")
        self.close()
        _delete(self.path)
        try:
            self._conn = _connect(self.path)
            self._broken = False
        except sqlite3.Error:
            pass

    # --- reading --------------------------------------------------------------------

    def files(self, stats: dict[str, Stat], version: str) -> dict[str, tuple[Parsed, list[str]]]:
        """Cached results of the files whose stat and code version match: path → (items, hashes)."""
        if self._broken or not stats:
            return {}
        found: dict[str, tuple[Parsed, list[str]]] = {}
        try:
            for part in _chunks(list(stats)):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(
                    f"SELECT path, stat, version, items, hashes FROM files WHERE path IN ({marks})",
                    part,
                )
                for path, stat, row_version, items, hashes in rows:
                    if row_version != version or stat != _stat_text(stats[path]):
                        continue
                    parsed = _unpack_items(items)
                    if parsed is not None:
                        found[path] = (parsed, hashes.split(",") if hashes else [])
        except sqlite3.Error as exc:
            self._failed(exc, "reading")
            return {}
        return found

    def analyses(self, hashes: Iterable[str]) -> dict[str, ArticleAnalysis]:
        """Stored analyses by content hash (unusable rows are left out, to be replaced)."""
        from digests.analysis import ArticleAnalysis

        wanted = list(dict.fromkeys(hashes))
        if self._broken or not wanted:
            return {}
        found: dict[str, ArticleAnalysis] = {}
        try:
            for part in _chunks(wanted):
                marks = ",".join("?" * len(part))
                rows = self._conn.execute(
                    f"SELECT hash, data FROM analyses WHERE hash IN ({marks})", part
                )
                for digest, data in rows:
                    with contextlib.suppress(ValueError):
                        found[digest] = ArticleAnalysis.from_bytes(data)
        except sqlite3.Error as exc:
            self._failed(exc, "reading")
            return {}
        return found

    def groups(self, inputs: str, version: str) -> list[list[str]] | None:
        """The article ids of each cluster of the same set of articles, when clustered before."""
        if self._broken:
            return None
        try:
            row = self._conn.execute(
                "SELECT groups FROM clusters WHERE inputs = ? AND version = ?", (inputs, version)
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, "reading")
            return None
        if row is None:
            return None
        try:
            groups = orjson.loads(row[0])
            if all(isinstance(g, list) and all(isinstance(i, str) for i in g) for g in groups):
                return groups
        except (orjson.JSONDecodeError, TypeError):
            pass
        return None

    def store_groups(self, inputs: str, version: str, groups: list[list[str]]) -> None:
        """Remember a clustering; only the last ``KEEP_CLUSTERINGS`` are kept."""
        if self._broken:
            return
        try:
            with self._conn:
                self._conn.execute(
                    "INSERT OR REPLACE INTO clusters VALUES (?, ?, ?)",
                    (inputs, version, orjson.dumps(groups)),
                )
                self._conn.execute(
                    "DELETE FROM clusters WHERE rowid NOT IN "
                    "(SELECT rowid FROM clusters ORDER BY rowid DESC LIMIT ?)",
                    (KEEP_CLUSTERINGS,),
                )
        except sqlite3.Error as exc:
            self._warn(f"cache {self.path} cannot be written ({exc}); clustering not stored")

    # --- writing --------------------------------------------------------------------

    def store(
        self,
        files: Sequence[tuple[str, Stat, Parsed, list[str]]],
        analyses: Sequence[ArticleAnalysis],
        *,
        version: str,
        engine: str,
    ) -> None:
        """Add what this run parsed and analysed, in one transaction; drop rows of other versions."""
        if self._broken or (not files and not analyses):
            return
        file_rows = [
            (path, _stat_text(stat), version, _pack_items(items), ",".join(hashes))
            for path, stat, items, hashes in files
        ]
        analysis_rows = [(a.content_hash, engine, a.to_bytes()) for a in analyses]
        try:
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?)", file_rows
                )
                self._conn.executemany(
                    "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?)", analysis_rows
                )
                self._conn.execute("DELETE FROM files WHERE version != ?", (version,))
                self._conn.execute("DELETE FROM analyses WHERE version != ?", (engine,))
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._warn(f"cache {self.path} is busy (another run?); results not stored")
            else:
                self._warn(f"cache {self.path} cannot be written ({exc}); results not stored")
        except sqlite3.Error as exc:
            self._warn(f"cache {self.path} cannot be written ({exc}); results not stored")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.isolation_level = "DEFERRED"
        with conn:
            for statement in filter(str.strip, _SCHEMA_SQL.split(";")):
                conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            elif row[0] != str(SCHEMA):
                conn.execute("DELETE FROM files")
                conn.execute("DELETE FROM analyses")
                conn.execute("DELETE FROM clusters")
                conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA),))
    except BaseException:
        conn.close()
        raise
    return conn


def _delete(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


def clear(directory: Path) -> int:
    """Delete the cache in ``directory``; the number of bytes freed (0 when there was none)."""
    path = directory / FILE_NAME
    size = sum(p.stat().st_size for p in (path, path.with_name(path.name + "-wal")) if p.exists())
    _delete(path)
    return size


# --- packing parsed files -----------------------------------------------------------------


def _article_fields() -> list[str]:
    from digests.models import Article

    return [f.name for f in fields(Article)]


def _pack_items(items: Parsed) -> bytes:
    from digests.models import IngestError

    names = _article_fields()
    rows: list[tuple[Any, ...]] = []
    for item in items:
        if isinstance(item, IngestError):
            rows.append(("e", item.path, item.error))
        else:
            rows.append(("a", *(getattr(item, n) for n in names)))
    return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack_items(data: bytes) -> Parsed | None:
    """Parsed items back from :func:`_pack_items`; None for anything unusable (a miss)."""
    from digests.models import Article, IngestError

    try:
        rows = pickle.loads(data)  # our own file in the user's own cache folder
        out: Parsed = []
        for row in rows:
            if row[0] == "e":
                out.append(IngestError(row[1], row[2]))
            elif row[0] == "a":
                out.append(Article(*row[1:]))
            else:
                return None
        return out
    except Exception:  # corrupt row: parse the file again
        return None


# --- a run ------------------------------------------------------------------------------


def load_analysed(
    sources: Sequence[str],
    cache: DigestCache | None,
    *,
    bar: Callable[[str], OnProgress] | None = None,
) -> tuple[IngestResult, dict[str, ArticleAnalysis]]:
    """Articles from ``sources`` (files, folders, globs, feed URLs) and each one's analysis
    (article id → analysis), as ``load_paths`` + ``analyse_many`` would give them, with
    everything ``cache`` holds reused and everything new stored in it.

    ``bar(description)`` makes a progress callback (called only for work actually done).
    """
    from digests.analysis import analyse_many, content_hash, engine_version, ingest_version
    from digests.ingest import IngestResult, dedupe, expand, parse_each
    from digests.ingest.ids import is_http_url
    from digests.models import IngestError

    urls = [s for s in sources if is_http_url(s)]
    articles: list[Article] = []
    hashes: list[str] = []
    errors: list[IngestError] = []
    files: list[str] = []
    for path, error in expand([s for s in sources if not is_http_url(s)]):
        if error is not None:
            errors.append(IngestError(path, error))
        else:
            files.append(path)
    stats = {p: stat_of(p) for p in files}
    version = ingest_version()
    known = cache.files({p: s for p, s in stats.items() if s}, version) if cache else {}
    missing = [p for p in files if p not in known]
    reading = bar("Reading articles") if bar and missing else None
    fresh = dict(zip(missing, parse_each(missing, on_progress=reading), strict=True))
    new_files: list[tuple[str, Stat, Parsed, list[str]]] = []
    for path in files:
        if path in known:
            items, item_hashes = known[path]
        else:
            items = fresh[path]
            item_hashes = [content_hash(a) for a in items if not isinstance(a, IngestError)]
            stat = stats[path]
            if stat is not None and _cacheable(items):
                new_files.append((path, stat, items, item_hashes))
        found = [a for a in items if not isinstance(a, IngestError)]
        if len(found) != len(item_hashes):  # pragma: no cover - a row from another layout
            item_hashes = [content_hash(a) for a in found]
        articles.extend(found)
        hashes.extend(item_hashes)
        errors.extend(e for e in items if isinstance(e, IngestError))
    if urls:
        import asyncio

        from digests.ingest import load_sources

        fetched = asyncio.run(load_sources(urls))
        articles.extend(fetched.articles)
        hashes.extend(content_hash(a) for a in fetched.articles)
        errors.extend(fetched.errors)
    hash_of = {id(a): h for a, h in zip(articles, hashes, strict=True)}
    result = dedupe(IngestResult(articles, errors))
    # dedupe may hand back a new Article (another id for a post under a shared URL);
    # its content, and so its hash, is the one read
    wanted = [hash_of.get(id(a)) or content_hash(a) for a in result.articles]
    by_hash = cache.analyses(wanted) if cache else {}
    todo = [a for a, h in zip(result.articles, wanted, strict=True) if h not in by_hash]
    analysing = bar("Analysing articles") if bar and todo else None
    computed = analyse_many(todo, workers=None, on_progress=analysing)
    new_analyses = {x.content_hash: x for x in computed if x.content_hash not in by_hash}
    by_hash.update(new_analyses)
    if cache is not None:
        cache.store(
            new_files, list(new_analyses.values()), version=version, engine=engine_version()
        )
    analyses = {a.id: by_hash[h] for a, h in zip(result.articles, wanted, strict=True)}
    return result, analyses


def _cacheable(items: Parsed) -> bool:
    """Whether a file's result may be reused: not when reading it failed (that may pass)."""
    from digests.models import IngestError

    return not any(isinstance(i, IngestError) and i.error.startswith("cannot read") for i in items)


def cluster_cached(
    articles: Sequence[Article],
    analyses: dict[str, ArticleAnalysis],
    cache: DigestCache | None,
) -> list[list[Article]]:
    """``digests.cluster.cluster`` of ``articles`` with their stored features; the same set of
    articles as an earlier run (ids, contents, dates, URLs, paths) reuses that run's groups.

    Clustering depends only on the set of articles, so the stored groups are the result;
    they are put back in the order ``cluster`` gives (groups by first member, members in
    input order).
    """
    import hashlib

    from digests.analysis import engine_version
    from digests.cluster import cluster

    def coded(article: Article) -> tuple[tuple[int, ...], bool] | None:
        found = analyses.get(article.id)
        return (found.features, found.thin) if found is not None else None

    if cache is None or len(analyses) < len(articles):
        return cluster(articles, stored=coded)
    rows = sorted(
        "\0".join(
            (
                a.id,
                analyses[a.id].content_hash,
                a.published.isoformat() if a.published else "",
                str(a.extra.get("date_from", "")),
                a.url or "",
                a.path or "",
            )
        )
        for a in articles
    )
    inputs = hashlib.blake2b("\1".join(rows).encode(), digest_size=16).hexdigest()
    version = engine_version()
    by_id = {a.id: a for a in articles}
    known = cache.groups(inputs, version)
    if known is not None and sum(map(len, known)) == len(articles):
        position = {a.id: i for i, a in enumerate(articles)}
        try:
            groups = [sorted((by_id[i] for i in g), key=lambda a: position[a.id]) for g in known]
        except KeyError:
            groups = []
        if groups:
            groups.sort(key=lambda g: position[g[0].id])
            return groups
    groups = cluster(articles, stored=coded)
    cache.store_groups(inputs, version, [[a.id for a in g] for g in groups])
    return groups
