"""Articles → stories → ranked digest: the engine's public entry points.

``build_stories`` clusters rewrites into stories and gives each its summary,
quotes and topics (from each article's :mod:`digests.analysis`, stored or computed); ``rank`` orders stories by recency and size plus an optional
feedback boost; ``make_digest`` filters (topic, since), ranks and cuts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from digests.analysis import SUMMARY_CHARS, ArticleAnalysis, analyse_many
from digests.cluster import Coded, cluster
from digests.coverage import other_coverage
from digests.models import Article, Digest, Quote, Story
from digests.topics import matches, tag_topics

__all__ = [
    "Analyses",
    "build_stories",
    "make_digest",
    "own_date",
    "rank",
    "stories_for",
    "story_date",
    "story_for",
]

# Ranking weights. Recency is 1.0 for a story published now and halves after
# RECENCY_HALF_HOURS (hyperbolically, so old stories still keep their order);
# each doubling of the number of outlets is worth SIZE_WEIGHT; the feedback
# boost is clamped to ±1 and scaled by BOOST_WEIGHT so it nudges, never buries.
RECENCY_HALF_HOURS = 24.0
SIZE_WEIGHT = 0.35
BOOST_WEIGHT = 0.5
MERGE_QUOTES_FROM = 2  # other outlets whose quotes are merged into a story's

Boost = Callable[[Story], float]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_QUOTE_KEY = re.compile(r"[a-z0-9]+")


def _published_key(article: Article) -> tuple[datetime, str]:
    return (article.published or datetime.max.replace(tzinfo=UTC), article.id)


def _completeness(article: Article) -> tuple[int, int]:
    """How good a primary an article makes: metadata present, then length of text."""
    fields = sum(
        1 for value in (article.url, article.source, article.published, article.author) if value
    )
    if article.extra.get("date_from") == "mtime":
        fields -= 1
    return (fields, min(len(article.text), 6000))


def _order_others(primary: Article, members: Sequence[Article]) -> tuple[Article, ...]:
    """Other members: one per outlet first (earliest), then the remaining duplicates."""
    rest = sorted((a for a in members if a is not primary), key=_published_key)
    outlets = {primary.source}
    first: list[Article] = []
    later: list[Article] = []
    for article in rest:
        if article.source not in outlets:
            outlets.add(article.source)
            first.append(article)
        else:
            later.append(article)
    return (*first, *later)


def _quote_key(quote: Quote) -> str:
    return " ".join(_QUOTE_KEY.findall(quote.text.lower()))


def _story_quotes(
    primary: Article, others: Sequence[Article], analysis: _Lookup, summary: str = ""
) -> tuple[Quote, ...]:
    """The primary's quotes, then quotes only other outlets carry (never marked key)."""
    quotes = _keys_beside_summary(list(analysis(primary).quotes), summary)
    merged = _merged_others(primary, others)
    if not merged:
        return tuple(quotes)
    seen = [_quote_key(q) for q in quotes]
    for other in merged:
        for quote in analysis(other).quotes:
            key = _quote_key(quote)
            if key and not any(key in s or s in key for s in seen):
                seen.append(key)
                quotes.append(replace(quote, key=False))
    return tuple(quotes)


def _merged_others(primary: Article, others: Sequence[Article]) -> list[Article]:
    """The other members whose quotes join the story's: other outlets, other texts."""
    outlets = {primary.source}
    merged: list[Article] = []
    for other in others:
        if len(merged) >= MERGE_QUOTES_FROM:
            break
        if other.source in outlets or other.text == primary.text:
            continue
        outlets.add(other.source)
        merged.append(other)
    return merged


def story_for(members: Sequence[Article], *, summary_chars: int = SUMMARY_CHARS) -> Story:
    """One story from one cluster of articles."""
    return stories_for([members], summary_chars=summary_chars)[0]


