"""What ingest hands back: articles that parsed, and an error per source that did not."""

from __future__ import annotations

import operator
from dataclasses import dataclass, field, fields
from typing import Any

from digests.models import Article, IngestError

# Worker processes send results back pickled; a frozen slots dataclass pickles
# field by field in Python, a tuple of its fields in C (~3x cheaper both ways).
_article_row = operator.attrgetter(*(f.name for f in fields(Article)))


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

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, ([_article_row(a) for a in self.articles], self.errors))


def _rebuild(rows: list[tuple[Any, ...]], errors: list[IngestError]) -> IngestResult:
    return IngestResult([Article(*row) for row in rows], errors)
