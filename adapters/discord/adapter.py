"""The Discord bot adapter: gateway connection, ``/news`` commands, reactions, delivery.

Built by the bot as ``DiscordAdapter(config, on_command, on_reaction)``. It uses
minimal intents (guilds + guild reactions; no message content), syncs the
``/news`` group globally or to one development guild, and posts with
``AllowedMentions.none()`` and a per-part nonce so nothing pings and nothing
is posted twice (see :mod:`.delivery` for what covers retries after Discord's
nonce window). It always runs discord.py's ``AutoShardedClient``: with
``DISCORD_SHARD_COUNT``/``DISCORD_SHARD_IDS`` this process runs exactly those
shards, otherwise as many as Discord recommends for the bot's guild count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp
import discord
from discord import app_commands

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

from .commands import InteractionRunner, NewsGroup
from .config import DiscordConfig, TopicsProvider
from .delivery import PostedParts, post_to_channel
from .embeds import message_parts
from .endpoints import DEFAULT_API, apply_endpoints
from .reactions import ReactionStates, reaction_event

log = logging.getLogger(__name__)

# a 429 asking us to wait longer than this becomes a retryable DeliveryError instead
MAX_RATELIMIT_WAIT = 30.0


class DiscordStartError(RuntimeError):
    """The bot could not connect; the message says what to fix."""


def intents() -> discord.Intents:
    """Guilds (channels, permissions) and guild reactions; nothing privileged."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_reactions = True
    return chosen


def _log_gateway_end(task: asyncio.Task[None]) -> None:
    """A gateway loop that dies must be loud: commands and reactions stop arriving."""
    if not task.cancelled() and task.exception() is not None:
        log.error("Discord gateway connection ended", exc_info=task.exception())


def _describe_gateway_error(error: BaseException) -> str:
    """What a person should do about the gateway close codes that end reconnecting."""
    code = getattr(error, "code", None)
    hint = (
        {
            4004: "Discord rejected DISCORD_TOKEN (it was reset or revoked); copy a new bot token",
            4010: "invalid shard; check DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT",
            4011: "Discord requires more shards; set DISCORD_SHARD_COUNT higher or leave it unset",
            4013: "invalid intents",
            4014: "an intent is not enabled for this bot in the Developer Portal",
        }.get(code)
        if isinstance(code, int)
        else None
    )
    text = f"{type(error).__name__}: {error}"
    return f"{text} ({hint})" if hint else text


