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
first into one *unit*, so twenty copies of one article cost one. Pairs whose
shared weight is high, both absolutely and relative to both units, and whose
dates are within a window, are joined with union-find.

The result depends on the *set* of articles only, never on their order: a unit
is represented by its member with the smallest id, and every weight is a
function of one feature's document frequency (``DOCS`` and ``MAX_DF`` are
constants, and a unit's size for the overlap is its features' full weight, not
their df-weighted one). That locality is also what lets the bot keep stories up
to date incrementally (:func:`group_units` on the stories a change touches gives
what a full re-cluster would): adding or removing one unit changes only the
scores of pairs that share one of its features.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from digests.models import Article
from digests.workers import worker_count

__all__ = [
    "MIN_OVERLAP",
    "MIN_SCORE",
    "Unit",
    "article_features",
    "cluster",
    "coded_features",
    "feature_codes",
    "group_units",
    "pair_scores",
    "unit_key",
    "unit_of",
]

SCAN_CHARS = 6000  # rewrites share their lead; the tail adds cost, not evidence
WINDOW = timedelta(days=4)
MIN_SCORE = 30.0  # summed weight of shared features needed to join two articles
MIN_OVERLAP = 0.12  # … and relative to both units' full feature weight (cosine-like)
DOCS = 1000  # IDF = log(DOCS / df): a constant, so a weight never depends on unrelated articles
MAX_DF = 50  # a feature more units than this hold is not distinctive (weight 0); bounds df² / 2
MIN_BODY_FOR_KEY = 400

WEIGHTS = {"q": 1.0, "n": 1.2, "#": 0.8}
_TYPE_BITS = {"q": 0, "n": 1, "#": 2}
_CODE_WEIGHT = (WEIGHTS["q"], WEIGHTS["n"], WEIGHTS["#"], 0.0)

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


def _text_features(text: str) -> set[str]:
    # list labels ("• Scalable Infrastructure: …") are headings in disguise, not names
    unlabelled = _LABEL.sub("\n", text)
    return _quote_features(text) | _name_features(unlabelled) | _number_features(text)


def article_features(article: Article) -> set[str]:
    """The distinctive features of one article (see the module docstring)."""
    return _text_features(article.title + ".") | _body_features(article)


def _body_features(article: Article) -> set[str]:
    return _text_features(article.text[:SCAN_CHARS])


def feature_codes(features: Iterable[str]) -> tuple[int, ...]:
    """Features as sorted signed 64-bit codes (the type in the low two bits).

    Compact to store and to index in a database, and enough to weigh a feature.
    """
    codes = set()
    for f in features:
        h = int.from_bytes(hashlib.blake2b(f.encode(), digest_size=8).digest(), "big", signed=True)
        codes.add((h & ~3) | _TYPE_BITS[f[0]])
    return tuple(sorted(codes))


def feature_weight(code: int, df: int) -> float:
    """A feature's weight when ``df`` units hold it: rarer is heavier, too common is zero."""
    if df > MAX_DF or df < 1:
        return 0.0
    return _CODE_WEIGHT[code & 3] * math.log(DOCS / df)


def full_weight(codes: Iterable[int]) -> float:
    """A unit's size for the overlap test: every feature at the weight of a unique one."""
    return math.log(DOCS) * sum(_CODE_WEIGHT[c & 3] for c in codes)


@dataclass(frozen=True, slots=True)
class Unit:
    """Articles with one body (see :func:`unit_key`), represented by the one with the smallest id.

    ``title`` is the representative's headline (a thin body only groups the same headline).
    """

    key: str
    features: tuple[int, ...]
    time: datetime | None
    title: str
    thin: bool = False  # the body alone is too thin to identify a story (a template)

    @property
    def size(self) -> float:
        return full_weight(self.features)


def unit_key(article: Article) -> str:
    """Same body text → same unit, whatever the headline (syndicated copies retitle).

    Short bodies ("Read more at …") are too generic to say that alone, so the
    title counts for them.
    """
    digest = hashlib.blake2b(digest_size=16)
    if len(article.text) < MIN_BODY_FOR_KEY:
        digest.update(article.title.strip().lower().encode())
        digest.update(b"\0")
    digest.update(article.text.encode())
    return digest.hexdigest()


