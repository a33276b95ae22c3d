"""The engine's value types: what ingest produces and what adapters render.

Everything here is frozen so a story can be handed to several adapters and
tasks at once without anyone mutating it under the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Article:
    """One article from one outlet, cleaned and ready for the engine.

    ``text`` is plain text with paragraphs separated by a blank line ("\\n\\n"):
    no HTML, no entities, no Markdown syntax, no site navigation junk.
    ``published`` is timezone-aware (UTC when the source gave no zone).
    ``source`` is the outlet's name as shown to people (e.g. ``techcrunch.com``).
    """

    id: str
    title: str
    text: str
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: datetime | None = None
    tags: tuple[str, ...] = ()
    category: str | None = None
    image: str | None = None
    path: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class IngestError:
    """A source that could not be read, and why, so the run can go on without it."""

    path: str
    error: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation and who said it (``None`` when the article does not say)."""

    text: str
    speaker: str | None = None
    key: bool = False
    score: float = 0.0
    # id of the rule that found the speaker ("tail.verb-subject"; digests/quotes/RULES.md)
    how: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """One news event: the primary article plus rewrites of it from other outlets."""

    id: str
    primary: Article
    summary: str
    others: tuple[Article, ...] = ()
    quotes: tuple[Quote, ...] = ()
    topics: tuple[str, ...] = ()
    score: float = 0.0

    @property
    def ref(self) -> str:
        """Short handle people type in chat (``/news react <ref> 👍``)."""
        return self.id[:6]

    @property
    def title(self) -> str:
        return self.primary.title

    @property
    def url(self) -> str | None:
        return self.primary.url

    @property
    def source(self) -> str | None:
        return self.primary.source

    @property
    def published(self) -> datetime | None:
        return self.primary.published

    @property
    def image(self) -> str | None:
        return self.primary.image

    @property
    def articles(self) -> tuple[Article, ...]:
        """Every member, primary first."""
        return (self.primary, *self.others)

    @property
    def key_quotes(self) -> tuple[Quote, ...]:
        return tuple(q for q in self.quotes if q.key)


@dataclass(frozen=True, slots=True)
class Digest:
    """An ordered selection of stories for one audience and period."""

    title: str
    stories: tuple[Story, ...]
    period_start: datetime | None = None
    period_end: datetime | None = None
