"""Block Kit rendering of stories, digest headers and command replies.

One Slack message per story, so a reaction rates exactly one story. Every
piece of article-derived text passes through :func:`adapters.slack.text.fit`
(escaped, shortened at a word boundary), and every Slack limit below is kept
by construction; the tests parse the output with ``slack_sdk.models.blocks``
and check these limits again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from adapters.base import Reply
from digests.coverage import other_coverage
from digests.models import Digest, Quote, Story

from .text import fit, link, one_line, safe_url

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_FIELD = 2000
MAX_CONTEXT_ELEMENTS = 10
MAX_ALT_TEXT = 2000
MAX_FALLBACK = 600  # notification text; Slack allows more but phones show ~100 chars
MAX_ALSO = 8  # outlets listed under "also covered by" before "and N more"

Block = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """What ``chat.postMessage`` needs: fallback text plus blocks."""

    text: str
    blocks: list[Block]
    story_id: str | None = None
    # the same message without the image, for when Slack cannot fetch the picture
    blocks_without_image: list[Block] | None = None


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link channel names or parse mentions in our text
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str, **extra: Any) -> Block:
    return {"type": "section", "text": _mrkdwn(text), **extra}


def _context(parts: Iterable[str]) -> Block:
    elements = [_mrkdwn(p) for p in parts if p][:MAX_CONTEXT_ELEMENTS]
    return {"type": "context", "elements": elements}


def _date(value: datetime | None) -> str:
    return value.strftime("%d %b %Y %H:%M UTC") if value else ""


def _quote_line(quote: Quote, limit: int) -> str:
    speaker = f" — *{fit(one_line(quote.speaker), 200)}*" if quote.speaker else ""
    body = fit(one_line(quote.text), max(40, limit - len(speaker) - 4))
    return f"> “{body}”{speaker}"


def _also_covered(story: Story) -> str:
    entries = other_coverage(story)
    if not entries:
        return ""
    links = [
        link(e.url, one_line(e.label), limit=MAX_FIELD // (MAX_ALSO + 1))
        for e in entries[:MAX_ALSO]
    ]
    more = f" and {len(entries) - MAX_ALSO} more" if len(entries) > MAX_ALSO else ""
    return "Also covered by " + ", ".join(links) + more


def story_fallback(story: Story) -> str:
    """The plain notification line: title, outlet, summary."""
    head = one_line(story.title)
    if story.source:
        head += f" ({one_line(story.source)})"
    return fit(f"{head}: {one_line(story.summary)}" if story.summary else head, MAX_FALLBACK)


def story_blocks(story: Story, *, with_image: bool = True) -> list[Block]:
    """Title linked, outlet and date, summary, key quotes, also-covered-by, image."""
    title = (
        "*" + link(story.url, one_line(story.title) or "(untitled)", limit=MAX_SECTION - 2) + "*"
    )
    head = _section(title)
    image = safe_url(story.image, limit=2000) if with_image else None
    if image:
        alt = fit(one_line(story.title), MAX_ALT_TEXT) or "article image"
        head["accessory"] = {
            "type": "image",
            "image_url": image.replace("&amp;", "&"),
            "alt_text": alt,
        }
    blocks = [head]
    meta = [
        fit(one_line(story.source), 200) if story.source else "",
        _date(story.published),
        f"ref `{fit(story.ref, 20)}`",
    ]
    blocks.append(_context(meta))
    if story.summary.strip():
        blocks.append(_section(fit(story.summary.strip(), MAX_SECTION)))
    key = story.key_quotes[:3]
    if key:
        per = MAX_SECTION // len(key) - 1
        blocks.append(_section("\n".join(_quote_line(q, per) for q in key)))
    if also := _also_covered(story):
        blocks.append(_context([also]))
    return blocks


def story_message(story: Story, *, with_image: bool = True) -> SlackMessage:
    blocks = story_blocks(story, with_image=with_image)
    plain = story_blocks(story, with_image=False) if "accessory" in blocks[0] else None
    return SlackMessage(story_fallback(story), blocks, story.id, plain)


def _period(digest: Digest) -> str:
    start, end = digest.period_start, digest.period_end
    if start and end:
        return f"{start:%d %b %H:%M} – {end:%d %b %H:%M %Y} UTC"
    return _date(end or start)


def digest_header(digest: Digest) -> SlackMessage:
    """The message that opens a digest: title, period, how many stories follow."""
    count = len(digest.stories)
    noun = "story" if count == 1 else "stories"
    title = one_line(digest.title) or "News digest"
    facts = [
        _period(digest),
        f"{count} {noun} below · react 👍 or 👎 on a story to tune this channel",
    ]
    blocks = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": fit(title, MAX_HEADER), "emoji": True},
        },
        _context(facts),
    ]
    return SlackMessage(fit(f"{title}: {count} {noun}", MAX_FALLBACK), blocks, None)


def digest_messages(digest: Digest, *, with_image: bool = True) -> list[SlackMessage]:
    """Header first, then one message per story (see adapter.py for why not a thread)."""
    return [
        digest_header(digest),
        *(story_message(s, with_image=with_image) for s in digest.stories),
    ]


def reply_messages(reply: Reply) -> list[SlackMessage]:
    """A command answer: its text, then the stories, packed into ≤50-block messages."""
    text = fit(reply.text.strip() or "Done.", MAX_SECTION)
    if reply.error:
        text = ":warning: " + fit(reply.text.strip(), MAX_SECTION - 12)
    lead: list[Block] = [_section(text)]
    groups = [[*story_blocks(s), {"type": "divider"}] for s in reply.stories]
    tail = [_context([fit(reply.share_hint, MAX_FIELD)])] if reply.share_hint else []
    messages: list[SlackMessage] = []
    current = lead
    for group in groups:
        if len(current) + len(group) > MAX_BLOCKS:
            messages.append(SlackMessage(text, current))
            current = []
        current = current + group
    if len(current) + len(tail) > MAX_BLOCKS:
        messages.append(SlackMessage(text, current))
        current = []
    current = current + tail
    if current:
        messages.append(SlackMessage(text, current))
    return messages
