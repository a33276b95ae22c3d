"""The Slack adapter: connects (Socket Mode, HTTP or delivery-only) and posts.

A digest is a header message followed by one top-level message per story, not a
thread: reactions are the feedback loop, and stories hidden in a collapsed
thread get few of them; a scheduled digest of at most a handful of stories a day
is a modest number of top-level messages, and each story then gets its own
notification text, link and permalink in the channel.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.adapter.socket_mode.async_internals import run_async_bolt_app
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

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

from . import redact
from .blocks import SlackMessage, digest_messages, story_message
from .config import SlackConfig
from .delivery import SlackPoster, WebhookPoster
from .events import SlackEvents
from .pacing import ChannelPacer

log = logging.getLogger(__name__)


class _AckFirstSocketModeHandler(AsyncSocketModeHandler):
    """Acks a slash command the moment its envelope arrives, then lets bolt dispatch it.

    Bolt would ack only after its middleware chain has run and its listener runner
    has noticed ``ack()`` (it polls every 10 ms); under a burst of commands that
    queueing, not our code, decides the ack latency. Slack only needs the envelope
    id back, so we send that first and discard bolt's (identical, empty) ack.
    """

    async def handle(self, client: Any, req: SocketModeRequest) -> None:
        if req.type != "slash_commands":
            await super().handle(client, req)
            return
        await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        await asyncio.sleep(0)  # let the other envelopes of a burst be acked before bolt's work
        await run_async_bolt_app(self.app, req)


def _reuse_auth_test(app: AsyncApp, auth: Any) -> None:
    """Give bolt the auth.test answer we already have.

    Bolt otherwise calls auth.test lazily on the first event, and every event that
    arrives before that answer does the same: a burst of 200 commands right after
    start made 200 auth.test calls (rate-limited on real Slack, where a refusal
    shows users bolt's "please install this app" error) and slowed every ack.
    """
    for middleware in getattr(app, "_async_middleware_list", ()):
        if (
            isinstance(middleware, AsyncSingleTeamAuthorization)
            and middleware.auth_test_result is None
        ):
            middleware.auth_test_result = auth


# apps.connections.open answers that no reconnect attempt can change: the app token was
# revoked, the app uninstalled, the workspace or app disabled
PERMANENT_CONNECT_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "app_uninstalled",
        "team_disabled",
        "missing_scope",
        "not_allowed_token_type",
    }
)


class SlackStartError(RuntimeError):
    """Slack refused to connect; the message says which setting to fix."""


class SlackAdapter:
    """``Adapter`` for Slack. ``clock``/``sleep`` are injectable for virtual-time tests."""

    name = "slack"

    def __init__(
        self,
        config: SlackConfig,
        on_command: CommandHandler,
        on_reaction: ReactionHandler,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.on_command = on_command
        self.on_reaction = on_reaction
        self.pacer = ChannelPacer(config.min_interval, clock=clock, sleep=sleep)
        self.team_id = ""
        self.bot_user_id: str | None = None
        self.http_port: int | None = None  # the bound port in HTTP mode (useful with port 0)
        self.events: SlackEvents | None = None
        self.app: AsyncApp | None = None
        self._session: aiohttp.ClientSession | None = None
        self._poster: SlackPoster | WebhookPoster | None = None
        self._socket: _AckFirstSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._verifier: SignatureVerifier | None = None  # HTTP mode: checks before the early ack
        self._closed = asyncio.Event()
        self.closed_reason: str | None = (
            None  # why the connection stopped for good (see wait_closed)
        )

    @property
    def mode(self) -> str:
        return self.config.mode

    # lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect; returns once Slack events can arrive (or at once in delivery-only mode)."""
        if self._poster is not None:
            return
        if self._closed.is_set():  # started again after aclose() or a connection lost for good
            self._closed, self.closed_reason = asyncio.Event(), None
        config = self.config
        if config.mode == "webhook":
            assert config.webhook_url
            self._poster = WebhookPoster(config.webhook_url, config, self.pacer)
            return
        # one pooled session for every Web API call: a fan-out to hundreds of channels
        # must not open a connection per message
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        client = AsyncWebClient(
            token=config.bot_token,
            base_url=config.base_url,
            session=self._session,
            retry_handlers=[],  # delivery.py owns the retry policy (429, 5xx, back-off)
        )
        try:
            auth = await client.auth_test()
        except SlackApiError as exc:
            await self._session.close()
            raise SlackStartError(
                f"Slack rejected SLACK_BOT_TOKEN ({exc.response.get('error')}); copy the Bot User OAuth "
                "Token from your app's OAuth & Permissions page"
            ) from None
        except aiohttp.ClientError as exc:
            await self._session.close()
            raise SlackStartError(
                f"cannot reach Slack at SLACK_API_URL={config.api_url}: {exc}"
            ) from None
        self.team_id = str(auth.get("team_id") or "")
        self.bot_user_id = auth.get("user_id")
        self._poster = SlackPoster(client, config, self.pacer)
        if config.mode == "post":
            return
        try:
            await self._start_listening(client, auth)
        except BaseException:
            await (
                self.aclose()
            )  # a failed start leaves nothing half-open, and start() may be retried
            raise

    async def _start_listening(self, client: AsyncWebClient, auth: Any) -> None:
        """The bolt app and its transport (Socket Mode or the HTTP endpoint)."""
        config = self.config
        self.events = SlackEvents(config, client, self.on_command, self.on_reaction)
        self.events.bot_user_id, self.events.team_id = self.bot_user_id, self.team_id
        bolt_client = AsyncWebClient(
            token=config.bot_token, base_url=config.base_url, session=self._session
        )
        self.app = AsyncApp(
            client=bolt_client,
            signing_secret=config.signing_secret or "",
            request_verification_enabled=config.mode == "http",
            logger=redact.install(logging.getLogger("slack_bolt")),  # no request bodies
        )
        _reuse_auth_test(self.app, auth)
        self.events.register(self.app)
        if config.mode == "socket":
            await self._start_socket_mode(bolt_client)
        else:
            await self._start_http()

    async def _start_socket_mode(self, client: AsyncWebClient) -> None:
        assert self.app is not None and self.config.app_token
        self._socket = _AckFirstSocketModeHandler(
            self.app, self.config.app_token, web_client=client
        )
        try:
            # issue the URL ourselves first so a bad app token fails loudly instead of retrying forever
            self._socket.client.wss_uri = await self._socket.client.issue_new_wss_url()
        except SlackApiError as exc:
            await self._socket.close_async()
            self._socket = None
            raise SlackStartError(
                f"Slack refused Socket Mode ({exc.response.get('error')}); check SLACK_APP_TOKEN "
                "(Basic Information → App-Level Tokens, scope connections:write) and that Socket Mode is on"
            ) from None
        self._watch_reconnects(self._socket.client)
        await self._socket.connect_async()

    def _watch_reconnects(self, client: Any) -> None:
        """slack_sdk reconnects a dropped Socket Mode connection forever, asking
        apps.connections.open for a new URL each time; when Slack answers that with an
        error no retry can fix (app token revoked, app uninstalled) we stop the client
        and let :meth:`wait_closed` return, instead of retrying deaf for ever."""
        issue = client.issue_new_wss_url

        async def issue_or_give_up(*args: Any, **kwargs: Any) -> str:
            try:
                return await issue(*args, **kwargs)
            except SlackApiError as exc:
                error = str(exc.response.get("error") or "")
                if error in PERMANENT_CONNECT_ERRORS and not self._closed.is_set():
                    self.closed_reason = (
                        f"Slack refused to reconnect Socket Mode ({error}); check SLACK_APP_TOKEN "
                        "(Basic Information → App-Level Tokens) and that the app is still installed"
                    )
                    client.closed = True  # what close() sets first: its loops stop reconnecting
                    self._closed.set()
                raise

        client.issue_new_wss_url = issue_or_give_up

    async def wait_closed(self) -> None:
        """Return when the Slack connection has stopped for good (:attr:`closed_reason` says
        why), so the bot exits for its supervisor to restart it; drops that slack_sdk can
        reconnect do not end it. HTTP, post-only and webhook modes hold no connection that
        can die: this returns only after :meth:`aclose`."""
        await self._closed.wait()

    async def _start_http(self) -> None:
        """Events API and slash commands on one aiohttp route, signatures verified by bolt."""
        self._verifier = SignatureVerifier(self.config.signing_secret or "")
        web_app = web.Application()
        web_app.router.add_post(self.config.http_path, self._http_endpoint)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        # a burst of slash commands opens many connections at once; the default backlog
        # (128) makes the rest wait for a SYN retry (~1 s) before bolt even sees them
        site = web.TCPSite(self._runner, self.config.http_host, self.config.http_port, backlog=1024)
        try:
            await site.start()
        except OSError as exc:
            raise SlackStartError(
                f"cannot listen on {self.config.http_host}:{self.config.http_port} for Slack HTTP mode "
                f"({exc.strerror or exc}); set SLACK_HTTP_PORT to a free port"
            ) from None
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        self.http_port = sockets[0].getsockname()[1] if sockets else self.config.http_port

    async def _http_endpoint(self, request: web.Request) -> web.Response:
        assert self.app is not None and self.events is not None
        bolt_request = await to_bolt_request(request)
        if self._is_our_command(bolt_request.body):
            return self._ack_command_first(bolt_request, request)
        if request.headers.get("X-Slack-Retry-Num"):
            # Slack re-sends an event it thinks we missed; if we already took it, just say OK.
            # (signature checking still happens for anything we would act on)
            event_id = (
                bolt_request.body.get("event_id") if isinstance(bolt_request.body, dict) else None
            )
            if event_id and str(event_id) in self.events.seen:
                return web.Response(status=200)
        bolt_response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    def _is_our_command(self, body: object) -> bool:
        return isinstance(body, dict) and body.get("command") == self.config.command

    def _ack_command_first(self, bolt_request: Any, request: web.Request) -> web.Response:
        """HTTP mode's twin of :class:`_AckFirstSocketModeHandler`: a signed slash command
        is acked (HTTP 200, empty) as soon as its signature checks out, and bolt dispatches
        it afterwards. Through bolt the 200 waited for its whole middleware chain, then for
        its listener runner to notice ``ack()`` (polled every 10 ms) — under a burst of
        commands that queueing made the ack p99 163 ms. Bolt checks the signature again
        when it dispatches; a bad one is refused here first, so nothing runs."""
        assert self._verifier is not None and self.events is not None
        if not self._verifier.is_valid_request(bolt_request.raw_body, request.headers):
            return web.Response(status=401)
        self.events.spawn(self._dispatch_acked(bolt_request))
        return web.Response(status=200)

    async def _dispatch_acked(self, bolt_request: Any) -> None:
        assert self.app is not None
        response = await self.app.async_dispatch(bolt_request)
        if response.status >= 400:  # already acked: only the log can tell
            log.warning("slash command dispatch answered HTTP %s after the ack", response.status)

    async def aclose(self) -> None:
        """Disconnect, finish in-flight answers, release sockets; safe to call twice."""
        self._closed.set()
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.events is not None:
            await self.events.drain()
        if isinstance(self._poster, WebhookPoster):
            await self._poster.aclose()
        self._poster = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    # outbound ------------------------------------------------------------------------------

    def render(self, content: Digest | Story) -> list[SlackMessage]:
        if isinstance(content, Digest):
            return digest_messages(content)
        return [story_message(content)]

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
        """Post a digest (header + one message per story) or one story, exactly once per key.

        ``first_attempt=True`` promises the key was never tried before, so nothing of
        it can be in the channel and the history look-up (rate-limited to ~50 calls a
        minute per workspace) is skipped; the default re-checks history, which is the
        safe answer for a delivery that was claimed but never confirmed. Parts in
        ``skip_parts`` are not posted; ``on_posted`` gets each part as it is posted.
        """
        if self._poster is None:
            raise DeliveryError("Slack adapter not started", permanent=False)
        if channel.platform != "slack":
            raise DeliveryError(f"{channel} is not a Slack channel", permanent=True)
        return await self._poster.deliver(
            channel,
            self.render(content),
            idempotency_key,
            first_attempt=first_attempt,
            skip_parts=skip_parts,
            on_posted=on_posted,
        )
