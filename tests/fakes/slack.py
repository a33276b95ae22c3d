"""A fake Slack on 127.0.0.1, driven by the real slack_sdk / slack_bolt clients.

Web API (auth.test, chat.postMessage, conversations.history, users.info,
apps.connections.open), the Socket Mode websocket that apps.connections.open
points to, response_url endpoints and an incoming webhook. It enforces the
per-channel post rate with 429 + Retry-After, can inject failures, and records
everything it received so tests assert on what Slack would have seen.
The clock is injectable so rate limits can run on virtual time.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
SIGNING_SECRET = "fake-signing-secret"
TEAM_ID = "T0FAKE"
BOT_USER_ID = "UBOT"


@dataclass
class Failure:
    """Answer the next ``times`` calls of ``method`` (optionally for one channel) with an error."""

    method: str
    status: int = 500
    error: str | None = None
    channel: str | None = None
    times: int = 1
    retry_after: int | None = None
    lose_response: bool = False  # do the work, then fail: "posted, but the client never heard"
    skip: int = 0  # let this many matching calls through first


@dataclass
class Envelope:
    """A Socket Mode envelope we pushed, and when (and with what) the app acked it."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    sent_at: float
    acked: asyncio.Future[dict[str, Any]] = field(repr=False, default=None)  # type: ignore[assignment]
    ack_latency: float | None = None


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class FakeSlack:
    """Start with ``async with FakeSlack() as slack``; ``slack.api_url`` goes into SlackConfig."""

    def __init__(
        self,
        *,
        rate_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        channels: tuple[str, ...] = ("C1",),
        auto_create_channels: bool = True,
    ) -> None:
        self.rate_interval = rate_interval
        # seconds between a message appearing in its channel and chat.postMessage answering
        # (on Slack a reaction_added event can overtake the answer that carries the ts)
        self.answer_delay = 0.0
        self.clock = clock
        self.auto_create_channels = auto_create_channels
        self.messages: dict[str, list[dict[str, Any]]] = {c: [] for c in channels}
        self.channel_errors: dict[str, str] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.failures: list[Failure] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responses: list[dict[str, Any]] = []
        self.webhook_posts: list[dict[str, Any]] = []
        self.rate_limited = 0
        self.history_calls = 0  # conversations.history is rate-limited on real Slack (~50/min)
        self.connections = 0  # Socket Mode websockets ever opened (reconnects included)
        self.post_times: dict[str, list[float]] = {}
        self.envelopes: dict[str, Envelope] = {}
        self._last_post: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/response/{id}", self._response_url)
        app.router.add_post("/webhook", self._webhook)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(
            self._runner, "127.0.0.1", 0, backlog=1024
        )  # 200+ clients connect at once
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    @property
    def webhook_url(self) -> str:
        return f"{self.base}/webhook"

    # test helpers ------------------------------------------------------------------------------

    def add_user(
        self, user_id: str, *, admin: bool = False, owner: bool = False, name: str = ""
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "name": name or user_id.lower(),
            "is_admin": admin,
            "is_owner": owner,
        }

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """Messages in ``channel``, oldest first."""
        return self.messages.get(channel, [])

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [args for name, args in self.calls if name == method]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Wait (event-driven, no polling) until ``predicate()`` holds after some request."""
        async with asyncio.timeout(within):
            async with self._changed:
                await self._changed.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_connected(self, within: float = 5.0) -> None:
        await self.wait_for(lambda: bool(self._sockets), within)

    async def drop_connections(self, *, refresh_requested: bool = False) -> None:
        """Close every Socket Mode websocket, as Slack does on deploys and network trouble.

        With ``refresh_requested`` Slack's polite variant: a ``disconnect`` message
        first (sent every few hours in production), then the close.
        """
        for ws in list(self._sockets):
            if refresh_requested:
                await ws.send_str(
                    json.dumps(
                        {
                            "type": "disconnect",
                            "reason": "refresh_requested",
                            "debug_info": {"host": "fake"},
                        }
                    )
                )
            await ws.close()

    async def push(
        self, type_: str, payload: dict[str, Any], *, retry_attempt: int = 0
    ) -> Envelope:
        """Send one Socket Mode envelope to the connected app."""
        envelope_id = f"env-{next(self._ids)}"
        envelope = Envelope(envelope_id, type_, payload, time.perf_counter())
        envelope.acked = asyncio.get_running_loop().create_future()
        self.envelopes[envelope_id] = envelope
        message = {
            "envelope_id": envelope_id,
            "type": type_,
            "payload": payload,
            "accepts_response_payload": type_ == "slash_commands",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        await self._sockets[-1].send_str(json.dumps(message))
        return envelope

    def command_payload(
        self, text: str, *, user_id: str = "U1", channel_id: str = "C1", command: str = "/news"
    ) -> dict[str, Any]:
        n = next(self._ids)
        return {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "fake",
            "channel_id": channel_id,
            "channel_name": channel_id.lower(),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0FAKE",
            "is_enterprise_install": "false",
            "response_url": f"{self.base}/response/{n}",
            "trigger_id": f"trigger-{n}",
        }

    def reaction_payload(
        self,
        *,
        ts: str,
        channel: str = "C1",
        user: str = "U1",
        reaction: str = "+1",
        added: bool = True,
        item_user: str = BOT_USER_ID,
        event_id: str | None = None,
    ) -> dict[str, Any]:
        return {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0FAKE",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):06d}",
            "event_time": 1_700_000_000,
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": {
                "type": "reaction_added" if added else "reaction_removed",
                "user": user,
                "reaction": reaction,
                "item_user": item_user,
                "item": {"type": "message", "channel": channel, "ts": ts},
                "event_ts": "1700000000.000100",
            },
        }

    async def post_signed(
        self,
        url: str,
        body: str,
        *,
        content_type: str,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        retry_num: int | None = None,
        signature: str | None = None,
    ) -> tuple[int, str]:
        """Send a request the way Slack's HTTP delivery does (signed; optionally a retry)."""
        import aiohttp

        ts = int(time.time()) if timestamp is None else timestamp
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts, secret),
        }
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=body, headers=headers) as r,
        ):
            return r.status, await r.text()

    @staticmethod
    def form(payload: dict[str, Any]) -> str:
        return urlencode(payload)

    # Web API ---------------------------------------------------------------------------------

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        return args

    def _failure(self, method: str, args: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if (
                failure.method == method
                and failure.times > 0
                and failure.channel in (None, args.get("channel"))
            ):
                if failure.skip > 0:
                    failure.skip -= 1
                    return None
                failure.times -= 1
                return failure
        return None

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args = await self._args(request)
        self.calls.append((method, args))
        try:
            return await self._dispatch(method, args, request)
        finally:
            await self._notify()

    async def _dispatch(
        self, method: str, args: dict[str, Any], request: web.Request
    ) -> web.StreamResponse:
        token = request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        ).strip() or args.get("token")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        failure = self._failure(method, args)
        if failure is not None and failure.lose_response:
            handler = {"chat.postMessage": self._post_message}.get(method)
            if handler is not None:
                await handler(args)
            return web.Response(status=failure.status, text="upstream trouble")
        if failure is not None:
            headers = (
                {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            )
            if failure.error:
                return web.json_response(
                    {"ok": False, "error": failure.error}, status=failure.status, headers=headers
                )
            return web.Response(status=failure.status, text="upstream trouble", headers=headers)
        handler = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "conversations.history": self._history,
            "users.info": self._users_info,
            "apps.connections.open": self._connections_open,
        }.get(method)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return await handler(args)

    async def _auth_test(self, args: dict[str, Any]) -> web.Response:
        return web.json_response(
            {
                "ok": True,
                "url": "https://fake.slack.com/",
                "team": "Fake",
                "user": "newsbot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": "BBOT",
            }
        )

    def _channel_error(self, channel: str | None) -> str | None:
        if not channel:
            return "channel_not_found"
        if channel in self.channel_errors:
            return self.channel_errors[channel]
        if channel not in self.messages:
            if not self.auto_create_channels:
                return "channel_not_found"
            self.messages[channel] = []
        return None

    def _rate_check(self, key: str) -> web.Response | None:
        now = self.clock()
        last = self._last_post.get(key)
        if last is not None and now - last < self.rate_interval:
            self.rate_limited += 1
            wait = max(1, math.ceil(self.rate_interval - (now - last)))
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(wait)},
            )
        self._last_post[key] = now
        self.post_times.setdefault(key, []).append(now)
        return None

    async def _post_message(self, args: dict[str, Any]) -> web.Response:
        channel = args.get("channel")
        error = self._channel_error(channel)
        if error:
            return web.json_response({"ok": False, "error": error})
        limited = self._rate_check(channel)  # type: ignore[arg-type]
        if limited is not None:
            return limited
        if not args.get("text") and not args.get("blocks"):
            return web.json_response({"ok": False, "error": "no_text"})
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        metadata = args.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        n = next(self._ts)
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": "BBOT",
            "ts": f"{1_700_000_000 + n}.{n:06d}",
            "text": args.get("text", ""),
            "blocks": blocks or [],
            "metadata": metadata,
            "link_names": args.get("link_names"),
            "unfurl_links": args.get("unfurl_links"),
        }
        self.messages[channel].append(message)  # type: ignore[index]
        if self.answer_delay:
            await self._notify()  # the message is visible now; its answer comes later
            await asyncio.sleep(self.answer_delay)
        return web.json_response(
            {"ok": True, "channel": channel, "ts": message["ts"], "message": message}
        )

    async def _history(self, args: dict[str, Any]) -> web.Response:
        self.history_calls += 1
        channel = args.get("channel")
        error = self._channel_error(channel)
        if error:
            return web.json_response({"ok": False, "error": error})
        limit = int(args.get("limit") or 100)
        with_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        newest_first = list(reversed(self.messages[channel]))[:limit]  # type: ignore[index]
        out = [{k: v for k, v in m.items() if with_meta or k != "metadata"} for m in newest_first]
        return web.json_response({"ok": True, "messages": out, "has_more": False})

    async def _users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return web.json_response({"ok": False, "error": "user_not_found"})
        return web.json_response({"ok": True, "user": user})

    async def _connections_open(self, args: dict[str, Any]) -> web.Response:
        return web.json_response(
            {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket?ticket={next(self._ids)}"}
        )

    # Socket Mode -----------------------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self.connections += 1
        await ws.send_str(json.dumps({"type": "hello", "num_connections": len(self._sockets)}))
        await self._notify()
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                data = json.loads(msg.data)
                envelope = self.envelopes.get(data.get("envelope_id", ""))
                if envelope is not None and not envelope.acked.done():
                    envelope.ack_latency = time.perf_counter() - envelope.sent_at
                    envelope.acked.set_result(data)
        finally:
            self._sockets.remove(ws)
        return ws

    # response_url and incoming webhook -------------------------------------------------------------

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_response_id"] = request.match_info["id"]
        self.responses.append(body)
        await self._notify()
        return web.Response(text="ok", content_type="text/plain")

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.calls.append(("webhook", body))
        failure = self._failure("webhook", body)
        try:
            if failure is not None:
                headers = (
                    {"Retry-After": str(failure.retry_after)}
                    if failure.retry_after is not None
                    else {}
                )
                return web.Response(
                    status=failure.status, text=failure.error or "upstream trouble", headers=headers
                )
            now = self.clock()
            last = self._last_post.get("webhook")
            if last is not None and now - last < self.rate_interval:
                self.rate_limited += 1
                return web.Response(status=429, text="rate_limited", headers={"Retry-After": "1"})
            self._last_post["webhook"] = now
            self.webhook_posts.append(body)
            return web.Response(text="ok", content_type="text/plain")
        finally:
            await self._notify()
