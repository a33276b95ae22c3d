"""What every ``/news`` subcommand handler receives: the bot's services and the clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from adapters.base import Adapter, ChannelRef, CommandRequest, PostedMessage
from bot.catalog import Catalog
from bot.feedback import FeedbackScores, score_reactions
from bot.settings import Settings
from bot.storage import Storage
from digests.models import Digest, Story


class Publisher(Protocol):
    """Posts to a channel and records the posted messages (see ``bot.publish``); its
    ``adapters`` (platform → adapter) also send what goes through the delivery outbox
    (``/news digest``)."""

    adapters: dict[str, Adapter]

    async def publish(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        key: str,
        first_attempt: bool = False,
    ) -> list[PostedMessage]: ...


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class CommandContext:
    """Shared by all handlers; tests build one with a fake publisher and a fixed clock."""

    settings: Settings
    storage: Storage
    catalog: Catalog
    publisher: Publisher
    clock: Callable[[], datetime] = field(default=_utcnow)
    _channel_locks: dict[ChannelRef, asyncio.Lock] = field(
        default_factory=dict, init=False, repr=False
    )

    def channel_lock(self, channel: ChannelRef) -> asyncio.Lock:
        """Held while choosing and posting a channel's stories, so two people asking for a
        digest at the same moment do not both get (and post) the same stories."""
        lock = self._channel_locks.get(channel)
        if lock is None:
            lock = self._channel_locks[channel] = asyncio.Lock()
        return lock

    def now(self) -> datetime:
        return self.clock()

    async def feedback(self, channel: ChannelRef) -> FeedbackScores:
        """The channel's reactions, scored (used as the ranking boost)."""
        return score_reactions(
            await self.storage.reactions(channel), self.settings.newsbot_reactions
        )

    def may_change_settings(self, request: CommandRequest) -> bool:
        """Everyone, or platform admins and the user ids in NEWSBOT_ADMINS.

        Only ids count: display names can be changed by their owners, so matching
        them would let anyone rename themselves into the allow-list.
        """
        if self.settings.newsbot_settings_by == "everyone" or request.is_admin:
            return True
        allowed = set(self.settings.newsbot_admins)
        return bool(allowed & {request.user_id, f"{request.channel.platform}:{request.user_id}"})
