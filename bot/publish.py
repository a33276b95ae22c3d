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


def fresh_key(kind: str, channel: ChannelRef, *parts: str) -> str:
    """A delivery key no earlier send can have used (so ``first_attempt=True`` holds)."""
    return ":".join((kind, str(channel), *parts, uuid.uuid4().hex))


class AdapterPublisher:
    """``publish(channel, content, key=...)``: send via the platform's adapter, then record."""

    def __init__(self, storage: Storage, adapters: Iterable[Adapter] = ()) -> None:
        self.storage = storage
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
        posted = await adapter.send(
            channel, content, idempotency_key=key, first_attempt=first_attempt
        )
        await self.storage.record_posted(posted, delivery_key=key)
        return posted
