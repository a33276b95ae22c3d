"""``/news subscribe|unsubscribe <topic>...`` and ``/news topics``: a channel's subscriptions."""

from __future__ import annotations

from adapters.base import CommandRequest, Reply

from ._common import split_topics
from .context import CommandContext
from .registry import UsageError, command


@command(
    "subscribe",
    usage="/news subscribe <topic>...",
    summary="add topics to this channel's digests",
    changes_settings=True,
    examples=("/news subscribe ai climate",),
    order=10,
)
async def subscribe(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    topics = split_topics(args)
    if not topics:
        raise UsageError("name at least one topic to subscribe to")
    added = await ctx.storage.subscribe(req.channel, topics)
    now = await ctx.storage.topics(req.channel)
    already = [t for t in topics if t not in added]
    parts = []
    if added:
        parts.append("Subscribed this channel to " + ", ".join(added) + ".")
    if already:
        parts.append("Already subscribed: " + ", ".join(already) + ".")
    parts.append("Topics now: " + ", ".join(now) + ". `/news digest` posts a digest now.")
    return Reply(text=" ".join(parts), ephemeral=False)


@command(
    "unsubscribe",
    usage="/news unsubscribe <topic>...",
    summary="remove topics from this channel",
    changes_settings=True,
    examples=("/news unsubscribe climate",),
    order=11,
)
async def unsubscribe(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    topics = split_topics(args)
    if not topics:
        raise UsageError("name at least one topic to unsubscribe from")
    removed = await ctx.storage.unsubscribe(req.channel, topics)
    now = await ctx.storage.topics(req.channel)
    missing = [t for t in topics if t not in removed]
    parts = []
    if removed:
        parts.append("Unsubscribed from " + ", ".join(removed) + ".")
    if missing:
        parts.append("Not subscribed to " + ", ".join(missing) + ".")
    parts.append("Topics now: " + (", ".join(now) if now else "none") + ".")
    return Reply(text=" ".join(parts), ephemeral=False)


@command("topics", usage="/news topics", summary="this channel's topics", order=12)
async def topics(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`topics` takes no arguments")
    now = await ctx.storage.topics(req.channel)
    if not now:
        return Reply(text="This channel has no topics yet. Add some: `/news subscribe ai climate`.")
    return Reply(text="This channel follows: " + ", ".join(now) + ".")
