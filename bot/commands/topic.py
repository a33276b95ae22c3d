"""``/news <topic>``: the top stories on a topic right now, answered to the requester.

Ranked by how strongly each story is about the topic (headline, lead, how many of its
articles carry it: :mod:`bot.commands._relevance`) plus the usual digest ranking
(recency, coverage, the channel's feedback). Only the :data:`CANDIDATES` stories most
about the topic are ranked in full, so a topic nearly every story carries costs little
more than a rare one.
"""

from __future__ import annotations

import heapq
from dataclasses import replace

from adapters.base import CommandRequest, Reply
from digests.models import Story

from ._common import count_of
from ._relevance import relevance
from .context import CommandContext
from .registry import UsageError, fallback

CANDIDATES = 40  # stories most about the topic that compete on recency, coverage, feedback
RELEVANCE_WEIGHT = 1.0  # a headline mention outweighs a day of age; feedback (±0.5) nudges


@fallback(
    usage="/news <topic>",
    summary="top stories on a topic now (only you see them; share one with `/news share <ref>`)",
    examples=("/news ai", "/news climate"),
)
async def topic(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    query = " ".join(args).strip()
    if not query:
        raise UsageError("name a topic")
    found = await _find(ctx, query)
    if not found:
        return Reply(
            text=f"No stories about “{query}” right now. `/news help` lists what else you can ask."
        )
    scores = await ctx.feedback(req.channel)
    ranked = rank_on_topic(
        found, query, ctx=ctx, boost=scores.boost, limit=ctx.settings.newsbot_digest_size
    )
    found_n = count_of(len(found), "story", "stories")
    heading = found_n if len(ranked) == len(found) else f"Top {len(ranked)} of {found_n}"
    return Reply(
        text=f"{heading} on “{query}”:",
        stories=tuple(ranked),
        share_hint=f"Share one with the channel: `/news share {ranked[0].ref}`",
    )


async def _find(ctx: CommandContext, query: str) -> list[Story]:
    """Stories carrying the topic; when fewer than :data:`CANDIDATES` do, also those whose
    articles match the words in full text (a broad topic needs no text search)."""
    on_topic = ctx.catalog.on_topic(query)
    if len(on_topic) >= CANDIDATES:
        return on_topic
    return await ctx.catalog.search(query)


def rank_on_topic(
    found: list[Story],
    query: str,
    *,
    ctx: CommandContext,
    boost: object,
    limit: int,
) -> list[Story]:
    """The ``limit`` best: relevance × weight + the digest score (recency, coverage, boost)."""
    from digests.engine import rank, story_date

    about = {s.id: relevance(s, query) for s in found}

    def closeness(s: Story) -> tuple[float, float]:
        date = story_date(s)
        return (about[s.id], date.timestamp() if date else 0.0)

    candidates = heapq.nlargest(CANDIDATES, found, key=closeness)
    ranked = rank(candidates, now=ctx.now(), boost=boost)  # type: ignore[arg-type]
    ranked.sort(key=lambda s: -(s.score + RELEVANCE_WEIGHT * about[s.id]))  # stable on ties
    return [
        replace(s, score=round(s.score + RELEVANCE_WEIGHT * about[s.id], 6)) for s in ranked[:limit]
    ]
