"""``/news stats``: what this channel liked, and how that now weighs its digests."""

from __future__ import annotations

import math

from adapters.base import CommandRequest, Reply
from bot.feedback import MAX_BOOST, SCALE, USER_CAP, FeedbackScores, describe_weights

from ._common import count_of
from .context import CommandContext
from .registry import UsageError, command


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "−")


def _boost(score: float) -> str:
    """What a topic/outlet score alone adds to a story's rank score."""
    return f"{MAX_BOOST * math.tanh(score / SCALE):+.2f}".replace("-", "−")


def stats_text(scores: FeedbackScores, weights: dict[str, int]) -> str:
    """The explanation shown by ``/news stats`` (also used by ``newsbot stats``)."""
    if not scores.reactions:
        return (
            "No reactions in this channel yet. React to a posted story (or `/news react <ref> 👍`) "
            f"and its topics and outlet rank higher in this channel's digests.\nEmoji: {describe_weights(weights)}."
        )
    lines = [
        f"{count_of(scores.reactions, 'reaction')} from {count_of(scores.people, 'person', 'people')}."
    ]
    stories = scores.top("stories", 5)
    if stories:
        lines.append("Top stories:")
        lines += [f"  {_signed(s)}  [{sid[:6]}] {scores.titles.get(sid, '')}" for sid, s in stories]
    for label, which in (("Topics", "topics"), ("Outlets", "outlets")):
        top = scores.top(which, 6)
        if top:
            lines.append(
                f"{label}: " + ", ".join(f"{k} {_signed(v)} (rank {_boost(v)})" for k, v in top)
            )
    lines.append(
        f"How it weighs digests: each person counts at most ±{USER_CAP:g} per story, topic and outlet; "
        f"a story's liked topics and outlet raise its rank score by up to +{MAX_BOOST:g}, "
        f"disliked ones lower it by up to −{MAX_BOOST:g}."
    )
    lines.append(f"Emoji: {describe_weights(weights)}.")
    return "\n".join(lines)


@command(
    "stats",
    usage="/news stats",
    summary="what this channel liked and how it weighs digests",
    order=40,
)
async def stats(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`stats` takes no arguments")
    scores = await ctx.feedback(req.channel)
    return Reply(text=stats_text(scores, ctx.settings.newsbot_reactions))
