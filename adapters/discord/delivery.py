"""Posting message parts to a channel exactly once, and naming failures honestly.

Each part carries a nonce derived from the delivery's idempotency key and the
part's index; with ``enforce_nonce`` Discord answers a re-send (after a crash or
a retried delivery) with the message it already created instead of a duplicate.

Discord honours a nonce for a few minutes only. What protects a later retry:

* each part is handed to ``on_posted`` the moment Discord accepted it (the bot
  records it in its own transaction), and a retry passes the recorded parts as
  ``skip_parts``, which are never posted again: a process that dies after part 2,
  retried by another process an hour later, posts parts 3… only; a permanent
  error on part 3 keeps the ids of parts 0–2, so reactions on them still count;
* :class:`PostedParts` remembers, for this process, which parts of a key were
  already posted, for callers that keep no record of their own.

discord.py waits out 429s per route bucket and globally; only errors that a
retry cannot fix are reported as permanent.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence

import aiohttp
import discord

from adapters.base import NO_PARTS, ChannelRef, DeliveryError, PostedHandler, PostedMessage

from .embeds import MessagePart, to_embeds

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
        return DeliveryError(
            f"Discord server error {exc.status} posting to {where}", permanent=False
        )
    if isinstance(exc, discord.HTTPException):
        return DeliveryError(
            f"Discord rejected a message for {where} (HTTP {exc.status}, code {exc.code}: {exc.text})",
            permanent=exc.status < 500 and exc.status != 429,
        )
    if isinstance(exc, aiohttp.ClientError | OSError | asyncio.TimeoutError):
        return DeliveryError(f"network error posting to {where}: {exc!r}", permanent=False)
    return DeliveryError(f"unexpected error posting to {where}: {exc!r}", permanent=False)


class PostedParts:
    """Message ids already posted per idempotency key and part, in this process (bounded LRU).

    A part is identified by its index *and* story id, so a retry whose digest lost
    a story never mistakes one story's message for another's.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._keys: OrderedDict[str, dict[tuple[int, str | None], str]] = OrderedDict()
        self._capacity = capacity

    def get(self, key: str, index: int, story_id: str | None) -> str | None:
        return self._keys.get(key, {}).get((index, story_id))

    def record(self, key: str, index: int, story_id: str | None, message_id: str) -> None:
        self._keys.setdefault(key, {})[(index, story_id)] = message_id
        self._keys.move_to_end(key)
        while len(self._keys) > self._capacity:
            self._keys.popitem(last=False)


PostOne = Callable[[int, MessagePart], Awaitable[discord.Message]]
ErrorFor = Callable[[BaseException, ChannelRef], DeliveryError]


async def post_parts(
    post: PostOne,
    channel: ChannelRef,
    parts: Sequence[MessagePart],
    idempotency_key: str,
    posted_parts: PostedParts,
    *,
    error_for: ErrorFor = delivery_error,
    chain: bool = True,
    skip_parts: frozenset[int] = NO_PARTS,
    on_posted: PostedHandler | None = None,
) -> list[PostedMessage]:
    """Post ``parts`` in order with ``post(index, part)``; returns a :class:`PostedMessage`
    per part posted (its ``part`` is the index), each handed to ``on_posted`` first.

    Parts in ``skip_parts`` are left out; parts ``posted_parts`` remembers under
    ``idempotency_key`` are reported without posting again. Any failure to post is
    raised as the :class:`DeliveryError` ``error_for`` makes, chained to the original
    unless ``chain`` is False (its text may hold a secret); an error from
    ``on_posted`` propagates as it is.
    """
    posted: list[PostedMessage] = []
    for index, part in enumerate(parts):
        if index in skip_parts:
            continue
        message_id = posted_parts.get(idempotency_key, index, part.story_id)
        if message_id is None:
            try:
                message = await post(index, part)
            except Exception as exc:  # every failure becomes a DeliveryError the bot can store
                raise error_for(exc, channel) from (exc if chain else None)
            message_id = str(message.id)
            posted_parts.record(idempotency_key, index, part.story_id, message_id)
        done = PostedMessage(channel, message_id, part.story_id, index)
        if on_posted is not None:
            await on_posted(done)
        posted.append(done)
    return posted


async def post_to_channel(
    target: discord.abc.Messageable,
    channel: ChannelRef,
    parts: Sequence[MessagePart],
    idempotency_key: str,
    posted_parts: PostedParts,
    *,
    skip_parts: frozenset[int] = NO_PARTS,
    on_posted: PostedHandler | None = None,
) -> list[PostedMessage]:
    """Post as the bot, each part with its nonce, so Discord itself drops a re-send."""

    async def post(index: int, part: MessagePart) -> discord.Message:
        return await target.send(
            content=part.content,
            embeds=to_embeds(part),
            allowed_mentions=discord.AllowedMentions.none(),
            nonce=nonce_for(idempotency_key, index),
        )

    return await post_parts(
        post,
        channel,
        parts,
        idempotency_key,
        posted_parts,
        skip_parts=skip_parts,
        on_posted=on_posted,
    )
