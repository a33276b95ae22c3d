"""Stories, digests and replies as Discord messages that Discord never rejects.

Everything is built as plain API dicts (what Discord receives) so the limits can
be checked exactly; :func:`to_embeds` turns them into ``discord.Embed`` objects.
Text is cut at a word boundary with an ellipsis, never mid-word when avoidable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import discord

from digests.coverage import other_coverage
from digests.models import Article, Digest, Story

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_MAX = 2000
URL_MAX = 2048

EMBED_COLOUR = 0x2B6CB0
ELLIPSIS = "…"

Embed = dict[str, Any]


@dataclass(frozen=True, slots=True)
class MessagePart:
    """One Discord message: optional content plus up to ten embeds; ``story_id`` it rates."""

    content: str | None = None
    embeds: tuple[Embed, ...] = ()
    story_id: str | None = None


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with "…"."""
    text = text.strip()
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if not text[limit - 1].isspace() and space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = CONTENT_MAX) -> list[str]:
    """Split long text into chunks ≤ ``limit``, preferring paragraph, then word breaks."""
    text = text.strip()
    chunks: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = window.rfind("\n\n")
        if cut < limit // 2:
            cut = window.rfind("\n")
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        chunks.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        chunks.append(text)
    return chunks


def _web_url(url: str | None) -> str | None:
    """Only http(s) URLs Discord accepts; anything else would make it answer 400."""
    if url and url.startswith(("http://", "https://")) and len(url) <= URL_MAX and " " not in url:
        return url
    return None


_LINK_UNSAFE = re.compile(r"[\[\]()<>`*_~|\\]")


def _label(text: str) -> str:
    """Text safe inside ``[label](url)``: no brackets or markdown that would break the link."""
    return _LINK_UNSAFE.sub("", text).strip() or "link"


def embed_length(embed: Embed) -> int:
    """Characters Discord counts toward the 6,000 per-message total."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for f in embed.get("fields", []):
        total += len(f["name"]) + len(f["value"])
    return total


def _outlet(article: Article) -> str:
    return article.source or "unknown outlet"


def _also_covered(story: Story) -> str | None:
    """``[outlet](url) · …`` for every rewrite that fits in one field, then "and N more"."""
    entries = other_coverage(story)
    if not entries:
        return None
    parts: list[str] = []
    used = 0
    for index, entry in enumerate(entries):
        url = _web_url(entry.url)
        label = shorten(_label(entry.label), 80)
        item = f"[{label}]({url})" if url else label
        reserve = len(f" · and {len(entries)} more")
        if used + len(item) + 3 + reserve > FIELD_VALUE_MAX:
            parts.append(f"and {len(entries) - index} more")
            break
        parts.append(item)
        used += len(item) + 3
    return " · ".join(parts)


def _footer(story: Story) -> str:
    bits = [_outlet(story.primary)]
    if story.published is not None:
        bits.append(story.published.strftime("%d %b %Y"))
    bits.append(f"ref {story.ref}")
    return shorten(" · ".join(bits), FOOTER_MAX)


def story_embed(story: Story) -> Embed:
    """One story as an embed: linked title, summary, key quotes, also-covered-by, footer."""
    embed: Embed = {
        "type": "rich",
        "title": shorten(story.title or "(untitled)", TITLE_MAX),
        "color": EMBED_COLOUR,
        "footer": {"text": _footer(story)},
    }
    if summary := shorten(story.summary, DESCRIPTION_MAX):
        embed["description"] = summary
    if url := _web_url(story.url):
        embed["url"] = url
    if image := _web_url(story.image):
        embed["thumbnail"] = {"url": image}
    if story.published is not None:
        embed["timestamp"] = story.published.isoformat()
    fields: list[dict[str, Any]] = []
    quotes = story.key_quotes or story.quotes[:1]
    for quote in quotes[: FIELDS_MAX - 1]:
        speaker = f"— {quote.speaker}" if quote.speaker else "Quote"
        fields.append(
            {
                "name": shorten(speaker, FIELD_NAME_MAX),
                "value": shorten(f"“{quote.text.strip()}”", FIELD_VALUE_MAX),
                "inline": False,
            }
        )
    if also := _also_covered(story):
        fields.append({"name": "Also covered by", "value": also, "inline": False})
    if fields:
        embed["fields"] = fields
    return fit_embed(embed)


def fit_embed(embed: Embed, budget: int = EMBED_TOTAL_MAX) -> Embed:
    """Shrink an embed to ``budget`` characters: description first, then trailing fields."""
    embed = dict(embed)
    over = embed_length(embed) - budget
    if over > 0 and embed.get("description"):
        keep = max(len(embed["description"]) - over, 0)
        embed["description"] = shorten(embed["description"], keep) if keep else ""
        if not embed["description"]:
            del embed["description"]
    fields = list(embed.get("fields", []))
    while fields and embed_length({**embed, "fields": fields}) > budget:
        fields.pop()
    if "fields" in embed:
        embed["fields"] = fields
        if not fields:
            del embed["fields"]
    if embed_length(embed) > budget and embed.get("title"):
        embed["title"] = shorten(
            embed["title"], max(budget - embed_length({**embed, "title": ""}), 1)
        )
    return embed


def pack(
    content: str | None, embeds: list[Embed], *, story_id: str | None = None
) -> list[MessagePart]:
    """Lay content and embeds out over as few messages as Discord's limits allow."""
    chunks = split_text(content) if content else []
    parts: list[MessagePart] = [MessagePart(content=c) for c in chunks[:-1]]
    last_content = chunks[-1] if chunks else None
    group: list[Embed] = []
    size = 0
    for embed in embeds:
        embed = fit_embed(embed)
        length = embed_length(embed)
        if group and (len(group) == EMBEDS_PER_MESSAGE or size + length > EMBED_TOTAL_MAX):
            parts.append(MessagePart(content=last_content, embeds=tuple(group), story_id=story_id))
            last_content, group, size = None, [], 0
        group.append(embed)
        size += length
    if group or last_content:
        parts.append(MessagePart(content=last_content, embeds=tuple(group), story_id=story_id))
    return parts


