"""Posting to channels through whichever adapter serves the channel's platform,
and recording what was posted so reactions can be mapped back to stories."""

from __future__ import annotations

from collections.abc import Iterable

from adapters.base import Adapter, ChannelRef, DeliveryError, PostedMessage
from digests.models import Digest, Story

from .storage import Storage


class AdapterPublisher:
    """``publish(channel, content, key=...)``: send via the platform's adapter, then record."""

    def __init__(self, storage: Storage, adapters: Iterable[Adapter] = ()) -> None:
        self.storage = storage
        self.adapters: dict[str, Adapter] = {a.name: a for a in adapters}

    def add(self, adapter: Adapter) -> None:
        self.adapters[adapter.name] = adapter

    async def publish(
        self, channel: ChannelRef, content: Digest | Story, *, key: str
    ) -> list[PostedMessage]:
        adapter = self.adapters.get(channel.platform)
        if adapter is None:
            raise DeliveryError(
                f"no running adapter for platform {channel.platform!r}", permanent=True
            )
        posted = await adapter.send(channel, content, idempotency_key=key)
        await self.storage.record_posted(posted, delivery_key=key)
        return posted
