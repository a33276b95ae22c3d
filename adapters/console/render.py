"""Terminal rendering of stories and digests with rich.

Shared by ``newsbot digest --format text`` and the console adapter, so what a
developer sees in the terminal is what a chat channel gets, minus the platform
markup. All text from articles is rendered as plain ``Text`` (never parsed as
rich markup), so a "[bold]" in a headline cannot restyle the output.
"""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from digests.coverage import other_coverage
from digests.models import Digest, Story

__all__ = ["also_covered_by", "print_digest", "print_story", "render_digest", "render_story"]

MAX_KEY_QUOTES = 3
MAX_OUTLETS_SHOWN = 4


def also_covered_by(story: Story) -> str:
    """ "engadget.com, theverge.com +2 more" — the story's other coverage (see
    :func:`digests.coverage.other_coverage` for what is listed and how it is named)."""
    labels = [entry.label for entry in other_coverage(story)]
    if not labels:
        return ""
    shown = ", ".join(labels[:MAX_OUTLETS_SHOWN])
    extra = len(labels) - MAX_OUTLETS_SHOWN
    return shown + (f" +{extra} more" if extra > 0 else "")


def _meta_line(story: Story) -> Text:
    parts = [p for p in (story.source, _date(story)) if p]
    line = Text(" · ".join(parts), style="dim")
    if parts:
        line.append(" · ", style="dim")
    line.append(f"ref {story.ref}", style="cyan")
    return line


def _date(story: Story) -> str:
    published = story.published
    if published is None or story.primary.extra.get("date_from") == "mtime":
        return ""
    return published.strftime("%d %b %Y")


def render_story(story: Story, *, number: int | None = None) -> RenderableType:
    """One story: title (linked), outlet · date · ref, summary, key quotes, other outlets."""
    title = Text()
    if number is not None:
        title.append(f"{number}. ", style="bold")
    # a Style object, not a style string: a URL with spaces would not parse as one
    title.append(story.title, style=Style(bold=True, link=story.url or None))
    parts: list[RenderableType] = [title, _meta_line(story)]
    if story.summary:
        parts.append(Padding(Text(story.summary), (0, 0, 0, 2)))
    quotes = story.key_quotes[:MAX_KEY_QUOTES]
    for quote in quotes:
        line = Text("“", style="italic")
        line.append(quote.text.strip('“”" '), style="italic")  # an apostrophe ('90s) stays
        line.append("”", style="italic")
        if quote.speaker:
            line.append(f" — {quote.speaker}", style="bold")
        parts.append(Padding(line, (0, 0, 0, 4)))
    others = also_covered_by(story)
    if others:
        parts.append(Padding(Text(f"Also covered by: {others}", style="dim"), (0, 0, 0, 2)))
    return Group(*parts)


def render_digest(digest: Digest) -> RenderableType:
    """A digest: a heading rule, then the stories in order, blank line between them."""
    parts: list[RenderableType] = [Rule(Text(digest.title, style="bold"))]
    if not digest.stories:
        parts.append(Text("No stories match.", style="dim"))
    for number, story in enumerate(digest.stories, start=1):
        parts.append(render_story(story, number=number))
        parts.append(Text(""))
    return Group(*parts)


def print_story(story: Story, console: Console | None = None) -> None:
    (console or Console()).print(render_story(story))


def print_digest(digest: Digest, console: Console | None = None) -> None:
    (console or Console()).print(render_digest(digest))
