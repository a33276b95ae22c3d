"""Terminal rendering of replies, stories and digests with rich.

Article text is always passed as ``rich.text.Text`` (never markup), so an article
containing ``[bold]`` or ``[link=…]`` is shown literally.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from adapters.base import Reply
from digests.models import Digest, Story


def story_lines(story: Story) -> list[Text]:
    """One story: ref + title, outlet/date/link, summary, key quotes, also covered by."""
    out: list[Text] = []
    head = Text()
    head.append(f"[{story.ref}] ", style="bold cyan")
    head.append(story.title, style="bold")
    out.append(head)
    meta = [p for p in (story.source, story.published.date().isoformat() if story.published else None) if p]
    if story.url:
        meta.append(story.url)
    if meta:
        out.append(Text("  " + " · ".join(meta), style="dim"))
    if story.summary:
        out.append(Text("  " + story.summary))
    quotes = story.key_quotes or story.quotes[:1]
    for quote in quotes[:2]:
        line = Text("  “" + quote.text + "”", style="italic")
        if quote.speaker:
            line.append(" — " + quote.speaker, style="")
        out.append(line)
    others = [a.source or a.title for a in story.others]
    if others:
        out.append(Text("  Also covered by: " + ", ".join(dict.fromkeys(others)), style="dim"))
    return out


def print_story(console: Console, story: Story) -> None:
    for line in story_lines(story):
        console.print(line)


def print_digest_header(console: Console, digest: Digest) -> None:
    n = len(digest.stories)
    head = Text(f"━━ {digest.title} · {n} {'story' if n == 1 else 'stories'}", style="bold magenta")
    if digest.period_start and digest.period_end:
        head.append(
            f" · {digest.period_start:%Y-%m-%d %H:%M} → {digest.period_end:%Y-%m-%d %H:%M} UTC",
            style="magenta",
        )
    console.print(head)


def print_reply(console: Console, reply: Reply) -> None:
    """A command's answer; ephemeral ones are marked as visible only to you."""
    prefix = "(only you) " if reply.ephemeral else ""
    style = "red" if reply.error else "green"
    first, *rest = reply.text.split("\n") or [""]
    console.print(Text(f"newsbot {prefix}› ", style=style) + Text(first))
    for line in rest:
        console.print(Text(line))
    for story in reply.stories:
        print_story(console, story)
    if reply.share_hint:
        console.print(Text(reply.share_hint, style="dim"))
