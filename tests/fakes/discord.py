"""A fake Discord (REST v10 + gateway websocket) on 127.0.0.1, driven by the real discord.py.

It answers exactly what discord.py asks for (login, application info, command
sync, gateway HELLO/IDENTIFY/READY/heartbeats, GUILD_CREATE), lets a test
dispatch INTERACTION_CREATE and reaction events, and records everything the
bot sends: interaction callbacks, followups, channel messages (with
nonce/enforce_nonce de-duplication), webhook posts. It enforces Discord's
message limits (a violating payload gets the same 400 Discord would send, and
is listed in ``violations``), per-channel and global rate limits with 429s,
and can answer 429 on demand. Nothing here is copied from Discord; payload
shapes follow the public API docs and what discord.py parses.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

SNOWFLAKE_BASE = 1_200_000_000_000_000_000
BOT_USER_ID = 1_100_000_000_000_000_001
APPLICATION_ID = 1_100_000_000_000_000_002
TOKEN = "fake-bot-token"
UNUSED_GATEWAY = "ws://127.0.0.1:9/gateway-from-gateway-bot"

MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
EPHEMERAL = 1 << 6


@dataclass
class Recorded:
    """One REST request as the fake received it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float


@dataclass
class Interaction:
    """An INTERACTION_CREATE the test dispatched, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    dispatched_at: float
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted_original: bool = False
    first_callback_at: float | None = None
    first_followup_at: float | None = None
    answered_at: float | None = (
        None  # the answer itself: a type 4 callback or the first followup/edit
    )

    @property
    def answered(self) -> bool:
        return bool(
            self.followups or self.edits or any(c["type"] in (4, 8) for c in self.callbacks)
        )


@dataclass
class Channel:
    id: int
    guild_id: int | None
    name: str
    forbidden: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)
    nonces: dict[str, dict[str, Any]] = field(default_factory=dict)
    window_start: float = 0.0
    window_count: int = 0


def _user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def embed_violations(payload: dict[str, Any]) -> list[str]:
    """Every Discord message limit ``payload`` breaks (an empty list means Discord accepts it)."""
    problems: list[str] = []
    content = payload.get("content") or ""
    embeds = payload.get("embeds") or []
    if len(content) > 2000:
        problems.append(f"content is {len(content)} > 2000")
    if len(embeds) > 10:
        problems.append(f"{len(embeds)} embeds > 10")
    if not content and not embeds:
        problems.append("empty message")
    total = 0
    for i, e in enumerate(embeds):
        title = e.get("title") or ""
        desc = e.get("description") or ""
        footer = (e.get("footer") or {}).get("text") or ""
        author = (e.get("author") or {}).get("name") or ""
        fields = e.get("fields") or []
        if len(title) > 256:
            problems.append(f"embed {i} title {len(title)} > 256")
        if len(desc) > 4096:
            problems.append(f"embed {i} description {len(desc)} > 4096")
        if len(footer) > 2048:
            problems.append(f"embed {i} footer {len(footer)} > 2048")
        if len(fields) > 25:
            problems.append(f"embed {i} has {len(fields)} fields > 25")
        for j, f in enumerate(fields):
            if not f.get("name") or not f.get("value"):
                problems.append(f"embed {i} field {j} empty name or value")
            if len(f.get("name", "")) > 256:
                problems.append(f"embed {i} field {j} name > 256")
            if len(f.get("value", "")) > 1024:
                problems.append(f"embed {i} field {j} value {len(f['value'])} > 1024")
        for key in ("url",):
            if key in e and not str(e[key]).startswith(("http://", "https://")):
                problems.append(f"embed {i} {key} is not a URL")
        if "thumbnail" in e and not str(e["thumbnail"].get("url", "")).startswith(
            ("http://", "https://", "attachment://")
        ):
            problems.append(f"embed {i} thumbnail url is not a URL")
        total += len(title) + len(desc) + len(footer) + len(author)
        total += sum(len(f.get("name", "")) + len(f.get("value", "")) for f in fields)
    if total > 6000:
        problems.append(f"embeds total {total} > 6000")
    return problems


def mentions_suppressed(payload: dict[str, Any]) -> bool:
    """True when the payload's allowed_mentions pings nobody (``AllowedMentions.none()``)."""
    am = payload.get("allowed_mentions")
    if not isinstance(am, dict):
        return False
    return (
        am.get("parse") == []
        and not am.get("users")
        and not am.get("roles")
        and not am.get("replied_user", False)
    )