_Roles = tuple[Article, Article, tuple[Article, ...]]  # earliest, primary, others
_Content = tuple[str, tuple[Quote, ...], tuple[str, ...]]  # summary, quotes, topics
_Lookup = Callable[[Article], ArticleAnalysis]
Analyses = Mapping[str, ArticleAnalysis]  # article id → its stored analysis


def _roles(members: Sequence[Article]) -> _Roles:
    earliest = min(members, key=_published_key)
    primary = min(members, key=lambda a: (tuple(-x for x in _completeness(a)), _published_key(a)))
    return earliest, primary, _order_others(primary, members)


def _content(roles: _Roles, analysis: _Lookup) -> _Content:
    """A story's summary, quotes and topics, from its members' analyses."""
    _, primary, others = roles
    mine = analysis(primary)
    topics: dict[str, None] = dict.fromkeys(mine.topics)
    for other in others:
        topics.update(dict.fromkeys(tag_topics(other)))
    return mine.summary, _story_quotes(primary, others, analysis, mine.summary), tuple(topics)


def _keys_beside_summary(quotes: list[Quote], summary: str) -> list[Quote]:
    """Key quotes that the summary already shows give their place to the next best ones.

    A lead sentence is often a quote; showing it twice in one post wastes the reader's
    time, so the key marks move to the best quotes the summary does not contain.
    """
    if not any(q.key for q in quotes):
        return quotes  # no key marks to move
    said = f" {_quote_key(Quote(summary))} "
    inside = [bool(k) and f" {k} " in said for k in map(_quote_key, quotes)]
    if not any(q.key and dup for q, dup in zip(quotes, inside, strict=True)):
        return quotes
    wanted = sum(q.key for q in quotes)
    out: list[Quote] = []
    for q, dup in zip(quotes, inside, strict=True):
        key = not dup and wanted > 0
        wanted -= key
        out.append(q if q.key == key else replace(q, key=key))
    return out


def _assemble(
    roles: _Roles, summary: str, quotes: tuple[Quote, ...], topics: tuple[str, ...]
) -> Story:
    earliest, primary, others = roles
    return Story(
        id=earliest.id,
        primary=primary,
        summary=summary,
        others=others,
        quotes=quotes,
        topics=topics,
    )


def _lookup(
    roles: list[_Roles],
    analyses: Analyses | None,
    summary_chars: int,
    workers: int | None,
    on_progress: Callable[[int, int], None] | None,
) -> _Lookup:
    """Each needed member's analysis: the caller's stored one, else computed (in workers)."""
    stored = analyses or {}

    def usable(article: Article) -> ArticleAnalysis | None:
        found = stored.get(article.id)
        return found if found is not None and found.summary_chars == summary_chars else None

    needed: dict[int, Article] = {}
    for _, primary, others in roles:
        for article in (primary, *_merged_others(primary, others)):
            if id(article) not in needed and usable(article) is None:
                needed[id(article)] = article
    todo = list(needed.values())
    computed = dict(
        zip(
            needed,
            analyse_many(
                todo, summary_chars=summary_chars, workers=workers, on_progress=on_progress
            ),
            strict=True,
        )
    )

    def analysis(article: Article) -> ArticleAnalysis:
        found = computed.get(id(article))
        return found if found is not None else usable(article)  # type: ignore[return-value]

    return analysis


def stories_for(
    groups: Sequence[Sequence[Article]],
    *,
    summary_chars: int = SUMMARY_CHARS,
    workers: int | None = 1,
    on_progress: Callable[[int, int], None] | None = None,
    analyses: Analyses | None = None,
) -> list[Story]:
    """:func:`story_for` of each group, in order.

    ``analyses`` (article id → :class:`~digests.analysis.ArticleAnalysis`, e.g. read
    from storage) are used as they are; members without one are analysed here.
    ``workers=None`` forks one worker per CPU for big batches when that is safe
    (see :mod:`digests.workers`); only analyses travel back, so the stories hold the
    caller's own Article objects. ``on_progress(done, total)`` is called as articles
    are analysed.
    """
    roles = [_roles(g) for g in groups]
    analysis = _lookup(roles, analyses, summary_chars, workers, on_progress)
    return [_assemble(r, *_content(r, analysis)) for r in roles]


