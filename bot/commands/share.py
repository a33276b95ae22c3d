"""``/news share <ref>``: post a story you looked up to the whole channel."""

from __future__ import annotations

from adapters.base import CommandRequest, DeliveryError, Reply
from bot.publish import fresh_key

from ._common import resolve_story
from .context import CommandContext
from .registry import UsageError, command


@command(
    "share",
    usage="/news share <ref>",
    summary="post a story to the channel",
    examples=("/news share 3f9a1c",),
    order=31,
)
async def share(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if len(args) != 1:
        raise UsageError(
            "give exactly one story ref" if not args else "share takes one ref at a time"
        )
    story = await resolve_story(ctx, args[0])
    try:
        await ctx.publisher.publish(
            req.channel, story, key=fresh_key("share", req.channel, story.id), first_attempt=True
        )
    except DeliveryError as exc:
        return Reply(text=f"Could not share it here: {exc.reason}", error=True)
    return Reply(text=f"Shared “{story.title}” [{story.ref}] with the channel.")