class FakeDiscord:
    """The fake server. ``async with FakeDiscord() as fake:`` then point the adapter at
    ``fake.api_url`` / ``fake.gateway_url``."""

    def __init__(
        self,
        *,
        guilds: dict[int, list[int]] | None = None,
        channel_limit: int = 5,
        channel_window: float = 5.0,
        global_limit: int | None = None,
        heartbeat_interval_ms: int = 41_250,
        recommended_shards: int = 1,
        interaction_deadline: float = 3.0,
    ) -> None:
        self._ids = itertools.count(SNOWFLAKE_BASE)
        self.channels: dict[int, Channel] = {}
        self.guilds: dict[int, str] = {}
        for guild_id, channel_ids in (guilds or {}).items():
            self.add_guild(guild_id, channel_ids)
        self.channel_limit = channel_limit
        self.channel_window = channel_window
        self.global_limit = global_limit
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.recommended_shards = recommended_shards
        self.interaction_deadline = interaction_deadline
        self.requests: list[Recorded] = []
        self.identifies: list[dict[str, Any]] = []
        self.interactions: dict[int, Interaction] = {}
        self._by_token: dict[str, Interaction] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.webhooks: dict[int, tuple[str, int]] = {}
        self.violations: list[tuple[str, list[str]]] = []
        self.unsuppressed: list[dict[str, Any]] = []
        self.payloads: list[dict[str, Any]] = []
        self.rate_limited: list[tuple[str, float, bool]] = []
        self.nonce_hits = 0
        self.late: list[Interaction] = []
        self._forced: list[tuple[Callable[[str, str], bool], int, dict[str, Any]]] = []
        self._sessions: list[_Session] = []
        self._global_window = (0.0, 0)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # set-up ---------------------------------------------------------------------------

    def add_guild(self, guild_id: int, channel_ids: list[int], name: str | None = None) -> None:
        self.guilds[guild_id] = name or f"guild-{guild_id}"
        for cid in channel_ids:
            self.channels[cid] = Channel(cid, guild_id, f"news-{cid}")

    def add_webhook(self, webhook_id: int, token: str, channel_id: int) -> str:
        """Register a channel webhook; returns the URL a user would paste into DISCORD_WEBHOOK_URL."""
        self.webhooks[webhook_id] = (token, channel_id)
        return f"https://discord.com/api/webhooks/{webhook_id}/{token}"

    def forbid(self, channel_id: int) -> None:
        """The bot lost access to this channel: posts answer 403 Missing Access."""
        self.channels[channel_id].forbidden = True

    def expire_nonces(self) -> None:
        """Discord honours a nonce for a few minutes only: forget every nonce seen so far."""
        for channel in self.channels.values():
            channel.nonces.clear()

    def force(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.01,
        when: Callable[[str, str], bool] | None = None,
        is_global: bool = False,
        message: str = "forced error",
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` (429 carries ``retry_after``)."""
        match = when or (lambda method, path: method == "POST" and "/messages" in path)
        body: dict[str, Any] = {
            "status": status,
            "retry_after": retry_after,
            "global": is_global,
            "message": message,
        }
        self._forced.append((match, times, body))

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        # a deep accept queue: benchmarks open hundreds of connections at once
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for session in list(self._sessions):
            await session.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # waiting without sleeping -----------------------------------------------------------

    def _touch(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Return once ``predicate()`` holds; re-checked whenever the fake records something."""
        deadline = asyncio.get_running_loop().time() + within
        while not predicate():
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError("fake Discord: condition not reached in time")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                continue

    # gateway ----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        session = _Session(ws)
        await session.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            op = data.get("op")
            if op == 1:
                await session.send({"op": 11})
            elif op == 2:
                await self._identify(session, data["d"])
            elif op == 6:
                self._sessions.append(session)
                await session.dispatch("RESUMED", {})
        if session in self._sessions:
            self._sessions.remove(session)
        return ws

    async def _identify(self, session: _Session, d: dict[str, Any]) -> None:
        self.identifies.append(d)
        shard = d.get("shard") or [0, 1]
        session.shard = (int(shard[0]), int(shard[1]))
        guild_ids = [g for g in self.guilds if session.owns(g)]
        ready = {
            "v": 10,
            "user": _user(BOT_USER_ID, "newsbot", bot=True),
            "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
            "session_id": f"session-{len(self.identifies)}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APPLICATION_ID), "flags": 0},
            "shard": list(session.shard),
        }
        await session.dispatch("READY", ready)
        for g in guild_ids:
            await session.dispatch("GUILD_CREATE", self._guild_payload(g))
        self._sessions.append(session)
        self._touch()

    def _guild_payload(self, guild_id: int) -> dict[str, Any]:
        return {
            "id": str(guild_id),
            "name": self.guilds[guild_id],
            "unavailable": False,
            "owner_id": "1",
            "member_count": 2,
            "roles": [
                {
                    "id": str(guild_id),
                    "name": "@everyone",
                    "permissions": "0",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                }
            ],
            "channels": [
                {
                    "id": str(c.id),
                    "type": 0,
                    "name": c.name,
                    "position": i,
                    "guild_id": str(guild_id),
                    "permission_overwrites": [],
                    "nsfw": False,
                }
                for i, c in enumerate(self.channels.values())
                if c.guild_id == guild_id
            ],
            "members": [],
            "threads": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "joined_at": _now_iso(),
        }

    @property
    def connected(self) -> bool:
        return bool(self._sessions)

    async def dispatch(
        self, event: str, data: dict[str, Any], *, guild_id: int | None = None
    ) -> None:
        """Send a DISPATCH event to the shard that owns ``guild_id`` (DMs go to shard 0)."""
        for session in self._sessions:
            if session.owns(guild_id):
                await session.dispatch(event, data)
                return
        raise RuntimeError(
            "fake Discord: no gateway session owns that guild (is the bot connected?)"
        )

    def _next_id(self) -> int:
        return next(self._ids)

    async def invoke(
        self,
        subcommand: str,
        options: dict[str, str] | None = None,
        *,
        channel_id: int | None = None,
        user_id: int = 4242,
        permissions: int = 0,
        focused: str | None = None,
        command: str = "news",
    ) -> Interaction:
        """Dispatch ``/news <subcommand>`` (type 2) or, with ``focused``, its autocomplete (type 4).

        ``channel_id=None`` sends it from a DM.
        """
        channel = self.channels.get(channel_id) if channel_id is not None else None
        guild_id = channel.guild_id if channel else None
        sub_opts = [
            {"type": 3, "name": k, "value": v, **({"focused": True} if k == focused else {})}
            for k, v in (options or {}).items()
        ]
        data: dict[str, Any] = {
            "id": str(self._command_id(command, guild_id)),
            "name": command,
            "type": 1,
            "options": [{"type": 1, "name": subcommand, "options": sub_opts}],
        }
        if guild_id is not None and guild_id in self.commands:
            data["guild_id"] = str(guild_id)
        iid = self._next_id()
        token = f"itoken-{iid}"
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(APPLICATION_ID),
            "type": 4 if focused else 2,
            "token": token,
            "version": 1,
            "data": data,
            "locale": "en-US",
            "attachment_size_limit": 8 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id or user_id)},
            "app_permissions": "0",
        }
        user = _user(user_id, f"user{user_id}")
        if channel is not None and guild_id is not None:
            payload.update(
                guild_id=str(guild_id),
                channel_id=str(channel.id),
                channel={
                    "id": str(channel.id),
                    "type": 0,
                    "guild_id": str(guild_id),
                    "name": channel.name,
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                },
                member={
                    "user": user,
                    "roles": [],
                    "joined_at": _now_iso(),
                    "deaf": False,
                    "mute": False,
                    "permissions": str(permissions),
                    "flags": 0,
                },
                context=0,
            )
        else:
            dm = self._next_id()
            payload.update(
                channel_id=str(dm),
                channel={"id": str(dm), "type": 1, "recipients": [user]},
                user=user,
                context=1,
            )
        record = Interaction(iid, token, payload["type"], time.perf_counter())
        self.interactions[iid] = record
        self._by_token[token] = record
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return record

    def _command_id(self, name: str, guild_id: int | None) -> int:
        for cmd in self.commands.get(guild_id, []) + self.commands.get(None, []):
            if cmd["name"] == name:
                return int(cmd["id"])
        return 1

    async def react(
        self,
        channel_id: int,
        message_id: int,
        *,
        user_id: int = 4242,
        emoji: str = "👍",
        emoji_id: int | None = None,
        added: bool = True,
        author_id: int | None = BOT_USER_ID,
    ) -> None:
        """Dispatch MESSAGE_REACTION_ADD/REMOVE as Discord does for a reaction in a guild channel."""
        guild_id = self.channels[channel_id].guild_id
        data: dict[str, Any] = {
            "user_id": str(user_id),
            "channel_id": str(channel_id),
            "message_id": str(message_id),
            "guild_id": str(guild_id),
            "emoji": {"id": str(emoji_id) if emoji_id else None, "name": emoji},
            "burst": False,
            "type": 0,
        }
        if added:
            data["member"] = {
                "user": _user(user_id, f"user{user_id}"),
                "roles": [],
                "joined_at": _now_iso(),
                "deaf": False,
                "mute": False,
                "flags": 0,
            }
            if author_id is not None:
                data["message_author_id"] = str(author_id)
        await self.dispatch(
            "MESSAGE_REACTION_ADD" if added else "MESSAGE_REACTION_REMOVE", data, guild_id=guild_id
        )

    # REST -------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            if raw:
                if request.content_type == "application/json":
                    body = json.loads(raw)
                else:
                    body = raw.decode(errors="replace")
        self.requests.append(
            Recorded(request.method, path, dict(request.query), body, time.perf_counter())
        )
        try:
            forced = self._take_forced(request.method, path)
            if forced is not None:
                return forced
            return await self._route(request, path, body)
        finally:
            self._touch()

    def _take_forced(self, method: str, path: str) -> web.Response | None:
        for i, (match, times, body) in enumerate(self._forced):
            if match(method, path):
                if times <= 1:
                    del self._forced[i]
                else:
                    self._forced[i] = (match, times - 1, body)
                status = body["status"]
                if status == 429:
                    self.rate_limited.append((path, body["retry_after"], body["global"]))
                    return self._too_many(body["retry_after"], is_global=body["global"])
                return _error(status, 0, body["message"])
        return None

    @staticmethod
    def _too_many(retry_after: float, *, is_global: bool, bucket: str = "forced") -> web.Response:
        headers = {
            "Via": "1.1 google",
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Retry-After": str(max(1, round(retry_after))),
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Bucket": bucket,
                }
            )
        return _json(
            {
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": is_global,
            },
            status=429,
            headers=headers,
        )

    async def _route(self, request: web.Request, path: str, body: Any) -> web.StreamResponse:
        parts = [p for p in path.split("/") if p]
        method = request.method
        if path == "/users/@me" and method == "GET":
            if request.headers.get("Authorization") != f"Bot {TOKEN}":
                return _error(401, 0, "401: Unauthorized")
            return _json(_user(BOT_USER_ID, "newsbot", bot=True))
        if path == "/oauth2/applications/@me":
            return _json(self._app_info())
        if path in ("/gateway/bot", "/gateway"):
            # like Discord, name its own gateway; a client that connects there has ignored
            # DISCORD_GATEWAY_URL (this closed local port refuses the connection)
            return _json(
                {
                    "url": UNUSED_GATEWAY,
                    "shards": self.recommended_shards,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[:1] == ["applications"] and parts[-1] == "commands":
            guild_id = int(parts[3]) if len(parts) == 5 and parts[2] == "guilds" else None
            if method == "PUT":
                self.commands[guild_id] = [self._stored_command(c, guild_id) for c in body]
            return _json(self.commands.get(guild_id, []))
        if (
            parts[:1] == ["channels"]
            and len(parts) == 3
            and parts[2] == "messages"
            and method == "POST"
        ):
            return self._create_message(int(parts[1]), body)
        if parts[:1] == ["interactions"] and parts[-1] == "callback":
            return self._callback(int(parts[1]), parts[2], body)
        if parts[:1] == ["webhooks"]:
            return self._webhook(method, int(parts[1]), parts[2], parts[3:], body, request.query)
        return _error(404, 0, f"fake Discord has no route {method} {path}")

    def _app_info(self) -> dict[str, Any]:
        return {
            "id": str(APPLICATION_ID),
            "name": "newsbot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": _user(1, "owner"),
            "flags": 0,
            "summary": "",
            "interactions_endpoint_url": None,
        }

    def _stored_command(self, cmd: dict[str, Any], guild_id: int | None) -> dict[str, Any]:
        stored = {
            **cmd,
            "id": str(self._next_id()),
            "application_id": str(APPLICATION_ID),
            "version": "1",
            "type": cmd.get("type", 1),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    def _message(
        self,
        channel_id: int,
        body: dict[str, Any],
        *,
        author: dict[str, Any],
        flags: int = 0,
        **extra: Any,
    ) -> dict[str, Any]:
        return {
            "id": str(self._next_id()),
            "channel_id": str(channel_id),
            "type": 0,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "author": author,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "flags": flags,
            "nonce": body.get("nonce"),
            **extra,
        }

    def _check_payload(self, where: str, body: dict[str, Any]) -> web.Response | None:
        self.payloads.append(body)
        if not mentions_suppressed(body):
            self.unsuppressed.append(body)
        problems = embed_violations(body)
        if problems:
            self.violations.append((where, problems))
            return _error(400, 50035, "Invalid Form Body: " + "; ".join(problems))
        return None

    def _global_check(self) -> web.Response | None:
        if self.global_limit is None:
            return None
        now = time.monotonic()
        start, count = self._global_window
        if now - start >= 1.0:
            start, count = now, 0
        if count >= self.global_limit:
            retry = 1.0 - (now - start)
            self.rate_limited.append(("global", retry, True))
            return self._too_many(retry, is_global=True)
        self._global_window = (start, count + 1)
        return None

    def _create_message(self, channel_id: int, body: dict[str, Any]) -> web.Response:
        channel = self.channels.get(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        if channel.forbidden:
            return _error(403, 50001, "Missing Access")
        limited = self._global_check()
        if limited is not None:
            return limited
        now = time.monotonic()
        if now - channel.window_start >= self.channel_window:
            channel.window_start, channel.window_count = now, 0
        reset_after = self.channel_window - (now - channel.window_start)
        if channel.window_count >= self.channel_limit:
            self.rate_limited.append((f"channel {channel_id}", reset_after, False))
            return self._too_many(reset_after, is_global=False, bucket="channel-messages")
        channel.window_count += 1
        headers = {
            "X-RateLimit-Limit": str(self.channel_limit),
            "X-RateLimit-Remaining": str(self.channel_limit - channel.window_count),
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": "channel-messages",
        }
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce") and nonce in channel.nonces:
            self.nonce_hits += 1
            return _json(channel.nonces[nonce], headers=headers)
        problem = self._check_payload(f"channel {channel_id}", body)
        if problem is not None:
            return problem
        message = self._message(
            channel_id,
            body,
            author=_user(BOT_USER_ID, "newsbot", bot=True),
            guild_id=str(channel.guild_id),
        )
        channel.messages.append(message)
        if nonce is not None and body.get("enforce_nonce"):
            channel.nonces[nonce] = message
        return _json(message, headers=headers)

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any]) -> web.Response:
        record = self.interactions.get(interaction_id)
        if record is None or record.token != token:
            return _error(404, 10062, "Unknown interaction")
        if record.callbacks:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if time.perf_counter() - record.dispatched_at > self.interaction_deadline:
            self.late.append(record)  # Discord forgets an interaction not answered within 3 s
            return _error(404, 10062, "Unknown interaction")
        if body.get("type") == 4:
            problem = self._check_payload(f"interaction {interaction_id}", body.get("data") or {})
            if problem is not None:
                return problem
        record.callbacks.append(body)
        record.first_callback_at = record.first_callback_at or time.perf_counter()
        if body.get("type") == 4:
            record.answered_at = record.first_callback_at
        data = body.get("data") or {}
        return _json(
            {
                "interaction": {
                    "id": str(interaction_id),
                    "type": record.type,
                    "response_message_loading": body.get("type") == 5,
                    "response_message_ephemeral": bool(int(data.get("flags", 0)) & EPHEMERAL),
                }
            }
        )

    def _webhook(
        self, method: str, webhook_id: int, token: str, rest: list[str], body: Any, query: Any
    ) -> web.StreamResponse:
        if webhook_id == APPLICATION_ID:
            record = self._by_token.get(token)
            if record is None:
                return _error(404, 10015, "Unknown Webhook")
            if method == "POST" and not rest:
                problem = self._check_payload(f"followup {record.id}", body)
                if problem is not None:
                    return problem
                record.followups.append(body)
                record.first_followup_at = record.first_followup_at or time.perf_counter()
                record.answered_at = record.answered_at or record.first_followup_at
                return _json(
                    self._message(
                        0,
                        body,
                        author=_user(BOT_USER_ID, "newsbot", bot=True),
                        flags=int(body.get("flags", 0)),
                        webhook_id=str(APPLICATION_ID),
                    )
                )
            if rest == ["messages", "@original"]:
                if method == "DELETE":
                    record.deleted_original = True
                    return web.Response(status=204)
                if method == "PATCH":
                    problem = self._check_payload(f"edit {record.id}", body)
                    if problem is not None:
                        return problem
                    record.edits.append(body)
                    record.first_followup_at = record.first_followup_at or time.perf_counter()
                    record.answered_at = record.answered_at or record.first_followup_at
                    return _json(
                        self._message(0, body, author=_user(BOT_USER_ID, "newsbot", bot=True))
                    )
            return _error(404, 0, "fake Discord: unsupported followup route")
        hook = self.webhooks.get(webhook_id)
        if hook is None or hook[0] != token:
            return _error(404, 10015, "Unknown Webhook")
        channel = self.channels[hook[1]]
        problem = self._check_payload(f"webhook {webhook_id}", body)
        if problem is not None:
            return problem
        message = self._message(
            channel.id,
            body,
            author=_user(webhook_id, "newsbot-webhook", bot=True),
            webhook_id=str(webhook_id),
        )
        channel.messages.append(message)
        if query.get("wait") in ("true", "1", "True"):
            return _json(message)
        return web.Response(status=204)


class _Session:
    """One gateway connection (one shard)."""

    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.seq = 0
        self.shard = (0, 1)

    def owns(self, guild_id: int | None) -> bool:
        shard_id, count = self.shard
        if guild_id is None:
            return shard_id == 0
        return (guild_id >> 22) % count == shard_id

    async def send(self, payload: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        await self.send({"op": 0, "t": event, "s": self.seq, "d": data})


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status=status)


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON exactly as Discord labels it: discord.py only parses ``application/json`` without charset."""
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
