"""``/news subscribe|unsubscribe <topic>...`` and ``/news topics``: a channel's subscriptions."""

from __future__ import annotations

from adapters.base import CommandRequest, Reply

from ._common import fold_topics, split_topics
from .context import CommandContext
from .registry import UsageError, command


async def _change_topics(
    ctx: CommandContext, req: CommandRequest, args: list[str], *, add: bool
) -> Reply:
    """Subscribe or unsubscribe; the reply names what changed, what did not, and the result."""
    topics = split_topics(args)
    if not topics:
        raise UsageError(
            f"name at least one topic to {'subscribe to' if add else 'unsubscribe from'}"
        )
    known = await _known_topics(ctx, req)
    topics = fold_topics(topics, known)
    change = ctx.storage.subscribe if add else ctx.storage.unsubscribe
    changed = await change(req.channel, topics)
    now = await ctx.storage.topics(req.channel)
    unchanged = [t for t in topics if t not in changed]
    parts = []
    if changed:
        parts.append(
            ("Subscribed this channel to " if add else "Unsubscribed from ")
            + ", ".join(changed)
            + "."
        )
    if unchanged:
        parts.append(
            ("Already subscribed: " if add else "Not subscribed to ") + ", ".join(unchanged) + "."
        )
    parts.append("Topics now: " + (", ".join(now) or "none") + ".")
    if add:
        quiet = [t for t in changed if not await ctx.catalog.search(t)]
        if quiet:
            parts.append(f"No stories on {', '.join(quiet)} yet; they will come when they arrive.")
        if _names_one_known_topic(args, known):
            phrase = " ".join(args)
            parts.append(f'For "{phrase}" as one topic, quote it: `/news subscribe "{phrase}"`.')
        parts.append("`/news digest` posts a digest now.")
    # only a real change is news for the whole channel; a no-op answers the person who asked
    return Reply(text=" ".join(parts), ephemeral=not changed)


def _names_one_known_topic(args: list[str], known: list[str]) -> bool:
    """Whether unquoted words (``Machine Learning``) together spell a topic in use, so the
    person probably meant it as one and should be told to quote it."""
    from digests.topics import normalize_topic

    if len(args) < 2 or any(" " in a or "," in a for a in args):
        return False
    return fold_topics([normalize_topic(" ".join(args))], known)[0] in known


async def _known_topics(ctx: CommandContext, req: CommandRequest) -> list[str]:
    """Topic spellings already in use, preferred first: the channel's, the stories', the keyword map's."""
    from digests.topics import ALIASES, KEYWORDS

    story_topics = (t for story in ctx.catalog.stories for t in story.topics)
    return list(
        dict.fromkeys(
            [*await ctx.storage.topics(req.channel), *story_topics, *KEYWORDS, *ALIASES.values()]
        )
    )


@command(
    "subscribe",
    usage='/news subscribe <topic>... (quote a multi-word topic: "machine learning")',
    summary="add topics to this channel's digests",
    changes_settings=True,
    examples=("/news subscribe ai climate", '/news subscribe "machine learning" robots'),
    order=10,
)
async def subscribe(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    return await _change_topics(ctx, req, args, add=True)


@command(
    "unsubscribe",
    usage='/news unsubscribe <topic>... (quote a multi-word topic: "machine learning")',
    summary="remove topics from this channel",
    changes_settings=True,
    examples=("/news unsubscribe climate",),
    order=11,
)
async def unsubscribe(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    return await _change_topics(ctx, req, args, add=False)


@command("topics", usage="/news topics", summary="this channel's topics", order=12)
async def topics(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`topics` takes no arguments")
    now = await ctx.storage.topics(req.channel)
    if not now:
        return Reply(text="This channel has no topics yet. Add some: `/news subscribe ai climate`.")
    return Reply(text="This channel follows: " + ", ".join(now) + ".")
