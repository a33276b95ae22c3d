"""``/news <topic>``: the top stories on a topic right now, answered to the requester."""

from __future__ import annotations

from adapters.base import CommandRequest, Reply

from ._common import count_of
from .context import CommandContext
from .registry import UsageError, fallback


@fallback(
    usage="/news <topic>",
    summary="top stories on a topic now (only you see them; share one with `/news share <ref>`)",
    examples=("/news ai", "/news climate"),
)
async def topic(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    from digests.engine import rank

    query = " ".join(args).strip()
    if not query:
        raise UsageError("name a topic")
    found = await ctx.catalog.search(query)
    if not found:
        return Reply(
            text=f"No stories about “{query}” right now. `/news help` lists what else you can ask."
        )
    scores = await ctx.feedback(req.channel)
    ranked = rank(found, now=ctx.now(), boost=scores.boost)[: ctx.settings.newsbot_digest_size]
    found_n = count_of(len(found), "story", "stories")
    heading = found_n if len(ranked) == len(found) else f"Top {len(ranked)} of {found_n}"
    return Reply(
        text=f"{heading} on “{query}”:",
        stories=tuple(ranked),
        share_hint=f"Share one with the channel: `/news share {ranked[0].ref}`",
    )
