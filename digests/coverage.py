"""Which other articles a story lists under "also covered by", and what to call each.

Every renderer (terminal, Slack, Discord) shows the same list, so the choice lives
here once: an article is named by its outlet; one without an outlet (plain-text files
have none) by its headline in quotation marks, so it cannot be mistaken for an
outlet's name; a copy with the story's own headline and no outlet, or another article
from an outlet already listed, adds nothing and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from digests.models import Article, Story

UNNAMED_TITLE_CHARS = 60


@dataclass(frozen=True, slots=True)
class Coverage:
    """One "also covered by" entry: a label for people and the article's URL (may be None)."""

    label: str
    url: str | None
    article: Article


def outlet_label(article: Article) -> str:
    """The outlet's name, or the quoted (shortened) headline when there is no outlet."""
    if article.source:
        return article.source
    title = article.title
    if len(title) > UNNAMED_TITLE_CHARS:
        title = title[: UNNAMED_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-") + "…"
    return f"“{title}”"


def other_coverage(story: Story) -> list[Coverage]:
    """The story's other articles worth listing, one per outlet, in the story's order."""
    seen = {story.primary.source} if story.primary.source else set()
    entries: list[Coverage] = []
    for article in story.others:
        if not article.source and article.title == story.title:
            continue
        label = outlet_label(article)
        if label in seen:
            continue
        seen.add(label)
        entries.append(Coverage(label, article.url, article))
    return entries
