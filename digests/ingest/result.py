"""What ingest hands back: articles that parsed, and an error per source that did not."""

from __future__ import annotations

from dataclasses import dataclass, field

from digests.models import Article, IngestError


class IngestFailure(Exception):
    """One source could not become an Article; ``reason`` says why and what to do."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class IngestResult:
    """Articles in input order (deduplicated by id) plus one error per bad source."""

    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    def extend(self, other: IngestResult) -> None:
        self.articles.extend(other.articles)
        self.errors.extend(other.errors)
