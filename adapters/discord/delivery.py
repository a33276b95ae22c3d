"""Posting message parts to a channel exactly once, and naming failures honestly.

Each part carries a nonce derived from the delivery's idempotency key and the
part's index; with ``enforce_nonce`` Discord answers a re-send (after a crash or
a retried delivery) with the message it already created instead of a duplicate.
discord.py waits out 429s per route bucket and globally; only errors that a
retry cannot fix are reported as permanent.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence

import aiohttp
import discord

from adapters.base import ChannelRef, DeliveryError

from .embeds import MessagePart

NONCE_MAX = 25  # Discord accepts nonces of up to 25 characters


def nonce_for(idempotency_key: str, part: int) -> str:
    """A stable 25-character nonce for part ``part`` of the delivery ``idempotency_key``."""
    digest = hashlib.sha256(f"{idempotency_key}\x00{part}".encode()).hexdigest()
    return digest[:NONCE_MAX]


def delivery_error(exc: BaseException, channel: ChannelRef) -> DeliveryError:
    """Translate a discord.py/aiohttp failure into a :class:`DeliveryError` a person can act on."""
    where = f"Discord channel {channel.channel}"
    if isinstance(exc, discord.Forbidden):
        return DeliveryError(
            f"missing access to {where} ({exc.text or 'forbidden'}); give the bot View Channel, "
            "Send Messages and Embed Links there, or unsubscribe the channel",
            permanent=True,
        )
    if isinstance(exc, discord.NotFound):
        return DeliveryError(
            f"unknown {where} ({exc.text or 'not found'}); it was deleted or the bot left the server",
            permanent=True,
        )
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(
            f"rate limited by Discord for {exc.retry_after:.1f}s posting to {where}",
            permanent=False,
            retry_after=exc.retry_after,
        )
    if isinstance(exc, discord.DiscordServerError):
        return DeliveryError(f"Discord server error {exc.status} posting to {where}", permanent=False)
    if isinstance(exc, discord.HTTPException):
        return DeliveryError(
            f"Discord rejected a message for {where} (HTTP {exc.status}, code {exc.code}: {exc.text})",
            permanent=exc.status < 500 and exc.status != 429,
        )
    if isinstance(exc, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return DeliveryError(f"network error posting to {where}: {exc!r}", permanent=False)
    return DeliveryError(f"unexpected error posting to {where}: {exc!r}", permanent=False)


def to_embeds(part: MessagePart) -> list[discord.Embed]:
    return [discord.Embed.from_dict(e) for e in part.embeds]


async def post_parts(
    target: discord.abc.Messageable,
    channel: ChannelRef,
    parts: Sequence[MessagePart],
    idempotency_key: str,
) -> list[tuple[str, str | None]]:
    """Post ``parts`` in order; returns ``(message_id, story_id)`` per part.

    Raises :class:`DeliveryError`; parts already posted are returned by Discord
    again (same nonce) when the delivery is retried, so a retry never duplicates.
    """
    posted: list[tuple[str, str | None]] = []
    for index, part in enumerate(parts):
        try:
            message = await target.send(
                content=part.content,
                embeds=to_embeds(part),
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=nonce_for(idempotency_key, index),
            )
        except Exception as exc:  # every failure becomes a DeliveryError the bot can store
            raise delivery_error(exc, channel) from exc
        posted.append((str(message.id), part.story_id))
    return posted