def representative(members: Iterable[Article]) -> Article:
    """The member a unit is computed from: the smallest id (then the other fields), never
    the first read, so the unit does not depend on input order."""
    return min(members, key=_canonical)


def _canonical(article: Article) -> tuple[str, str, str, str, str, str]:
    published = article.published.isoformat() if article.published else ""
    return (
        article.id,
        article.title,
        published,
        article.url or "",
        article.path or "",
        article.text,
    )


Coded = tuple[tuple[int, ...], bool]  # an article's feature codes, and whether its body is thin


def coded_features(article: Article) -> Coded:
    """What a unit takes from its representative's title and text: the feature codes and
    whether the body alone is thin. A pure function of the content, so it can be stored
    (see :mod:`digests.analysis`)."""
    body = _body_features(article)
    codes = feature_codes(body | _text_features(article.title + "."))
    return codes, full_weight(feature_codes(body)) < MIN_SCORE


def unit_of(rep: Article, *, key: str | None = None, coded: Coded | None = None) -> Unit:
    """The unit ``rep`` represents: its features and whether its body alone is thin
    (``coded``: its stored :func:`coded_features`, so they are not extracted again)."""
    codes, thin = coded if coded is not None else coded_features(rep)
    return Unit(key or unit_key(rep), codes, _event_time(rep), rep.title, thin)


def _event_time(article: Article) -> datetime | None:
    """The article's own date; a file's modification time (plain text) says nothing."""
    if article.extra.get("date_from") == "mtime":
        return None
    return article.published


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


DocFreq = Mapping[int, int] | Callable[[int], int]


def _df_lookup(units: Sequence[Unit], df: DocFreq | None) -> Callable[[int], int]:
    if df is None:
        counts: dict[int, int] = defaultdict(int)
        for u in units:
            for c in u.features:
                counts[c] += 1
        return counts.__getitem__
    if callable(df):
        return df
    return lambda c: df.get(c, 0)


def unit_pair_scores(
    units: Sequence[Unit], df: DocFreq | None = None, *, window: timedelta = WINDOW
) -> dict[tuple[int, int], tuple[float, float]]:
    """``(i, j) → (shared weight, shared weight / geometric mean of both sizes)`` for the
    units that share a feature of non-zero weight and are within ``window`` of each other.

    ``df`` gives each feature's document frequency over *all* units (a mapping or a
    function); None counts it over ``units`` alone (a full clustering).
    """
    freq = _df_lookup(units, df)
    postings: dict[int, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for c in u.features:
            postings[c].append(i)
    times = [u.time for u in units]
    shared: dict[tuple[int, int], float] = defaultdict(float)
    for c, ids in postings.items():
        if len(ids) < 2:
            continue
        w = feature_weight(c, freq(c))
        if w <= 0.0:
            continue
        for pair in _pairs_in_window(ids, times, window):
            shared[pair] += w
    sizes = [u.size for u in units]
    out: dict[tuple[int, int], tuple[float, float]] = {}
    for (i, j), score in shared.items():
        norm = math.sqrt(sizes[i] * sizes[j]) or 1.0
        out[(i, j)] = (score, score / norm)
    return out


def group_units(
    units: Sequence[Unit], df: DocFreq | None = None, *, window: timedelta = WINDOW
) -> list[list[int]]:
    """Indexes of ``units`` in same-story groups (connected components of joined pairs),
    each sorted, groups by their first index."""
    uf = _UnionFind(len(units))
    for (i, j), (score, overlap) in unit_pair_scores(units, df, window=window).items():
        if score >= MIN_SCORE and overlap >= MIN_OVERLAP:
            uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(units)):
        groups.setdefault(uf.find(i), []).append(i)
    return list(groups.values())


def split_thin(unit: Unit, members: Iterable[Article]) -> list[list[Article]]:
    """A unit's articles as story parts: all together, unless the body is too thin to say
    they are one story, when each headline is its own part (the representative's first)."""
    members = list(members)
    if not unit.thin:
        return [members]
    parts: dict[str, list[Article]] = {_title_key(unit.title): []}
    for article in members:
        parts.setdefault(_title_key(article.title), []).append(article)
    return [p for p in parts.values() if p]


