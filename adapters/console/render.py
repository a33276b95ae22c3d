"""Terminal rendering of stories and digests with rich.

Shared by ``newsbot digest --format text`` and the console adapter, so what a
developer sees in the terminal is what a chat channel gets, minus the platform
markup. All text from articles is rendered as plain ``Text`` (never parsed as
rich markup), so a "[bold]" in a headline cannot restyle the output.
"""

from __future__ import annotations

import io
from typing import Any, TextIO, cast

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.style import Style
from rich.text import Text

from digests.coverage import other_coverage
from digests.models import Digest, Story

__all__ = [
    "StripTrailingSpaces",
    "also_covered_by",
    "output_console",
    "print_digest",
    "print_story",
    "render_digest",
    "render_story",
]

PIPED_WIDTH = 120  # wrapping width when stdout is a file or a pipe (no terminal to ask)

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
    """The story's date (an undated primary takes its story's), or "undated" when no
    article says when it was published (a file's modification time does not)."""
    from digests.engine import story_date

    published = story_date(story)
    return published.strftime("%d %b %Y") if published else "undated"


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


def render_digest(digest: Digest, *, empty_message: str = "No stories match.") -> RenderableType:
    """A digest: a heading rule, then the stories in order, blank line between them
    (``empty_message`` — say, why nothing matched — when there are none)."""
    parts: list[RenderableType] = [Rule(Text(digest.title, style="bold"))]
    if not digest.stories:
        parts.append(Text(empty_message, style="dim"))
    for number, story in enumerate(digest.stories, start=1):
        parts.append(render_story(story, number=number))
        parts.append(Text(""))
    return Group(*parts)


def print_story(story: Story, console: Console | None = None) -> None:
    (console or Console()).print(render_story(story))


def print_digest(
    digest: Digest, console: Console | None = None, *, empty_message: str = "No stories match."
) -> None:
    (console or Console()).print(render_digest(digest, empty_message=empty_message))


class StripTrailingSpaces(io.TextIOBase):
    """A text stream that drops spaces at the end of each line before passing text on.

    rich pads indented and ruled lines to the console width; in a terminal nobody
    sees that, but piped into a file or ``diff`` every line ends in spaces. Spaces
    at the end of a write are held back until the next write shows whether a
    newline (drop them) or more text (keep them) follows.
    """

    def __init__(self, target: TextIO) -> None:
        super().__init__()
        self.target = target
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        data = self._pending + text
        lines = data.split("\n")
        last = lines.pop()
        stripped = last.rstrip(" ")
        self._pending = last[len(stripped) :]
        out = "".join(line.rstrip(" ") + "\n" for line in lines) + stripped
        if out:
            self.target.write(out)
        return len(text)

    def flush(self) -> None:
        self.target.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.target.fileno()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def output_console(file: TextIO, *, width: int | None = None, **options: Any) -> Console:
    """A rich ``Console`` on ``file``: as usual in a terminal; when piped, ``width`` columns
    (default :data:`PIPED_WIDTH`) and no trailing spaces on any line."""
    if _isatty(file):
        return Console(file=file, width=width, **options)
    # typeshed does not count io.TextIOBase as IO[str]; rich only writes, flushes and asks isatty
    stripped = cast(TextIO, StripTrailingSpaces(file))
    return Console(file=stripped, width=width or PIPED_WIDTH, **options)
