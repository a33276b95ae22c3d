"""Console chat output: command replies, posted stories and digest headers.

Stories are drawn by :mod:`adapters.console.render` (shared with ``newsbot digest``).

Article text is always passed as ``rich.text.Text`` (never markup), so an article
containing ``[bold]`` or ``[link=…]`` is shown literally.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from adapters.base import Reply
from digests.models import Digest, Story

from .render import render_story

_CODE = re.compile(r"`([^`\n]+)`")
CODE_STYLE = "bold cyan"


def chat_text(text: str, style: str = "") -> Text:
    """A reply line as the terminal shows it: the chat's `code` spans (Slack and Discord
    draw them as code) styled instead of shown with their backticks."""
    out = Text(style=style)
    end = 0
    for match in _CODE.finditer(text):
        out.append(text[end : match.start()])
        out.append(match[1], style=CODE_STYLE)
        end = match.end()
    out.append(text[end:])
    return out


def print_story(console: Console, story: Story) -> None:
    """One story message, rendered like ``newsbot digest --format text`` (shows its ref)."""
    console.print(render_story(story))
    console.print()


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
    head = Text()
    head.append(f"newsbot {prefix}› ", style=style)
    head.append(chat_text(first))
    console.print(head)
    for line in rest:
        console.print(chat_text(line))
    for story in reply.stories:
        print_story(console, story)
    if reply.share_hint:
        console.print(chat_text(reply.share_hint, style="dim"))
