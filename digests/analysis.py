"""Per-article analysis, versioned and keyed by content, so it is computed once and stored.

Everything the engine derives from one article — its summary, quotes (with
speakers and key flags), topics, and the features clustering compares — is a
pure function of the article's content and of the engine's code. This module
computes it once (:func:`analyse`), names the inputs it depends on
(:func:`content_hash`), and packs it compactly (:meth:`ArticleAnalysis.to_bytes`,
orjson) so a caller can keep it next to the article and never recompute it.

For code that stores analyses (the bot's database, the CLI's cache)::

    digest = content_hash(article)             # 32 hex chars
    if stored_hash != digest or stored is None:
        analysis = analyse(article)            # the costly part, ~10 ms an article
        store(article.id, digest, analysis.to_bytes())
    else:
        analysis = ArticleAnalysis.from_bytes(stored)   # ~20 µs; raises ValueError if unusable

then hand ``{article.id: analysis}`` to :func:`digests.engine.build_stories` /
:func:`digests.engine.stories_for` (``analyses=``) and nothing is recomputed. For
clustering, ``analysis.features`` are the unit's feature codes (``digests.cluster.feature_codes``,
the same ints an inverted index stores) and ``analysis.thin`` its thinness:
``unit_of(rep, coded=(analysis.features, analysis.thin))`` or
``cluster(articles, stored=lambda a: (x.features, x.thin))`` extract nothing again.

* ``content_hash`` covers the title, text, tags and category (all the analysis
  reads; the URL, dates, author and path are not read, so changing them keeps the
  analysis) and :func:`engine_version`. Store the hash in its own column and
  compare it: a new engine gives every article a new hash, so stale rows are found
  by ``content_hash != content_hash(article)`` without decoding them.
* :func:`engine_version` is ``ENGINE_VERSION`` (bump it when the output changes
  for a reason the code fingerprint cannot see) plus a fingerprint of the source
  of the analysing modules, so any change to the summary, quote, speaker, topic or
  clustering code invalidates stored analyses by itself — a deploy with new
  engine code re-analyses each article once.
* :meth:`ArticleAnalysis.from_bytes` raises ``ValueError`` for bytes that are not
  an analysis of this format (corrupt, truncated, older format): treat that as
  "not stored" and analyse again.
* The summary is for ``summary_chars`` (320 by default); asked for another
  length, the engine summarises again rather than use the stored one.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from digests.cluster import coded_features
from digests.models import Article, Quote
from digests.topics import article_topics, tag_topics
from digests.workers import worker_count

log = logging.getLogger(__name__)

__all__ = [
    "ENGINE_VERSION",
    "SUMMARY_CHARS",
    "ArticleAnalysis",
    "analyse",
    "analyse_many",
    "content_hash",
    "engine_version",
    "ingest_version",
]

ENGINE_VERSION = 1  # bump when output changes in a way the source fingerprint cannot see
SUMMARY_CHARS = 320  # the summary length stories use unless told otherwise
_FORMAT = 3  # layout of to_bytes(); a different layout reads as "not stored"

_PACKAGE = Path(__file__).resolve().parent
# Modules that only shape Articles (ingest, cleaning) or stories (engine, coverage) do
# not change a stored analysis; every other module of the package may.
_NOT_ANALYSIS = ("ingest/", "clean.py", "engine.py", "coverage.py", "workers.py")


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(paths):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:  # pragma: no cover - sources not installed (zipapp); version only
            digest.update(b"?")
    return digest.hexdigest()


@cache
def engine_version() -> str:
    """``ENGINE_VERSION`` plus a fingerprint of the analysing code (see the module doc)."""
    paths = [
        p
        for p in _PACKAGE.rglob("*.py")
        if not p.relative_to(_PACKAGE).as_posix().startswith(_NOT_ANALYSIS)
    ]
    return f"{ENGINE_VERSION}.{_FORMAT}.{_fingerprint(paths)}"


@cache
def ingest_version() -> str:
    """A fingerprint of all the engine's code, ingest and cleaning included.

    A cache of *parsed* files (path and stat → Article) must be keyed by this: a change
    to the cleaning code changes the text an unchanged file gives.
    """
    return f"{ENGINE_VERSION}.{_FORMAT}.{_fingerprint(list(_PACKAGE.rglob('*.py')))}"


def content_hash(article: Article) -> str:
    """32 hex chars naming everything :func:`analyse` reads of ``article``, and the engine."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (engine_version(), article.title, article.category or "", *article.tags):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    digest.update(b"\1")
    digest.update(article.text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """What the engine derives from one article (see the module docstring).

    ``topics`` are the article's own topics (tags, category, then keyword topics),
    ``tag_topics`` only those its source gave (what a story takes from its other
    members); ``features`` (sorted 64-bit feature codes) and ``thin`` are what clustering
    compares (:func:`digests.cluster.coded_features`).
    """

    content_hash: str
    summary: str
    quotes: tuple[Quote, ...]
    topics: tuple[str, ...]
    tag_topics: tuple[str, ...]
    features: tuple[int, ...]
    thin: bool
    summary_chars: int = SUMMARY_CHARS

    def to_bytes(self) -> bytes:
        """Compact bytes: orjson for the text fields, a newline, then the feature codes as
        little-endian int64s (a few KB for a typical article; decoded in ~20 µs)."""
        head = orjson.dumps(
            [
                _FORMAT,
                self.content_hash,
                self.summary_chars,
                self.summary,
                [[q.text, q.speaker, q.key, q.score, q.how] for q in self.quotes],
                self.topics,
                self.tag_topics,
                self.thin,
            ]
        )
        codes = array("q", self.features)
        if sys.byteorder != "little":  # pragma: no cover
            codes.byteswap()
        return head + b"\n" + codes.tobytes()

    @classmethod
    def from_bytes(cls, data: bytes | bytearray | memoryview) -> ArticleAnalysis:
        """The analysis :meth:`to_bytes` wrote; ``ValueError`` for anything else."""
        try:
            raw = bytes(data)
            cut = raw.index(b"\n")  # orjson never writes a raw newline
            row = orjson.loads(raw[:cut])
            fmt, digest, chars, summary, quotes, topics, tags, thin = row
            if fmt != _FORMAT:
                raise ValueError(f"analysis format {fmt!r}, expected {_FORMAT}")
            codes = array("q")
            codes.frombytes(raw[cut + 1 :])  # ValueError unless whole int64s
            if sys.byteorder != "little":  # pragma: no cover
                codes.byteswap()
            analysis = cls(
                content_hash=_str(digest),
                summary=_str(summary),
                quotes=tuple(_quote(*q) for q in quotes),
                topics=tuple(map(_str, topics)),
                tag_topics=tuple(map(_str, tags)),
                features=tuple(codes),
                thin=bool(thin),
                summary_chars=int(chars),
            )
        except (TypeError, ValueError) as exc:
            raise ValueError(f"not a stored article analysis: {exc}") from None
        return analysis


def _quote(text: Any, speaker: Any, key: Any, score: Any, how: Any) -> Quote:
    if (
        type(text) is not str
        or type(how) is not str
        or (speaker is not None and type(speaker) is not str)
    ):
        raise TypeError("a quote's text, speaker and rule are text")
    return Quote(text, speaker, key is True, float(score), how)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


# The quote and summary engines compile hundreds of patterns on import (~0.2 s): a run
# that finds every analysis stored never imports them.
def extract_quotes(text: str, *, title: str | None = None) -> tuple[Quote, ...]:
    from digests.quotes import extract_quotes as extract

    return extract(text, title=title)


def summarize(article: Article, *, max_chars: int) -> str:
    from digests.summary import summarize as summary_of

    return summary_of(article, max_chars=max_chars)


def _quotes(article: Article) -> tuple[Quote, ...]:
    """The article's quotes; a failure on one odd article costs its quotes, not the digest."""
    try:
        return extract_quotes(article.text, title=article.title)
    except Exception:  # RecursionError included: one pathological text must not stop a digest
        log.warning("quote extraction failed for %s", article.path or article.id, exc_info=True)
        return ()


def analyse(
    article: Article, *, summary_chars: int = SUMMARY_CHARS, digest: str | None = None
) -> ArticleAnalysis:
    """Everything the engine derives from ``article`` (``digest``: its :func:`content_hash`,
    when the caller has it already)."""
    features, thin = coded_features(article)
    return ArticleAnalysis(
        content_hash=digest or content_hash(article),
        summary=summarize(article, max_chars=summary_chars),
        quotes=_quotes(article),
        topics=article_topics(article),
        tag_topics=tag_topics(article),
        features=features,
        thin=thin,
        summary_chars=summary_chars,
    )


PARALLEL_MIN_ARTICLES = 500  # below this, forking costs more than it saves (~5 ms an article)
_CHUNK = 50
_JOBS: tuple[Sequence[Article], int] | None = None  # what forked workers read


def _analyse_chunk(bounds: tuple[int, int]) -> list[bytes]:
    assert _JOBS is not None
    articles, chars = _JOBS
    # bytes travel back: one orjson string pickles far cheaper than nested objects
    return [analyse(a, summary_chars=chars).to_bytes() for a in articles[bounds[0] : bounds[1]]]


def analyse_many(
    articles: Sequence[Article],
    *,
    summary_chars: int = SUMMARY_CHARS,
    workers: int | None = 1,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[ArticleAnalysis]:
    """:func:`analyse` of each article, in order; articles with the same content are
    analysed once. ``workers=None`` forks one process per CPU for big batches when
    that is safe (see :mod:`digests.workers`)."""
    global _JOBS
    hashes = [content_hash(a) for a in articles]
    first: dict[str, int] = {}
    for i, h in enumerate(hashes):
        first.setdefault(h, i)
    todo = [articles[i] for i in first.values()]
    count = worker_count(len(todo), workers, min_items=PARALLEL_MIN_ARTICLES)
    done: list[ArticleAnalysis] = []
    if count <= 1:
        for article, digest in zip(todo, first, strict=True):
            done.append(analyse(article, summary_chars=summary_chars, digest=digest))
            if on_progress is not None and len(done) % _CHUNK == 0:
                on_progress(len(done), len(todo))
    else:
        bounds = [(i, min(i + _CHUNK, len(todo))) for i in range(0, len(todo), _CHUNK)]
        _JOBS = (todo, summary_chars)
        try:
            with multiprocessing.get_context("fork").Pool(count) as pool:
                for part in pool.imap(_analyse_chunk, bounds):
                    done.extend(map(ArticleAnalysis.from_bytes, part))
                    if on_progress is not None:
                        on_progress(len(done), len(todo))
        finally:
            _JOBS = None
    if on_progress is not None:
        on_progress(len(done), len(todo))
    by_hash = dict(zip(first, done, strict=True))
    return [by_hash[h] for h in hashes]