def _title_key(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def pair_scores(
    articles: Sequence[Article], *, window: timedelta = WINDOW
) -> dict[tuple[int, int], tuple[float, float]]:
    """``(i, j) → (shared weight, overlap)`` for candidate pairs of ``articles`` (each its own
    unit), as :func:`unit_pair_scores`. Exposed so the thresholds can be inspected on a corpus."""
    return unit_pair_scores([unit_of(a) for a in articles], window=window)


PARALLEL_MIN_ARTICLES = 2000  # below this, forking costs more than it saves
_CHUNK = 250
_JOBS: Sequence[Article] | None = None  # what forked workers read (set around the pool)


def _units_chunk(bounds: tuple[int, int]) -> list[Unit]:
    assert _JOBS is not None
    return [unit_of(a) for a in _JOBS[bounds[0] : bounds[1]]]


Stored = Callable[[Article], Coded | None]  # an article's stored coded features, if any


def _all_units(
    reps: Sequence[Article], workers: int | None, stored: Stored | None = None
) -> list[Unit]:
    """:func:`unit_of` each representative, in forked workers for big batches.

    Features are the costly, independent part of clustering (~0.2 ms an article); the
    pairing after them is cheap. Forking follows :mod:`digests.workers` (never from a
    thread, as the catalog's rebuild runs), and only the units travel back.
    """
    global _JOBS
    if stored is not None:
        known = [stored(a) for a in reps]
        missing = [a for a, c in zip(reps, known, strict=True) if c is None]
        fresh = iter(_all_units(missing, workers) if missing else ())
        return [
            unit_of(a, coded=c) if c is not None else next(fresh)
            for a, c in zip(reps, known, strict=True)
        ]
    count = worker_count(len(reps), workers, min_items=PARALLEL_MIN_ARTICLES)
    if count <= 1:
        return [unit_of(a) for a in reps]
    bounds = [(i, min(i + _CHUNK, len(reps))) for i in range(0, len(reps), _CHUNK)]
    _JOBS = reps
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return [u for part in pool.imap(_units_chunk, bounds) for u in part]
    finally:
        _JOBS = None


def _pairs_in_window(
    ids: list[int], times: Sequence[datetime | None], window: timedelta
) -> Iterator[tuple[int, int]]:
    """``(i, j)``, i < j, for the units in ``ids`` whose dates are within ``window``.

    Pairs out of the window are never formed (a sliding window over the dated ones,
    sorted by time), so a feature shared across a year of articles costs what its
    same-week articles cost, in time and in memory. Undated units pair with all.
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


def cluster(
    articles: Sequence[Article],
    *,
    window: timedelta = WINDOW,
    workers: int | None = None,
    stored: Stored | None = None,
) -> list[list[Article]]:
    """Group ``articles`` into same-story clusters (singletons included).

    Articles with the same body are one unit (one set of features, counted once
    for rarity), so a thousand syndicated copies cost one and stay together. A
    body too thin to identify a story (full weight below MIN_SCORE, e.g. a
    template) does not join different headlines, though.

    The groups depend only on the set of articles. They come out in order of
    their first member in the input, members in input order. ``workers=None``
    computes the features of big batches in one forked process per CPU when that
    is safe (see :mod:`digests.workers`); the result is the same. ``stored(article)``
    gives an article's stored :func:`coded_features` (None when there are none), so
    those are not extracted again.
    """
    members: dict[str, list[Article]] = {}
    for article in articles:
        members.setdefault(unit_key(article), []).append(article)
    keys = sorted(members)
    units = _all_units([representative(members[k]) for k in keys], workers, stored)
    position = {id(a): i for i, a in enumerate(articles)}
    groups: list[list[Article]] = []
    for component in group_units(units, window=window):
        thin = [split_thin(units[i], members[keys[i]]) for i in component]
        joined = [a for i, parts in zip(component, thin, strict=True) for a in parts[0]]
        groups.append(joined)
        groups.extend(part for parts in thin for part in parts[1:])
    for group in groups:
        group.sort(key=lambda a: position[id(a)])
    groups.sort(key=lambda g: position[id(g[0])])
    return groups