def build_stories(
    articles: Iterable[Article],
    *,
    summary_chars: int = SUMMARY_CHARS,
    analyses: Analyses | None = None,
) -> list[Story]:
    """Cluster ``articles`` into stories (in order of each story's first article).

    With ``analyses`` (see :func:`stories_for`) the stored clustering features are used
    too, so an article with a stored analysis is not analysed again at all.
    """
    stored = analyses or {}

    def coded(article: Article) -> Coded | None:
        found = stored.get(article.id)
        return (found.features, found.thin) if found is not None else None

    groups = cluster(list(articles), stored=coded if analyses else None)
    return stories_for(groups, summary_chars=summary_chars, analyses=analyses)


def own_date(article: Article) -> datetime | None:
    """The article's own date; a plain-text file's modification time is not one (copying
    or editing the file changes it), so such an article is undated."""
    if article.extra.get("date_from") == "mtime":
        return None
    return article.published


def _latest(story: Story) -> datetime | None:
    """When the story last got coverage: its newest dated member, whichever is primary.
    An undated member takes this date; a story of only undated members has none."""
    dates = [d for a in story.articles if (d := own_date(a)) is not None]
    return max(dates) if dates else None


def story_date(story: Story) -> datetime | None:
    """The date to show for a story: its primary's own date, else the newest dated
    member's (an undated primary takes its story's date); None when no member has one."""
    return own_date(story.primary) or _latest(story)


def _recency(story: Story, now: datetime) -> float:
    # The newest member, not the primary (the most complete article may be days
    # older): a story covered again today is news today, as ``since`` also reads it.
    published = _latest(story)
    if published is None:
        return 0.0
    age_hours = max(0.0, (now - published).total_seconds() / 3600.0)
    return 1.0 / (1.0 + age_hours / RECENCY_HALF_HOURS)


def _size(story: Story) -> float:
    """More distinct coverage ranks higher; copies of one article (same headline, no
    outlet, as templated filler is republished) add nothing — see digests.coverage."""
    return SIZE_WEIGHT * math.log2(1 + len(other_coverage(story)))


def rank(stories: Iterable[Story], *, now: datetime, boost: Boost | None = None) -> list[Story]:
    """Stories best first, each with its ``score`` set.

    score = recency of the newest member (1 → 0 with age) + size (more outlets,
    higher) + clamped boost. Ties go to the newer story, then the id, so the order
    is stable.
    """
    now = _aware(now)
    scored: list[Story] = []
    for story in stories:
        score = _recency(story, now) + _size(story)
        if boost is not None:
            score += BOOST_WEIGHT * max(-1.0, min(1.0, float(boost(story))))
        scored.append(replace(story, score=round(score, 6)))
    scored.sort(key=lambda s: (-s.score, -(_latest(s) or _EPOCH).timestamp(), s.id))
    return scored


def _aware(moment: datetime) -> datetime:
    """Naive times are taken as UTC, like ingest does, so comparisons never raise."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def make_digest(
    stories: Iterable[Story],
    *,
    title: str,
    topic: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    boost: Boost | None = None,
) -> Digest:
    """Filter stories by ``topic`` and ``since`` (newest dated member; a story with no dated
    member is left out by ``since``), rank, keep ``limit``."""
    now = _aware(now) if now else datetime.now(UTC)
    since = _aware(since) if since else None
    selected = [
        s
        for s in stories
        if (topic is None or matches(s.topics, topic))
        and (since is None or ((latest := _latest(s)) is not None and latest >= since))
    ]
    ranked = rank(selected, now=now, boost=boost)
    if limit is not None:
        ranked = ranked[: max(0, limit)]
    return Digest(title=title, stories=tuple(ranked), period_start=since, period_end=now)
