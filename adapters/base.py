"""The one surface between the bot and every chat platform.

Inbound, an adapter turns platform events into :class:`CommandRequest` and
:class:`ReactionEvent` and awaits the handlers the bot gave it when building it.
Outbound, the bot calls :meth:`Adapter.send`. Nothing platform-specific crosses
this line, which is what lets the console, Slack and Discord share one core.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from digests.models import Digest, Story


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """Where a message goes: ``platform`` (console/slack/discord), workspace or guild, channel."""

    platform: str
    workspace: str
    channel: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}"


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """A ``/news …`` invocation. ``text`` is everything after ``/news``.

    ``is_admin`` is the platform's own answer to "may this person manage the
    channel" (Slack workspace admin/owner, Discord Manage Server/Channels).
    ``event_id`` lets the bot drop a platform's retried delivery of one event.
    """

    channel: ChannelRef
    user_id: str
    text: str
    user_name: str = ""
    is_admin: bool = False
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """The bot's answer to a command.

    ``ephemeral`` replies are shown only to the requester. ``stories`` are
    rendered by the adapter under ``text``; ``share_hint`` tells the requester how
    to post them to the whole channel. ``error`` marks a usage problem so an
    adapter may style it differently.
    """

    text: str
    stories: tuple[Story, ...] = ()
    ephemeral: bool = True
    error: bool = False
    share_hint: str | None = None


@dataclass(frozen=True, slots=True)
class ReactionEvent:
    """An emoji added to or removed from a message the bot posted.

    ``emoji`` is a name without colons (``thumbsup``, ``fire``) or the unicode
    character; custom Discord emoji are ``name:id``.
    """

    channel: ChannelRef
    message_id: str
    user_id: str
    emoji: str
    added: bool
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class PostedMessage:
    """A message an adapter posted; ``story_id`` is None for a digest's header.

    ``part`` is the message's place in its delivery (0 = the header or the only
    message, then the stories in send order). Rendering is deterministic, so a
    retry numbers the same parts the same way and the bot can record and skip
    them one by one.
    """

    channel: ChannelRef
    message_id: str
    story_id: str | None = None
    part: int = 0


class DeliveryError(Exception):
    """A send that failed. ``permanent`` errors (channel gone, no access) must not be retried."""

    def __init__(self, reason: str, *, permanent: bool, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after


CommandHandler = Callable[[CommandRequest], Awaitable[Reply]]
ReactionHandler = Callable[[ReactionEvent], Awaitable[None]]
PostedHandler = Callable[[PostedMessage], Awaitable[None]]
"""Awaited by :meth:`Adapter.send` right after each part is accepted, before the next is sent."""
NO_PARTS: frozenset[int] = frozenset()


@runtime_checkable
class Adapter(Protocol):
    """What the bot needs from a platform."""

    name: str

    async def start(self) -> None:
        """Connect and begin dispatching events to the handlers; returns once connected."""

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
        """Post a digest (header + one message per story) or a single story.

        ``idempotency_key`` is stable across retries of the same delivery, so a
        platform that supports one (Discord's nonce) never shows it twice.
        ``first_attempt=True`` is the caller's promise that this key has never been
        tried before (a fresh key for a manual digest or share), so the adapter may
        skip looking for an earlier, half-finished attempt (Slack's history check);
        the default False is always safe.

        Progress is durable per part, because a process may die (or a permanent
        error strike) half-way through a digest: ``skip_parts`` are part numbers the
        bot already recorded as posted (do not post them again), and ``on_posted`` is
        awaited with each :class:`PostedMessage` as soon as the platform accepted it,
        before the next part is sent (if it raises, stop and let it propagate).
        Returns the parts posted (or found already posted) by this call, in order.
        Raises :class:`DeliveryError` on failure.
        """
        ...

    async def aclose(self) -> None:
        """Disconnect and release resources; safe to call twice."""
