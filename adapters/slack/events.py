"""Slack events → our CommandRequest / ReactionEvent, on a slack-bolt AsyncApp.

Slack gives an app 3 seconds to acknowledge a slash command. The listener
acks first, before touching users.info, the database or the engine, and then
answers through ``respond`` (the command's response_url), which stays valid for
30 minutes. Retried deliveries of one event (Socket Mode redelivery, HTTP
``X-Slack-Retry-Num``) are recognised by ``event_id`` and applied once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import (
    ChannelRef,
    CommandHandler,
    CommandRequest,
    ReactionEvent,
    ReactionHandler,
    Reply,
)

from .blocks import reply_messages
from .config import SlackConfig

log = logging.getLogger(__name__)

MAX_RESPONSES = 5  # Slack accepts five posts per response_url
_SKIN_TONE = re.compile(r"::skin-tone-\d$")
SORRY = "Sorry, that did not work on our side. Please try again in a minute."


class RecentIds:
    """A bounded set of recently seen event ids (oldest forgotten first)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, key: str) -> bool:
        return key in self._ids

    def add(self, key: str) -> bool:
        """Remember ``key``; False when it was already there (a retry)."""
        if key in self._ids:
            return False
        self._ids[key] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True


class AdminCache:
    """``is_admin`` from users.info (workspace admin or owner), cached per user."""

    def __init__(
        self, client: AsyncWebClient, ttl: float, clock: Callable[[], float] = time.monotonic
    ):
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}

    async def is_admin(self, user_id: str) -> bool:
        hit = self._cache.get(user_id)
        if hit and hit[0] > self.clock():
            return hit[1]
        try:
            response = await self.client.users_info(user=user_id)
            user = response.get("user") or {}
            admin = bool(
                user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")
            )
        except Exception as exc:  # an unknown answer is "not admin", never a crash
            log.warning("users.info failed for %s: %s", user_id, exc)
            return False
        self._cache[user_id] = (self.clock() + self.ttl, admin)
        return admin


class SlackEvents:
    """The listeners registered on the bolt app, plus the state they share."""

    def __init__(
        self,
        config: SlackConfig,
        client: AsyncWebClient,
        on_command: CommandHandler,
        on_reaction: ReactionHandler,
    ) -> None:
        self.config = config
        self.on_command = on_command
        self.on_reaction = on_reaction
        self.admins = AdminCache(client, config.admin_cache_seconds)
        self.seen = RecentIds()
        self.bot_user_id: str | None = None
        self.team_id: str = ""
        self._tasks: set[asyncio.Task[None]] = set()

    def register(self, app: AsyncApp) -> None:
        app.command(self.config.command)(self._command_listener)
        app.event("reaction_added")(self._reaction_added)
        app.event("reaction_removed")(self._reaction_removed)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, grace: float = 5.0) -> None:
        """Let in-flight command answers finish (on shutdown), then cancel the rest."""
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in pending:
                task.cancel()

    # slash command -------------------------------------------------------------

    async def _command_listener(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()  # first, always: Slack's 3-second budget must not depend on us
        trigger = body.get("trigger_id")
        if trigger and not self.seen.add(f"command:{trigger}"):
            return  # Socket Mode redelivered an envelope whose ack got lost: run it once
        self.spawn(self.answer_command(body, respond))

    async def answer_command(self, body: dict[str, Any], respond: Any) -> None:
        user_id = str(body.get("user_id") or "")
        request = CommandRequest(
            channel=ChannelRef(
                "slack", str(body.get("team_id") or self.team_id), str(body.get("channel_id") or "")
            ),
            user_id=user_id,
            text=str(body.get("text") or "").strip(),
            user_name=str(body.get("user_name") or ""),
            is_admin=await self.admins.is_admin(user_id) if user_id else False,
            event_id=body.get("trigger_id"),
        )
        try:
            reply = await self.on_command(request)
        except Exception:
            log.exception("command %r from %s failed", request.text, user_id)
            reply = Reply(SORRY, error=True)
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        for message in reply_messages(reply)[:MAX_RESPONSES]:
            try:
                await respond(
                    text=message.text,
                    blocks=message.blocks,
                    response_type=response_type,
                    replace_original=False,
                )
            except Exception as exc:
                log.warning("could not answer %r through response_url: %s", request.text, exc)
                return

    # reactions -------------------------------------------------------------------

    async def _reaction_added(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        await self.handle_reaction(body, event, added=True)

    async def _reaction_removed(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        await self.handle_reaction(body, event, added=False)

    async def handle_reaction(
        self, body: dict[str, Any], event: dict[str, Any], *, added: bool
    ) -> None:
        """Pass a reaction on one of our messages to the bot, once per event_id."""
        item = event.get("item") or {}
        user = str(event.get("user") or "")
        if item.get("type") != "message" or not item.get("ts") or not user:
            return
        if self.bot_user_id and user == self.bot_user_id:
            return  # our own reaction
        author = event.get("item_user")
        if self.bot_user_id and author and author != self.bot_user_id:
            return  # someone else's message: not a story we posted
        event_id = body.get("event_id")
        if event_id and not self.seen.add(str(event_id)):
            log.debug("dropping retried event %s", event_id)
            return
        reaction = ReactionEvent(
            channel=ChannelRef(
                "slack", str(body.get("team_id") or self.team_id), str(item.get("channel") or "")
            ),
            message_id=str(item["ts"]),
            user_id=user,
            emoji=_SKIN_TONE.sub("", str(event.get("reaction") or "")),
            added=added,
            event_id=str(event_id) if event_id else None,
        )
        try:
            await self.on_reaction(reaction)
        except Exception:
            log.exception("reaction handler failed for %s", event_id)
