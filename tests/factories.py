"""Articles, quotes, stories and digests for tests: one builder per model type.

Tests used to grow their own builders, each with its own defaults; a new field on a model then
meant a dozen edits. Here each builder fills every field a test does not care about with a
plain, hand-written value (no corpus text), and a test names only the fields it checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from digests.models import Article, Digest, Quote, Story

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
"""The default publication time: fixed, so no test depends on today's date."""

_AUTO: Any = object()


def article(
    id: str = "a1",
    title: str | None = None,
    text: str = "Body.",
    *,
    source: str | None = "example.com",
    url: str | None = _AUTO,
    published: datetime | None = _AUTO,
    hours_ago: float | None = None,
    now: datetime = T0,
    **fields: Any,
) -> Article:
    """An article; ``url`` defaults to ``https://<source>/<id>`` (None without a source).

    ``hours_ago`` dates it relative to ``now`` (T0 unless given); without either the article is
    published at T0. Other ``Article`` fields (tags, author, image, category, path, extra) pass
    through.
    """
    if url is _AUTO:
        url = f"https://{source}/{id}" if source else None
    if published is _AUTO:
        published = now - timedelta(hours=hours_ago) if hours_ago is not None else now
    return Article(
        id=id,
        title=title if title is not None else f"Story {id}",
        text=text,
        url=url,
        source=source,
        published=published,
        **fields,
    )


def quote(
    text: str = "We did the thing today", speaker: str | None = "Ann Lee", *, key: bool = True
) -> Quote:
    """A key quote with a speaker unless told otherwise."""
    return Quote(text, speaker, key=key)


def story(
    primary: Article | str = "s1",
    *others: Article,
    summary: str | None = None,
    quotes: Iterable[Quote] = (),
    topics: Iterable[str] = (),
    score: float = 0.0,
    id: str | None = None,
) -> Story:
    """A story around ``primary`` (an Article, or an id to build a default article with).

    The story id is the primary's id unless given, as the engine does for a new story.
    """
    if isinstance(primary, str):
        primary = article(primary)
    return Story(
        id=id if id is not None else primary.id,
        primary=primary,
        summary=summary if summary is not None else f"Summary of {primary.title}.",
        others=tuple(others),
        quotes=tuple(quotes),
        topics=tuple(topics),
        score=score,
    )


def rewrites(primary: Article, count: int, *, prefix: str = "rewrite") -> tuple[Article, ...]:
    """``count`` copies of ``primary``'s event from other outlets (``<prefix><i>.example``)."""
    return tuple(
        article(
            f"{primary.id}-{prefix}{i}",
            f"Rewrite {i}",
            source=f"{prefix}{i}.example",
            published=primary.published,
        )
        for i in range(count)
    )


def digest(
    *stories: Story,
    title: str = "News digest",
    period_start: datetime | None = None,
    period_end: datetime | None = None,
) -> Digest:
    """A digest of ``stories`` in the given order."""
    return Digest(
        title=title, stories=tuple(stories), period_start=period_start, period_end=period_end
    )
