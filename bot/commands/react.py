"""``/news react <ref> <emoji>``: feedback by command, for platforms or people without
emoji reactions at hand. Counts exactly like reacting to the posted story."""

from __future__ import annotations

from adapters.base import CommandRequest, Reply
from bot.feedback import emoji_key, emoji_weight

from ._common import resolve_story
from .context import CommandContext
from .registry import UsageError, command


@command(
    "react",
    usage="/news react <ref> <emoji>",
    summary="rate a story (👍 🔥 ❤️ 🎉 ✅ up, 👎 😴 ❌ down)",
    examples=("/news react 3f9a1c 👍",),
    order=30,
)
async def react(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if len(args) != 2:
        raise UsageError(
            "give a story ref and one emoji" if len(args) < 2 else "too many arguments"
        )
    story = await resolve_story(ctx, args[0])
    emoji = emoji_key(args[1])
    if not emoji or len(emoji) > 64:
        raise UsageError(f"{args[1]!r} is not an emoji")
    changed = await ctx.storage.set_reaction(req.channel, story.id, req.user_id, emoji, added=True)
    weight = emoji_weight(emoji, ctx.settings.newsbot_reactions)
    effect = {1: "counts for it", -1: "counts against it", 0: "is kept but neutral"}[weight]
    already = "" if changed else " (you had already reacted with it)"
    return Reply(
        text=f"Recorded {args[1]} on “{story.title}” [{story.ref}]; it {effect}{already}. "
        "`/news stats` shows how feedback weighs this channel's digests."
    )
