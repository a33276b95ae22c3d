"""Same-story grouping: rewrites of one event from several outlets become one cluster.

Rewrites share few word sequences (the seed pair has a 5-shingle Jaccard of
≈ 0.04) but they keep the *facts*: the same quotes, the same people, shows and
companies, the same figures. So each article is reduced to a small set of
distinctive features —

* ``q:`` word 4-grams from inside quotation marks (quotes survive rewriting),
* ``n:`` multi-word proper names ("Ted Sarandos", "Happy Gilmore 2") and
  mid-sentence capitalised words ("Eternaut"),
* ``#:`` numbers with units ("$11.5b", "17%"),

— weighted by type and by rarity (IDF), so that "OpenAI" shared by two AI
stories counts for little while a shared 6-word quote counts for a lot.

Candidate pairs come only from an inverted index over those features, and a
feature held by too many articles is dropped from the index, so the work is
near-linear (no all-pairs comparison). Exact duplicate texts are collapsed
first, so twenty copies of one article cost one. Pairs whose shared weight is
high, both absolutely and relative to the smaller article, and whose dates are
within a window, are joined with union-find.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from digests.models import Article
from digests.workers import worker_count

__all__ = ["MIN_OVERLAP", "MIN_SCORE", "article_features", "cluster", "pair_scores"]

SCAN_CHARS = 6000  # rewrites share their lead; the tail adds cost, not evidence
WINDOW = timedelta(days=4)
MIN_SCORE = 30.0  # summed weight of shared features needed to join two articles
MIN_OVERLAP = 0.15  # … and relative to both articles' totals (cosine-like)
BACKGROUND_DOCS = 200  # IDF as if there were at least this many articles
MAX_DF_SHARE = 0.05  # features in more than this share of articles are not distinctive
MIN_MAX_DF = 25
MAX_MAX_DF = 100  # bounds the pairs one feature can add (df² / 2)
MIN_BODY_FOR_KEY = 400

WEIGHTS = {"q": 1.0, "n": 1.2, "#": 0.8}

_QUOTED = re.compile(
    r"(?=[“‘\"'])(?:"  # a quote mark first lets the scan skip to one (~3x faster)
    r"“([^”]{12,600})”"  # curly double
    r"|‘([^’]{12,600})’(?![A-Za-z])"  # curly single (’ inside words is an apostrophe)
    r"|(?<![\w])\"([^\"]{12,600})\""  # straight double
    r"|(?<![\w])'(.{12,600}?)'(?=[\s.,;:!?)\]—–-]|$))",  # straight single, apostrophes allowed
    re.DOTALL,
)
_TOKEN = re.compile(r"[a-z0-9]+")
# "(?<![\w.])(?:[A-Z]…|[0-9]+)…" with the look-behind moved after the first character
# (never a newline, so "." covers it): the scan skips to capitals and digits, ~30% faster.
_NAME = re.compile(
    r"(?:[A-Z](?<![\w.].)[\w'’&-]*|[0-9](?<![\w.].)[0-9]*)(?:\s+(?:[A-Z][\w'’&-]*|[0-9]+))*"
)
# "(?<![\w'’])[a-z][\w'’-]*", look-behind after the first letter for the same reason.
_LOWER_WORD = re.compile(r"[a-z](?<![\w'’].)[\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;•\n\"“‘(]\s*)$")
_NUMBER = re.compile(
    r"(?=[$€£\d])"  # lets the scan skip ahead to a digit or currency sign (~1.6x faster)
    r"(?:([$€£])\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(million|billion|trillion|bn|[mbk])\b)?"
    r"|(\d[\d,]*(?:\.\d+)?)\s?(%|percent\b|million\b|billion\b|trillion\b|bn\b|mph\b|gb\b|"
    r"tb\b|mw\b|gw\b|kwh\b|miles\b|km\b|users\b|employees\b|people\b))",
    re.IGNORECASE,
)
_UNIT = {"percent": "%", "million": "m", "billion": "b", "trillion": "t", "bn": "b"}

# Capitalised words too common to identify a story.
_COMMON_NAMES = frozenset(
    """the a an and or but in on at of for to with by from as this that these those it its
    he she they we i you his her their our my your mr mrs ms dr ceo cto cfo vp us u.s uk eu un
    ai a.i ml api app apps ios android inc corp co llc ltd monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october
    november december today yesterday tomorrow however meanwhile also still yet so then now
    here there what why how when where who which if while after before during since until
    according earlier later last next first new more most one two three some many all
    pm am pdt pst edt est gmt utc posted updated image images credit credits photo""".split()
)


def _quote_features(text: str) -> set[str]:
    feats: set[str] = set()
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        tokens = _TOKEN.findall(inner.lower())
        if len(tokens) < 4:
            continue  # titles of shows, scare quotes
        feats.update("q:" + " ".join(tokens[i : i + 4]) for i in range(len(tokens) - 3))
    return feats


def _name_features(text: str) -> set[str]:
    # a capitalised word that also occurs in lower case is an ordinary word
    # ("Security" in a heading), not a name
    lower_words = set(_LOWER_WORD.findall(text))
    feats: set[str] = set()
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        if _SENTENCE_START.search(text, max(0, m.start() - 3), m.start()):
            words = words[1:]
        while words and (words[0].lower() in _COMMON_NAMES or not words[0][0].isalpha()):
            words = words[1:]
        while words and (words[-1].lower() in _COMMON_NAMES):
            words = words[:-1]
        if not words:
            continue
        if len(words) == 1:
            word = words[0].strip("'’")
            if len(word) < 3 or word.lower() in lower_words:
                continue
        name = " ".join(w.strip("'’").lower() for w in words)
        feats.add("n:" + name)
        last = words[-1].strip("'’")
        if len(words) > 1 and last[:1].isalpha() and last.lower() not in lower_words:
            feats.add("n:" + last.lower())  # "Ted Sarandos" also matches a later "Sarandos"
    return feats


def _number_features(text: str) -> set[str]:
    feats: set[str] = set()
    for currency, amount, scale, value, unit in _NUMBER.findall(text):
        number = (amount or value).replace(",", "")
        if number.endswith(".0"):
            number = number[:-2]
        suffix = (scale or unit).lower()
        feats.add(f"#:{currency}{number}{_UNIT.get(suffix, suffix)}")
    return feats


_LABEL = re.compile(r"^(?:• )?[^.:\n]{1,40}:\s", re.MULTILINE)


def article_features(article: Article) -> set[str]:
    """The distinctive features of one article (see the module docstring)."""
    text = article.title + ".\n" + article.text[:SCAN_CHARS]
    # list labels ("• Scalable Infrastructure: …") are headings in disguise, not names
    unlabelled = _LABEL.sub("\n", text)
    return _quote_features(text) | _name_features(unlabelled) | _number_features(text)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _content_key(article: Article) -> str:
    """Same body text → same story, whatever the headline (syndicated copies retitle).

    Short bodies ("Read more at …") are too generic to say that alone, so the
    title counts for them.
    """
    digest = hashlib.blake2b(digest_size=16)
    if len(article.text) < MIN_BODY_FOR_KEY:
        digest.update(article.title.strip().lower().encode())
        digest.update(b"\0")
    digest.update(article.text.encode())
    return digest.hexdigest()


def _event_time(article: Article) -> datetime | None:
    """The article's own date; a file's modification time (plain text) says nothing."""
    if article.extra.get("date_from") == "mtime":
        return None
    return article.published


def pair_scores(
    articles: Sequence[Article], *, window: timedelta = WINDOW
) -> dict[tuple[int, int], tuple[float, float]]:
    """``(i, j) → (shared weight, shared weight / geometric mean of both totals)`` for candidate pairs.

    Only pairs that share at least one distinctive feature and whose dates are
    within ``window`` (or unknown) appear. Exposed so the thresholds can be
    inspected on a corpus.
    """
    return _scores(articles, window)[0]


PARALLEL_MIN_ARTICLES = 2000  # below this, forking costs more than it saves
_CHUNK = 250
_JOBS: Sequence[Article] | None = None  # what forked workers read (set around the pool)


def _features_chunk(bounds: tuple[int, int]) -> list[set[str]]:
    assert _JOBS is not None
    return [article_features(a) for a in _JOBS[bounds[0] : bounds[1]]]


def _all_features(articles: Sequence[Article], workers: int | None) -> list[set[str]]:
    """``article_features`` of each article, in forked workers for big batches.

    Features are the costly, independent part of clustering (~0.2 ms an article); the
    pairing after them is cheap. Forking follows :mod:`digests.workers` (never from a
    thread, as the catalog's rebuild runs), and only the feature sets travel back.
    """
    global _JOBS
    count = worker_count(len(articles), workers, min_items=PARALLEL_MIN_ARTICLES)
    if count <= 1:
        return [article_features(a) for a in articles]
    bounds = [(i, min(i + _CHUNK, len(articles))) for i in range(0, len(articles), _CHUNK)]
    _JOBS = articles
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return [fs for part in pool.imap(_features_chunk, bounds) for fs in part]
    finally:
        _JOBS = None


def _scores(
    articles: Sequence[Article], window: timedelta, workers: int | None = 1
) -> tuple[dict[tuple[int, int], tuple[float, float]], list[float]]:
    """Candidate pair scores, and each article's total feature weight."""
    feats = _all_features(articles, workers)
    n = len(articles)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, fs in enumerate(feats):
        for f in fs:
            postings[f].append(i)
    max_df = max(MIN_MAX_DF, min(MAX_MAX_DF, int(MAX_DF_SHARE * n)))
    docs = max(n, BACKGROUND_DOCS)
    weight = {
        f: WEIGHTS[f[0]] * math.log(docs / len(ids))
        for f, ids in postings.items()
        if len(ids) <= max_df
    }
    totals = [sum(weight.get(f, 0.0) for f in fs) for fs in feats]
    times = [_event_time(a) for a in articles]
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for f, w in weight.items():
        ids = postings[f]
        if len(ids) >= 2:
            for pair in _pairs_in_window(ids, times, window):
                shared[pair] += w
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for (i, j), score in shared.items():
        norm = math.sqrt(totals[i] * totals[j]) or 1.0
        out[(i, j)] = (score, score / norm)
    return out, totals


def _pairs_in_window(
    ids: list[int], times: Sequence[datetime | None], window: timedelta
) -> Iterator[tuple[int, int]]:
    """``(i, j)``, i < j, for the articles in ``ids`` whose dates are within ``window``.

    Pairs out of the window are never formed (a sliding window over the dated ones,
    sorted by time), so a feature shared across a year of articles costs what its
    same-week articles cost, in time and in memory. Undated articles pair with all.
    """
    dated = sorted((t, i) for i in ids if (t := times[i]) is not None)
    undated = [i for i in ids if times[i] is None]
    for x, i in enumerate(undated):
        for j in (*undated[x + 1 :], *(j for _, j in dated)):
            yield (i, j) if i < j else (j, i)
    start = 0
    for y, (tj, j) in enumerate(dated):
        while tj - dated[start][0] > window:
            start += 1
        for _, i in dated[start:y]:
            yield (i, j) if i < j else (j, i)


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def cluster(
    articles: Sequence[Article], *, window: timedelta = WINDOW, workers: int | None = None
) -> list[list[Article]]:
    """Group ``articles`` into same-story clusters (singletons included).

    Articles with the same body are one unit (one set of features, counted once
    for rarity), so a thousand syndicated copies cost one and stay together. A
    body too thin to identify a story (total feature weight below MIN_SCORE,
    e.g. a template) does not join different headlines, though.

    Clusters come out in order of their first member in the input, members in
    input order. ``workers=None`` computes the features of big batches in one forked
    process per CPU when that is safe (see :mod:`digests.workers`); the result is the same.
    """
    by_content: dict[str, int] = {}
    representative: list[int] = []  # article index -> index into ``unique``
    unique: list[Article] = []
    for article in articles:
        key = _content_key(article)
        slot = by_content.get(key)
        if slot is None:
            slot = by_content[key] = len(unique)
            unique.append(article)
        representative.append(slot)

    pairs, totals = _scores(unique, window, workers)
    uf = _UnionFind(len(unique))
    for (i, j), (score, overlap) in pairs.items():
        if score >= MIN_SCORE and overlap >= MIN_OVERLAP:
            uf.union(i, j)

    groups: dict[object, list[Article]] = {}
    for article, slot in zip(articles, representative, strict=True):
        group: object = uf.find(slot)
        if totals[slot] < MIN_SCORE and article is not unique[slot]:
            title = _title_key(article.title)
            if title != _title_key(unique[slot].title):
                group = (slot, title)  # a thin shared body: another headline is another story
        groups.setdefault(group, []).append(article)
    return list(groups.values())
