"""Delivery-only mode: post digests and alerts through one channel webhook, no bot user.

For servers that want the news without installing a bot. There is no gateway,
so no commands and no reactions. Every post waits for Discord's answer
(``?wait=true``) so the message ids are returned and the outbox records them.
Discord's webhook API takes no nonce, so only the bot's per-part record
(``skip_parts``/``on_posted``) and, within this process,
:class:`~.delivery.PostedParts` protect a retry: only a process that dies between
Discord accepting a part and that part being recorded repeats it when retried.
Errors never show the webhook URL, which is a secret (anyone with it can post).
"""

from __future__ import annotations

import aiohttp
import discord

from adapters.base import (
    NO_PARTS,
    ChannelRef,
    CommandHandler,
    DeliveryError,
    PostedHandler,
    PostedMessage,
    ReactionHandler,
)
from digests.models import Digest, Story

from .config import DiscordConfig, DiscordConfigError
from .delivery import PostedParts, delivery_error, post_parts
from .embeds import MessagePart, message_parts, to_embeds
from .endpoints import apply_endpoints

GONE = (
    "the Discord webhook in DISCORD_WEBHOOK_URL no longer exists (it or its channel was deleted); "
    "create one under Channel settings → Integrations → Webhooks and update DISCORD_WEBHOOK_URL"
)


class DiscordWebhookAdapter:
    """Adapter protocol over ``DISCORD_WEBHOOK_URL``; every channel ref maps to the webhook's channel."""

    name = "discord"

    def __init__(
        self, config: DiscordConfig, on_command: CommandHandler, on_reaction: ReactionHandler
    ) -> None:
        if not config.webhook_url:
            raise DiscordConfigError("DISCORD_WEBHOOK_URL is not set; webhook mode needs it")
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._webhook: discord.Webhook | None = None
        self._posted = PostedParts()

    async def start(self) -> None:
        if self._webhook is not None:
            return
        apply_endpoints(self.config.api_url, self.config.gateway_url)
        self._session = aiohttp.ClientSession()
        # the URL's form was checked by DiscordConfig, so this cannot fail
        self._webhook = discord.Webhook.from_url(
            self.config.webhook_url or "", session=self._session
        )

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
        skip_parts: frozenset[int] = NO_PARTS,
        on_posted: PostedHandler | None = None,
    ) -> list[PostedMessage]:
        """Post every part not in ``skip_parts`` through the webhook, each handed to
        ``on_posted`` once posted (``first_attempt`` changes nothing: no look-up exists)."""
        if self._webhook is None:
            await self.start()
        assert self._webhook is not None
        webhook = self._webhook

        async def post(index: int, part: MessagePart) -> discord.Message:
            # wait=True: Discord answers with the message, whose id the outbox records
            return await webhook.send(
                content=part.content or discord.utils.MISSING,
                embeds=to_embeds(part),
                allowed_mentions=discord.AllowedMentions.none(),
                wait=True,
            )

        return await post_parts(
            post,
            channel,
            message_parts(content),
            idempotency_key,
            self._posted,
            error_for=self._error,
            chain=False,
            skip_parts=skip_parts,
            on_posted=on_posted,
        )

    def _error(self, exc: BaseException, channel: ChannelRef) -> DeliveryError:
        if isinstance(exc, discord.NotFound):
            return DeliveryError(GONE, permanent=True)
        return self._scrubbed(delivery_error(exc, channel))

    def _scrubbed(self, error: DeliveryError) -> DeliveryError:
        """``error`` without the webhook's token, which must never reach logs or ``/news why``."""
        token = (self.config.webhook_url or "").rstrip("/").rsplit("/", 1)[-1]
        if not token or token not in error.reason:
            return error
        reason = error.reason.replace(token, "<webhook token>")
        return DeliveryError(reason, permanent=error.permanent, retry_after=error.retry_after)
