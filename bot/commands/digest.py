"""``/news digest``: post the channel's digest now — its topics, best first, only stories
it has not had yet. :func:`candidate_stories` is shared with scheduled delivery, so both
mean the same by "not had yet"."""

from __future__ import annotations

from datetime import timedelta

from adapters.base import ChannelRef, CommandRequest, Reply
from bot.outbox import FAILED, SENT, Delivery, Outbox
from digests.models import Digest, Story

from .context import CommandContext
from .registry import UsageError, command


async def stories_had(ctx: CommandContext, channel: ChannelRef) -> set[str]:
    """Stories this channel has had, or is about to get: every story message posted to it
    (manual digests, shares, sent deliveries) plus the delivery outbox's record of
    scheduled digests and alerts, including those queued but not yet posted.

    The one meaning of "already had" for manual and scheduled digests alike, so neither
    repeats what the other posted or is about to post.
    """
    seen = await ctx.storage.posted_story_ids(channel)
    outbox = Outbox(ctx.storage, clock=ctx.clock)
    return seen | await outbox.delivered_story_ids(await ctx.storage.channel_id(channel))


async def candidate_stories(
    ctx: CommandContext, channel: ChannelRef
) -> tuple[list[str], list[Story]]:
    """The channel's topics and the stories on them it has not had (see :func:`stories_had`).

    With no topics, every story is a candidate (a fresh channel still gets news).
    """
    topics = await ctx.storage.topics(channel)
    if topics:
        found: dict[str, Story] = {}
        for topic in topics:
            for story in await ctx.catalog.search(topic):
                found.setdefault(story.id, story)
        pool = list(found.values())
    else:
        pool = ctx.catalog.stories
    seen = await stories_had(ctx, channel)
    return topics, [s for s in pool if s.id not in seen]


async def channel_digest(ctx: CommandContext, channel: ChannelRef) -> Digest | None:
    """The digest this channel should get now, ranked with its feedback; None if nothing new."""
    from digests.engine import make_digest

    topics, stories = await candidate_stories(ctx, channel)
    if not stories:
        return None
    scores = await ctx.feedback(channel)
    digest = make_digest(
        stories,
        title="News digest: " + ", ".join(topics) if topics else "News digest",
        limit=ctx.settings.newsbot_digest_size,
        now=ctx.now(),
        boost=scores.boost,
    )
    return digest if digest.stories else None


async def post_digest(ctx: CommandContext, channel: ChannelRef, built: Digest) -> Delivery | None:
    """Post ``built`` now through the delivery outbox: queued as a row (its stories claimed
    for the channel), claimed and sent at once. A crash mid-post leaves the row claimed;
    the delivery loop of the restarted bot (or another worker) takes it over when the
    lease runs out and posts only what is missing — never a part twice. Returns the
    settled row; None when another delivery took its stories first."""
    from bot.scheduler import DeliveryLoop  # the delivery loop's own send, for one row

    outbox = Outbox(
        ctx.storage,
        clock=ctx.clock,
        lease=timedelta(seconds=ctx.settings.newsbot_claim_lease_seconds),
    )
    key = await outbox.add_manual_digest(
        await ctx.storage.channel_id(channel),
        [s.id for s in built.stories],
        title=built.title,
        period_start=built.period_start,
    )
    if key is None:
        return None
    sender = DeliveryLoop(ctx, ctx.publisher.adapters, outbox=outbox)
    return await outbox.send_now(key, sender.send)


@command(
    "digest",
    usage="/news digest",
    summary="post this channel's digest now (its topics, stories it has not had yet)",
    examples=("/news digest",),
    order=20,
)
async def digest(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`digest` takes no arguments")
    async with ctx.channel_lock(req.channel):
        built = await channel_digest(ctx, req.channel)
        topics = await ctx.storage.topics(req.channel)
        on = " on " + ", ".join(topics) if topics else ""
        if built is None:
            return Reply(text=f"Nothing new{on} since this channel's last digest.")
        if req.channel.platform not in ctx.publisher.adapters:
            return Reply(
                text=f"Could not post the digest here: no running adapter for {req.channel.platform!r}",
                error=True,
            )
        done = await post_digest(ctx, req.channel, built)
    if done is None:
        return Reply(text=f"Nothing new{on}: another digest or alert is posting those stories.")
    if done.status == FAILED:
        return Reply(text=f"Could not post the digest here: {done.error}", error=True)
    if done.status != SENT:
        return Reply(
            text=f"The digest is not fully posted yet ({done.error or 'still sending'}); "
            "the bot finishes it automatically, without repeating what is already there.",
            error=True,
        )
    note = (
        ""
        if topics
        else " (no topics yet, so it covers everything; `/news subscribe <topic>` narrows it)"
    )
    n = len(built.stories)
    return Reply(
        text=f"Posted a digest of {n} {'story' if n == 1 else 'stories'} to this channel{note}."
    )