def story_message(story: Story) -> MessagePart:
    """A single story: one message, so a reaction on it rates exactly this story."""
    return MessagePart(embeds=(story_embed(story),), story_id=story.id)


def digest_header(digest: Digest) -> str:
    """The opening message of a digest: title, period and how to give feedback."""
    count = len(digest.stories)
    noun = "story" if count == 1 else "stories"
    line = f"📰 **{digest.title.strip() or 'News digest'}** · {count} {noun}"
    if digest.period_start and digest.period_end:
        line += f" · {digest.period_start:%d %b} – {digest.period_end:%d %b %Y}"
    line += "\nReact 👍 or 👎 on a story to tune what this channel gets next."
    return shorten(line, CONTENT_MAX)


def digest_messages(digest: Digest) -> list[MessagePart]:
    """Header first, then one message per story."""
    return [MessagePart(content=digest_header(digest)), *(story_message(s) for s in digest.stories)]


def to_embeds(part: MessagePart) -> list[discord.Embed]:
    """The part's embed dicts as discord.py objects (what ``send`` takes)."""
    return [discord.Embed.from_dict(e) for e in part.embeds]


def message_parts(content: Digest | Story) -> list[MessagePart]:
    """What :meth:`Adapter.send` posts: a digest's messages, or one story's."""
    if isinstance(content, Digest):
        return digest_messages(content)
    return [story_message(content)]


def reply_messages(
    text: str, stories: tuple[Story, ...] = (), share_hint: str | None = None
) -> list[MessagePart]:
    """A command reply: its text (split if long) and story embeds packed ten to a message."""
    body = text.strip()
    if share_hint:
        body = f"{body}\n\n{share_hint.strip()}" if body else share_hint.strip()
    parts = pack(body or None, [story_embed(s) for s in stories])
    return parts or [MessagePart(content="Done.")]
