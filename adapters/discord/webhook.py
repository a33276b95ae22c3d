"""Delivery-only mode: post digests and alerts through one channel webhook, no bot user.

For servers that want the news without installing a bot. There is no gateway,
so no commands and no reactions. Discord's webhook API takes no nonce, so a
crash between posting and recording can repeat a message on retry; the bot's
delivery outbox keeps that window small.
"""

from __future__ import annotations

import aiohttp
import discord

from adapters.base import ChannelRef, CommandHandler, DeliveryError, PostedMessage, ReactionHandler
from digests.models import Digest, Story

from .config import DiscordConfig
from .delivery import delivery_error, to_embeds
from .embeds import MessagePart, digest_messages, story_message
from .endpoints import apply_endpoints


class DiscordWebhookAdapter:
    """Adapter protocol over ``DISCORD_WEBHOOK_URL``; every channel ref maps to the webhook's channel."""

    name = "discord"

    def __init__(self, config: DiscordConfig, on_command: CommandHandler, on_reaction: ReactionHandler) -> None:
        if not config.webhook_url:
            raise DeliveryError("DISCORD_WEBHOOK_URL is not set", permanent=True)
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._webhook: discord.Webhook | None = None

    async def start(self) -> None:
        if self._webhook is not None:
            return
        apply_endpoints(self.config.api_url, self.config.gateway_url)
        self._session = aiohttp.ClientSession()
        try:
            self._webhook = discord.Webhook.from_url(self.config.webhook_url or "", session=self._session)
        except ValueError:
            await self.aclose()
            raise ValueError(
                "DISCORD_WEBHOOK_URL is not a Discord webhook URL; copy it from Channel settings → "
                "Integrations → Webhooks → Copy Webhook URL"
            ) from None

    async def aclose(self) -> None:
        session, self._session, self._webhook = self._session, None, None
        if session is not None:
            await session.close()

    async def send(
        self, channel: ChannelRef, content: Digest | Story, *, idempotency_key: str
    ) -> list[PostedMessage]:
        if self._webhook is None:
            await self.start()
        assert self._webhook is not None
        parts: list[MessagePart] = (
            digest_messages(content) if isinstance(content, Digest) else [story_message(content)]
        )
        posted: list[PostedMessage] = []
        for part in parts:
            try:
                message = await self._webhook.send(
                    content=part.content or discord.utils.MISSING,
                    embeds=to_embeds(part),
                    allowed_mentions=discord.AllowedMentions.none(),
                    wait=True,
                )
            except Exception as exc:
                raise delivery_error(exc, channel) from exc
            posted.append(PostedMessage(channel, str(message.id), part.story_id))
        return posted
