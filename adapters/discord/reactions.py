"""Raw gateway reactions → :class:`ReactionEvent`, without needing a message cache.

Only reactions people put on the bot's own messages count; the bot's own
reactions and reactions in DMs are ignored. A repeat of the same state (the
same add twice) is dropped here so feedback is applied once, while add → remove
→ add still goes through.
"""

from __future__ import annotations

from collections import OrderedDict

import discord

from adapters.base import ChannelRef, ReactionEvent

PLATFORM = "discord"


def emoji_name(emoji: discord.PartialEmoji) -> str:
    """Unicode emoji as the character; custom server emoji as ``name:id``."""
    if emoji.id is not None:
        return f"{emoji.name or 'emoji'}:{emoji.id}"
    return emoji.name or ""


def reaction_event(
    payload: discord.RawReactionActionEvent, *, bot_user_id: int | None
) -> ReactionEvent | None:
    """The feedback event for ``payload``, or None when it is not feedback on our message."""
    if payload.guild_id is None:
        return None
    if bot_user_id is not None and payload.user_id == bot_user_id:
        return None
    author = getattr(payload, "message_author_id", None)
    if author is not None and bot_user_id is not None and author != bot_user_id:
        return None
    name = emoji_name(payload.emoji)
    if not name:
        return None
    return ReactionEvent(
        channel=ChannelRef(PLATFORM, str(payload.guild_id), str(payload.channel_id)),
        message_id=str(payload.message_id),
        user_id=str(payload.user_id),
        emoji=name,
        added=payload.event_type == "REACTION_ADD",
    )


class ReactionStates:
    """Last seen state per (message, user, emoji); drops events that change nothing."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._states: OrderedDict[tuple[str, str, str], bool] = OrderedDict()
        self._capacity = capacity

    def is_repeat(self, event: ReactionEvent) -> bool:
        key = (event.message_id, event.user_id, event.emoji)
        previous = self._states.get(key)
        self._states[key] = event.added
        self._states.move_to_end(key)
        while len(self._states) > self._capacity:
            self._states.popitem(last=False)
        return previous is event.added
