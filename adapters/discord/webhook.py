"""Delivery-only mode: post digests and alerts through one channel webhook, no bot user.

For servers that want the news without installing a bot. There is no gateway,
so no commands and no reactions. Every post waits for Discord's answer
(``?wait=true``) so the message ids are returned and the outbox records them.
Discord's webhook API takes no nonce, so only the outbox's record (and, within
this process, :class:`~.delivery.PostedParts`) protects a retry: a process that
dies between posting and recording repeats those messages when retried.
Errors never show the webhook URL, which is a secret (anyone with it can post).
"""

from __future__ import annotations

import aiohttp
import discord

from adapters.base import ChannelRef, CommandHandler, DeliveryError, PostedMessage, ReactionHandler
from digests.models import Digest, Story

from .config import DiscordConfig
from .delivery import PostedParts, delivery_error, to_embeds
from .embeds import MessagePart, digest_messages, story_message
from .endpoints import apply_endpoints

GONE = (
    "the Discord webhook in DISCORD_WEBHOOK_URL no longer exists (it or its channel was deleted); "
    "create one under Channel settings → Integrations → Webhooks and update DISCORD_WEBHOOK_URL"
)


class DiscordWebhookAdapter:
    """Adapter protocol over ``DISCORD_WEBHOOK_URL``; every channel ref maps to the webhook's channel."""

    name = "discord"

    def __init__(self, config: DiscordConfig, on_command: CommandHandler, on_reaction: ReactionHandler) -> None:
        if not config.webhook_url:
            raise DeliveryError("DISCORD_WEBHOOK_URL is not set", permanent=True)
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._webhook: discord.Webhook | None = None
        self._posted = PostedParts()

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
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
    ) -> list[PostedMessage]:
        """Post every part through the webhook (``first_attempt`` changes nothing: no look-up exists)."""
        if self._webhook is None:
            await self.start()
        assert self._webhook is not None
        parts: list[MessagePart] = (
            digest_messages(content) if isinstance(content, Digest) else [story_message(content)]
        )
        posted: list[PostedMessage] = []
        for index, part in enumerate(parts):
            message_id = self._posted.get(idempotency_key, index, part.story_id)
            if message_id is None:
                try:
                    message = await self._webhook.send(
                        content=part.content or discord.utils.MISSING,
                        embeds=to_embeds(part),
                        allowed_mentions=discord.AllowedMentions.none(),
                        wait=True,
                    )
                except discord.NotFound:
                    raise DeliveryError(GONE, permanent=True) from None
                except Exception as exc:
                    raise self._scrubbed(delivery_error(exc, channel)) from None
                message_id = str(message.id)
                self._posted.record(idempotency_key, index, part.story_id, message_id)
            posted.append(PostedMessage(channel, message_id, part.story_id))
        return posted

    def _scrubbed(self, error: DeliveryError) -> DeliveryError:
        """``error`` without the webhook's token, which must never reach logs or ``/news why``."""
        token = (self.config.webhook_url or "").rstrip("/").rsplit("/", 1)[-1]
        if not token or token not in error.reason:
            return error
        reason = error.reason.replace(token, "<webhook token>")
        return DeliveryError(reason, permanent=error.permanent, retry_after=error.retry_after)
