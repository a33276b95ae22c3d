"""Posting to Slack within its limits, exactly once.

* Paced per channel (:class:`ChannelPacer`), channels concurrent.
* ``429`` honoured with ``Retry-After``; 5xx, Slack's transient errors and
  connection errors retried with exponential back-off; anything else
  (``channel_not_found``, ``not_in_channel``, ``is_archived``, ``invalid_auth``…)
  is a permanent :class:`DeliveryError` because sending it again cannot help.
* Exactly once: Slack has no idempotency key, so each message carries message
  metadata ``{"key": idempotency_key, "part": i}``. Before a delivery that may
  have been attempted already is sent, the channel's recent history is read and
  parts already there are skipped (their ts is returned instead). A crash between
  posting and recording therefore never posts the same part twice; nor does a
  retry after a 5xx or a dropped connection, whose message may have been posted
  although we never saw the answer (that case re-reads history even on a first
  attempt). ``conversations.history`` is rate-limited (~50 calls a minute per
  workspace), so a delivery the caller marks ``first_attempt`` skips the look-up:
  a fan-out to hundreds of channels then reads no history at all.
* Parts the bot has recorded (``skip_parts``) are never posted again, and each
  part is handed to ``on_posted`` as soon as Slack accepted it, so a permanent
  error on part 3 keeps parts 0–2 (and the reactions on them).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import NO_PARTS, ChannelRef, DeliveryError, PostedHandler, PostedMessage

from .blocks import SlackMessage
from .config import SlackConfig
from .pacing import ChannelPacer

log = logging.getLogger(__name__)

METADATA_TYPE = "newsbot_delivery"
# Slack's documented "try again later" errors; anything else with HTTP 200 is permanent
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
# what a person can do about a permanent error; shown by `/news why` and `newsbot status`
PERMANENT_HINTS = {
    "not_in_channel": "invite the bot: /invite @newsbot",
    "channel_not_found": "the channel was deleted, or it is private and the bot was never invited",
    "is_archived": "the channel is archived; unarchive it or stop its digests",
    "invalid_auth": "Slack rejected SLACK_BOT_TOKEN; reinstall the app and update the token",
    "token_revoked": "the app was uninstalled; reinstall it and update SLACK_BOT_TOKEN",
    "account_inactive": "the app was uninstalled; reinstall it and update SLACK_BOT_TOKEN",
    "missing_scope": "the app lacks a scope; reinstall it from slack-manifest.yml",
    "restricted_action": "a workspace admin restricted posting in this channel",
}
NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError, OSError)

T = TypeVar("T")


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try."""

    def __init__(self, reason: str, delay: float, *, rate_limited: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.delay = delay
        self.rate_limited = rate_limited


def _retry_after(headers: Any, default: float = 1.0) -> float:
    try:
        return max(0.0, float(headers.get("Retry-After", default)))
    except (TypeError, ValueError):
        return default


def describe(exc: BaseException, *, secret: str | None = None) -> str:
    """A short, readable reason for a connection error (it ends up in `/news why`).

    ``secret`` (the webhook URL, whose path is the credential) is blanked out.
    """
    text = str(exc).strip()
    reason = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return reason.replace(secret, "SLACK_WEBHOOK_URL") if secret else reason


def permanent_error(code: str) -> DeliveryError:
    """A DeliveryError that starts with Slack's code and says what to do about it."""
    hint = PERMANENT_HINTS.get(code)
    return DeliveryError(f"{code} ({hint})" if hint else code, permanent=True)


class Retrier:
    """Runs one API call with the retry policy above; shared by bot-token and webhook posting."""

    def __init__(self, config: SlackConfig, pacer: ChannelPacer) -> None:
        self.config = config
        self.pacer = pacer

    def backoff(self, attempt: int) -> float:
        base = min(self.config.backoff_max, self.config.backoff_base * 2 ** (attempt - 1))
        return base * random.uniform(0.5, 1.0)  # jitter: many channels must not retry in lockstep

    async def run(self, channel: str, call: Callable[[], Awaitable[T]], *, paced: bool) -> T:
        attempt = 0
        while True:
            attempt += 1
            if paced:
                await self.pacer.wait_turn(channel)
            try:
                result = await call()
            except _Retry as retry:
                if paced:
                    self.pacer.sent(channel)
                if attempt >= self.config.max_attempts:
                    raise DeliveryError(
                        f"{retry.reason} (gave up after {attempt} attempts)",
                        permanent=False,
                        retry_after=retry.delay if retry.rate_limited else None,
                    ) from None
                log.info("slack %s on %s; retrying in %.2fs", retry.reason, channel, retry.delay)
                if retry.rate_limited:
                    self.pacer.push_back(channel, retry.delay)
                    if not paced:
                        await self.pacer.sleep(retry.delay)
                else:
                    await self.pacer.sleep(retry.delay)
                continue
            except BaseException:
                if paced:
                    self.pacer.sent(channel)
                raise
            if paced:
                self.pacer.sent(channel)
            return result

    def classify_api_error(self, exc: SlackApiError, attempt_hint: int = 1) -> Exception:
        """Turn a Slack error response into a retry or a DeliveryError."""
        response = exc.response
        status = getattr(response, "status_code", 0)
        error = ""
        if isinstance(getattr(response, "data", None), dict):
            error = str(response.data.get("error") or "")
        if status == 429 or error == "ratelimited":
            return _Retry("ratelimited (429)", _retry_after(response.headers), rate_limited=True)
        if status >= 500 or error in TRANSIENT_ERRORS:
            return _Retry(error or f"HTTP {status}", self.backoff(attempt_hint))
        return permanent_error(error or f"HTTP {status}")


class SlackPoster:
    """Delivers rendered messages through the Web API with a bot token."""

    def __init__(self, client: AsyncWebClient, config: SlackConfig, pacer: ChannelPacer) -> None:
        self.client = client
        self.config = config
        self.pacer = pacer
        self.retrier = Retrier(config, pacer)

    async def deliver(
        self,
        channel: ChannelRef,
        messages: list[SlackMessage],
        key: str,
        *,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = NO_PARTS,
        on_posted: PostedHandler | None = None,
    ) -> list[PostedMessage]:
        """Post every part not in ``skip_parts`` nor already in the channel; returns those
        parts' ts in order, handing each to ``on_posted`` as soon as it is known.

        ``first_attempt``: the caller guarantees ``key`` was never sent before, so the
        history look-up is skipped (nothing of it can be there yet). When every part is
        skipped, history is not read either.
        """
        todo = [(part, m) for part, m in enumerate(messages) if part not in skip_parts]
        if not todo:
            return []
        # one delivery at a time per channel keeps a digest's messages together and in order
        async with self.pacer.lock(channel.channel):
            existing = {} if first_attempt else await self.already_posted(channel.channel, key)
            posted = []
            for part, message in todo:
                ts = existing.get(part)
                if ts is None:
                    ts = await self._post(channel.channel, message, key, part)
                done = PostedMessage(channel, ts, message.story_id, part)
                if on_posted is not None:
                    await on_posted(done)
                posted.append(done)
            return posted

    async def already_posted(self, channel: str, key: str) -> dict[int, str]:
        """Parts of delivery ``key`` found in the channel's recent history (part → ts)."""
        attempts = 0

        async def call() -> Any:
            nonlocal attempts
            attempts += 1
            try:
                return await self.client.conversations_history(
                    channel=channel, limit=self.config.history_limit, include_all_metadata=True
                )
            except SlackApiError as exc:
                raise self.retrier.classify_api_error(exc, attempts) from None
            except NETWORK_ERRORS as exc:
                raise _Retry(
                    f"connection error: {describe(exc)}", self.retrier.backoff(attempts)
                ) from None

        response = await self.retrier.run(channel, call, paced=False)
        found: dict[int, str] = {}
        for message in response.get("messages", []):
            meta = message.get("metadata") or {}
            payload = meta.get("event_payload") or {}
            if meta.get("event_type") == METADATA_TYPE and payload.get("key") == key:
                part = payload.get("part")
                if isinstance(part, int | str) and str(part).isdigit() and "ts" in message:
                    found.setdefault(int(part), message["ts"])
        return found

    async def _post(self, channel: str, message: SlackMessage, key: str, part: int) -> str:
        attempts = 0
        blocks = message.blocks
        ambiguous = False  # the last attempt may have posted although we saw an error

        async def call() -> str:
            nonlocal attempts, blocks, ambiguous
            attempts += 1
            if ambiguous:
                done = await self.already_posted(channel, key)
                if part in done:
                    return done[part]
            try:
                response = await self.client.chat_postMessage(
                    channel=channel,
                    text=message.text,
                    blocks=blocks,
                    metadata={
                        "event_type": METADATA_TYPE,
                        "event_payload": {"key": key, "part": part},
                    },
                    unfurl_links=False,
                    unfurl_media=False,
                    link_names=False,
                )
                return str(response["ts"])
            except SlackApiError as exc:
                error = exc.response.get("error") if isinstance(exc.response.data, dict) else None
                if (
                    error == "invalid_blocks"
                    and message.blocks_without_image
                    and blocks is message.blocks
                ):
                    # Slack rejects the whole message when it cannot fetch the image: drop the picture
                    blocks = message.blocks_without_image
                    raise _Retry("image rejected; sending without it", 0.0) from None
                outcome = self.retrier.classify_api_error(exc, attempts)
                ambiguous = isinstance(outcome, _Retry) and not outcome.rate_limited
                raise outcome from None
            except NETWORK_ERRORS as exc:
                ambiguous = True
                raise _Retry(
                    f"connection error: {describe(exc)}", self.retrier.backoff(attempts)
                ) from None

        return await self.retrier.run(channel, call, paced=True)


class WebhookPoster:
    """Delivery-only mode: an incoming webhook posts to its one channel.

    Webhooks return no message id and cannot read history, so reactions and the
    exactly-once history check are unavailable here; ids are synthetic.
    """

    def __init__(self, url: str, config: SlackConfig, pacer: ChannelPacer) -> None:
        self.url = url
        self.config = config
        self.pacer = pacer
        self.retrier = Retrier(config, pacer)
        self._session: aiohttp.ClientSession | None = None

    async def deliver(
        self,
        channel: ChannelRef,
        messages: list[SlackMessage],
        key: str,
        *,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = NO_PARTS,
        on_posted: PostedHandler | None = None,
    ) -> list[PostedMessage]:
        """Post every part not in ``skip_parts``, handing each to ``on_posted`` once posted.

        A webhook cannot read history, so ``first_attempt`` changes nothing and
        ``skip_parts`` (the bot's record) is all that keeps a retry from repeating parts.
        """
        posted = []
        async with self.pacer.lock("webhook"):
            for part, message in enumerate(messages):
                if part in skip_parts:
                    continue
                done = PostedMessage(
                    channel, await self._post(message, key, part), message.story_id, part
                )
                if on_posted is not None:
                    await on_posted(done)
                posted.append(done)
        return posted

    async def _post(self, message: SlackMessage, key: str, part: int) -> str:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        session = self._session
        attempts = 0
        blocks = message.blocks

        async def call() -> str:
            nonlocal attempts, blocks
            attempts += 1
            body = {
                "text": message.text,
                "blocks": blocks,
                "unfurl_links": False,
                "unfurl_media": False,
            }
            try:
                async with session.post(self.url, json=body) as response:
                    text = await response.text()
                    status, headers = response.status, response.headers
            except NETWORK_ERRORS as exc:
                reason = f"connection error: {describe(exc, secret=self.url)}"
                raise _Retry(reason, self.retrier.backoff(attempts)) from None
            if status == 200:
                return f"webhook:{key}:{part}"
            if status == 429:
                raise _Retry("ratelimited (429)", _retry_after(headers), rate_limited=True)
            if status >= 500:
                raise _Retry(f"HTTP {status}", self.retrier.backoff(attempts))
            if (
                text.strip() == "invalid_blocks"
                and message.blocks_without_image
                and blocks is message.blocks
            ):
                blocks = message.blocks_without_image
                raise _Retry("image rejected; sending without it", 0.0)
            raise DeliveryError(f"webhook refused: {text.strip()[:100] or status}", permanent=True)

        return await self.retrier.run("webhook", call, paced=True)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