class DiscordAdapter:
    """Adapter protocol implementation for a Discord bot token."""

    name = "discord"

    def __init__(
        self,
        config: DiscordConfig,
        on_command: CommandHandler,
        on_reaction: ReactionHandler,
        *,
        topics_provider: TopicsProvider | None = None,
    ) -> None:
        if not config.token:
            raise DiscordStartError(
                "DISCORD_TOKEN is not set; the bot adapter needs it (webhook-only mode uses "
                "DiscordWebhookAdapter)"
            )
        self.config = config
        self._on_command = on_command
        self._on_reaction = on_reaction
        self._topics_provider = topics_provider or config.topics_provider
        self._reactions = ReactionStates()
        self._posted = PostedParts()
        self._client: discord.Client | None = None
        self._tree: app_commands.CommandTree | None = None
        self._runner_task: asyncio.Task[None] | None = None
        self.closed_reason: str | None = None  # why the gateway stopped for good (see wait_closed)

    # lifecycle ---------------------------------------------------------------------------

    def _build_client(self) -> discord.Client:
        # newsbot never joins voice: silence discord.py's start-up warnings about the
        # optional voice libraries (PyNaCl, davey), which would only confuse operators.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        client = discord.AutoShardedClient(
            intents=intents(),
            guild_ready_timeout=self.config.guild_ready_timeout,
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            application_id=self.config.application_id,  # type: ignore[arg-type]  # None: from READY
            shard_count=self.config.shard_count,
            shard_ids=list(self.config.shard_ids) or None,  # type: ignore[arg-type]  # None: all
        )
        tree = app_commands.CommandTree(client)
        runner = InteractionRunner(self._on_command, defer_after=self.config.defer_after)
        tree.add_command(NewsGroup(runner, self._topics_provider))
        self._tree = tree

        async def setup_hook() -> None:
            if self.config.sync_commands:
                await self._sync_commands()

        async def on_raw_reaction_add(payload: discord.RawReactionActionEvent) -> None:
            await self._reaction(payload)

        async def on_raw_reaction_remove(payload: discord.RawReactionActionEvent) -> None:
            await self._reaction(payload)

        client.setup_hook = setup_hook  # type: ignore[method-assign]
        client.event(on_raw_reaction_add)
        client.event(on_raw_reaction_remove)
        return client

    async def _sync_commands(self) -> None:
        """Global sync takes up to an hour to show; a development guild updates at once."""
        assert self._tree is not None
        if self.config.guild_id:
            guild = discord.Object(id=self.config.guild_id)
            self._tree.copy_global_to(guild=guild)
            await self._tree.sync(guild=guild)
        else:
            await self._tree.sync()

    async def start(self) -> None:
        """Log in, sync ``/news``, connect the gateway; returns once Discord says READY."""
        if self._client is not None:
            return
        apply_endpoints(self.config.api_url, self.config.gateway_url)
        client = self._client = self._build_client()
        try:
            await client.login(self.config.token or "")
        except discord.LoginFailure:
            await self.aclose()
            raise DiscordStartError(
                "Discord rejected DISCORD_TOKEN (401); copy the bot token again from the Developer "
                "Portal → your application → Bot → Reset Token"
            ) from None
        except (OSError, aiohttp.ClientError, discord.HTTPException) as exc:
            await self.aclose()
            raise DiscordStartError(
                f"could not reach Discord's API at {self.config.api_url or DEFAULT_API} to log in: {exc}; "
                "check the network, or DISCORD_API_URL if you set it"
            ) from exc
        if client.shard_count is None:
            # Discord's recommendation, asked here because discord.py would also take its
            # gateway URL and so ignore DISCORD_GATEWAY_URL
            try:
                client.shard_count, _, _ = await client.http.get_bot_gateway()
            except discord.GatewayNotFound as exc:
                await self.aclose()
                raise DiscordStartError(
                    f"Discord did not say how many shards to run: {exc}"
                ) from exc
        self._runner_task = asyncio.create_task(
            client.connect(reconnect=True), name="discord-gateway"
        )
        self._runner_task.add_done_callback(_log_gateway_end)
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait(
            {self._runner_task, ready},
            timeout=self.config.connect_timeout,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if ready not in done:
            ready.cancel()
            error = self._runner_task.exception() if self._runner_task in done else None
            await self.aclose()
            raise DiscordStartError(
                f"could not connect to the Discord gateway: {error!r}"
                if error
                else f"Discord gateway not ready after {self.config.connect_timeout:.0f}s"
            ) from error

    async def wait_closed(self) -> None:
        """Return when the gateway connection has ended for good, with :attr:`closed_reason`
        saying why — discord.py reconnects by itself after drops and resumes, so its task
        ends only on what a reconnect cannot fix (token reset, intents refused, a shard
        setting Discord rejects). The bot then exits so a supervisor restarts it, instead of
        running deaf to commands and reactions. Also returns after :meth:`aclose`."""
        task = self._runner_task
        if task is None:
            return
        await asyncio.wait({task})  # never cancels the gateway task when our waiter is cancelled
        if self._runner_task is not task:  # aclose() ended it on purpose
            return
        error = None if task.cancelled() else task.exception()
        self.closed_reason = (
            f"the Discord gateway connection ended: {_describe_gateway_error(error)}"
            if error
            else "the Discord gateway connection ended (the client was closed)"
        )

    async def aclose(self) -> None:
        client, self._client = self._client, None
        task, self._runner_task = self._runner_task, None
        if client is not None:
            await client.close()
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    @property
    def client(self) -> discord.Client:
        if self._client is None:
            raise DiscordStartError(
                "the Discord adapter is not started; await adapter.start() first"
            )
        return self._client

    # inbound -----------------------------------------------------------------------------

    async def _reaction(self, payload: discord.RawReactionActionEvent) -> None:
        me = self._client.user.id if self._client and self._client.user else None
        event = reaction_event(payload, bot_user_id=me)
        if event is None or self._reactions.is_repeat(event):
            return
        try:
            await self._on_reaction(event)
        except Exception:
            log.exception("reaction handler failed for message %s", event.message_id)

    # outbound ----------------------------------------------------------------------------

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
        """Post a digest (header + one message per story) or one story to ``channel``.

        ``first_attempt`` changes nothing here: the nonce makes a first attempt and
        a retry cost the same one request per part. Parts in ``skip_parts`` (recorded
        by the bot) are not posted; ``on_posted`` gets each part as Discord accepts it.
        """
        if not channel.channel.isdigit():
            raise DeliveryError(
                f"{channel} is not a Discord channel id (right-click the channel → Copy Channel ID)",
                permanent=True,
            )
        if self._client is None:
            raise DeliveryError("the Discord adapter is not connected yet", permanent=False)
        target = self._client.get_partial_messageable(
            int(channel.channel),
            guild_id=int(channel.workspace) if channel.workspace.isdigit() else None,
        )
        return await post_to_channel(
            target,
            channel,
            message_parts(content),
            idempotency_key,
            self._posted,
            skip_parts=skip_parts,
            on_posted=on_posted,
        )
