"""Posting to channels through whichever adapter serves the channel's platform,
and recording what was posted so reactions can be mapped back to stories.

Scheduled digests and alerts go through the delivery outbox instead; this path is
for what a person asks for right now (``/news digest``, ``/news share``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from adapters.base import Adapter, ChannelRef, DeliveryError, PostedMessage
from digests.models import Digest, Story

from .storage import Storage
from .storage.delivery_reactions import HeldReactions


def fresh_key(kind: str, channel: ChannelRef, *parts: str) -> str:
    """A delivery key no earlier send can have used (so ``first_attempt=True`` holds)."""
    return ":".join((kind, str(channel), *parts, uuid.uuid4().hex))


class AdapterPublisher:
    """``publish(channel, content, key=...)``: send via the platform's adapter, recording
    each part as it is posted (a retry of the same key skips the parts recorded)."""

    def __init__(self, storage: Storage, adapters: Iterable[Adapter] = ()) -> None:
        self.storage = storage
        self.held = HeldReactions(storage)
        self.adapters: dict[str, Adapter] = {a.name: a for a in adapters}

    def add(self, adapter: Adapter) -> None:
        self.adapters[adapter.name] = adapter

    async def publish(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        key: str,
        first_attempt: bool = False,
    ) -> list[PostedMessage]:
        """Send and record. ``first_attempt``: ``key`` is new (see :func:`fresh_key`), so the
        adapter need not look for an earlier attempt of it before posting."""
        adapter = self.adapters.get(channel.platform)
        if adapter is None:
            raise DeliveryError(
                f"no running adapter for platform {channel.platform!r}", permanent=True
            )

        async def on_posted(message: PostedMessage) -> None:
            # each part at once: a permanent error on a later one must not lose its id
            await self.storage.record_posted([message], delivery_key=key)
            await self.held.release_after_posting(
                [message]
            )  # reactions that came before the id did

        skip = frozenset() if first_attempt else await self._recorded(key)
        posted = await adapter.send(
            channel,
            content,
            idempotency_key=key,
            first_attempt=first_attempt,
            skip_parts=skip,
            on_posted=on_posted,
        )
        await self.storage.record_posted(posted, delivery_key=key)
        await self.held.release_after_posting(posted)
        return posted

    async def _recorded(self, key: str) -> frozenset[int]:
        return frozenset(m.part for m in await self.storage.posted_parts(key))
