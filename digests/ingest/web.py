"""A polite, guarded HTTP client for feeds added from chat and the article pages they link.

Polite: at most ``per_host`` requests in flight to one host and ``host_delay``
seconds between their starts; timeouts; a size cap enforced while streaming (a
50 MB page is dropped after the cap, never held); redirects followed by hand and
capped; conditional requests (ETag / Last-Modified); a User-Agent naming the bot
and its URL; robots.txt honoured for pages (via protego, which follows RFC 9309 —
wildcards, longest match — unlike the standard library's parser), except on
hosts the operator lists as their own.

Guarded: every URL and every redirect hop goes through :mod:`.urlguard`, and the
connector's resolver refuses private addresses at connect time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from protego import Protego

from .fetch import FetchError
from .urlguard import BlockedURL, GuardedResolver, check_host_literal, is_blocked_error

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5, */*;q=0.3"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
ROBOTS_TTL = 3600.0
ROBOTS_MAX_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """How the bot behaves on other people's servers (from the settings)."""

    user_agent: str = "newsbot/0.1 (+https://github.com/newsbot)"
    timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2
    host_delay: float = 1.0
    allow_private: bool = False
    robots: bool = True
    robots_ignore: frozenset[str] = frozenset()  # hosts whose robots.txt is not consulted
    total_connections: int = 32


@dataclass(frozen=True, slots=True)
class WebResponse:
    """A finished GET: ``url`` asked for, ``final_url`` after redirects."""

    url: str
    final_url: str
    status: int
    data: bytes | None
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Host:
    gate: asyncio.Semaphore
    spacing: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class WebClient:
    """One per poller: owns an aiohttp session with the guarded resolver. Counts requests
    (``requests``) so benchmarks and tests can see what conditional requests saved."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        resolver: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._resolver = resolver
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[float, Protego | None, bool]] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}
        self.requests = 0
        self.bytes_read = 0

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            resolver = self._resolver
            if not self.policy.allow_private:
                resolver = GuardedResolver(resolver)
            connector = aiohttp.TCPConnector(
                limit=self.policy.total_connections,
                limit_per_host=self.policy.per_host,
                resolver=resolver,
            )
            self._session = aiohttp.ClientSession(connector=connector)
        return self._session

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> WebClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # politeness --------------------------------------------------------------------

    def _host(self, host: str) -> _Host:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = _Host(asyncio.Semaphore(self.policy.per_host))
        return slot

    async def _wait_turn(self, slot: _Host) -> None:
        """Space request starts to one host ``host_delay`` apart."""
        if self.policy.host_delay <= 0:
            return
        async with slot.spacing:
            now = self._clock()
            wait = slot.next_start - now
            slot.next_start = max(now, slot.next_start) + self.policy.host_delay
        if wait > 0:
            await asyncio.sleep(wait)

    async def allowed_by_robots(self, url: str) -> bool:
        """Whether robots.txt lets the bot fetch ``url`` (cached per host for an hour).
        A missing robots.txt (4xx) allows everything; an unreachable one (5xx, timeout)
        disallows for now, as RFC 9309 asks."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not self.policy.robots or host in self.policy.robots_ignore:
            return True
        origin = f"{parts.scheme}://{parts.netloc}"
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:  # pages of one site fetched at once ask for robots.txt once
            return await self._robots_allow(origin, url)

    async def _robots_allow(self, origin: str, url: str) -> bool:
        cached = self._robots.get(origin)
        if cached is None or cached[0] < self._clock():
            parser: Protego | None = None
            allow_all = True
            try:
                res = await self.get(
                    origin + "/robots.txt",
                    accept="text/plain",
                    max_bytes=ROBOTS_MAX_BYTES,
                    check_robots=False,
                    raise_for_status=False,
                )
                if res.status >= 500:
                    allow_all = False
                elif 200 <= res.status < 300 and res.data:
                    parser = Protego.parse(res.data.decode("utf-8", "replace"))
            except FetchError:
                allow_all = False
            cached = (self._clock() + ROBOTS_TTL, parser, allow_all)
            self._robots[origin] = cached
        _, parser, allow_all = cached
        if parser is None:
            return allow_all
        return bool(parser.can_fetch(url, self.policy.user_agent.split("/", 1)[0]))

    # fetching ----------------------------------------------------------------------

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
        max_bytes: int | None = None,
        check_robots: bool = False,
        raise_for_status: bool = True,
    ) -> WebResponse:
        """GET ``url`` politely. 304 → ``not_modified``; refusals, HTTP errors (with
        ``raise_for_status``), timeouts, oversize and redirect loops → :class:`FetchError`
        with a reason a person can act on."""
        cap = max_bytes or self.policy.max_bytes
        try:  # refused before anything else, robots.txt included
            check_host_literal(url, allow_private=self.policy.allow_private)
        except BlockedURL as exc:
            raise FetchError(f"{url}: {exc}") from None
        if check_robots and not await self.allowed_by_robots(url):
            raise FetchError(f"{url}: robots.txt does not allow newsbot to fetch this page")
        headers = {"User-Agent": self.policy.user_agent, "Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            try:
                host = check_host_literal(current, allow_private=self.policy.allow_private)
            except BlockedURL as exc:
                raise FetchError(f"{current}: {exc}") from None
            slot = self._host(host.lower())
            async with slot.gate:
                await self._wait_turn(slot)
                result = await self._one(url, current, headers, cap)
            if isinstance(result, WebResponse):
                if raise_for_status and result.status >= 400:
                    raise FetchError(f"{url}: HTTP {result.status}{_reason(result.status)}")
                return result
            current = result  # a redirect target
        raise FetchError(
            f"{url}: too many redirects (more than {self.policy.max_redirects}); "
            "the server may be redirecting in a loop"
        )

    async def _one(
        self, url: str, current: str, headers: dict[str, str], cap: int
    ) -> WebResponse | str:
        self.requests += 1
        try:
            async with self._client().get(
                current,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=self.policy.timeout),
            ) as resp:
                if resp.status in (301, 302, 303, 307, 308):
                    location = resp.headers.get("Location")
                    if not location:
                        raise FetchError(f"{url}: redirect without a Location header")
                    return urljoin(current, location)
                etag = resp.headers.get("ETag")
                modified = resp.headers.get("Last-Modified")
                ctype = resp.headers.get("Content-Type", "")
                if resp.status == 304 or resp.status >= 400:
                    return WebResponse(url, current, resp.status, None, ctype, etag, modified)
                data = await self._read_capped(resp, url, cap)
                return WebResponse(url, current, resp.status, data, ctype, etag, modified)
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError(f"{url}: timed out after {self.policy.timeout:g} s") from None
        except aiohttp.InvalidURL:
            raise FetchError(f"{url}: not a valid URL") from None
        except (aiohttp.ClientError, OSError) as exc:
            refused = is_blocked_error(exc)
            if refused:
                raise FetchError(f"{url}: {refused}") from None
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None

    async def _read_capped(self, resp: aiohttp.ClientResponse, url: str, cap: int) -> bytes:
        declared = resp.content_length
        if declared is not None and declared > cap:
            raise FetchError(f"{url}: too large ({_mb(declared)} > the {_mb(cap)} limit)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            self.bytes_read += len(chunk)
            if size > cap:
                raise FetchError(f"{url}: too large (more than the {_mb(cap)} limit)")
            chunks.append(chunk)
        return b"".join(chunks)


def _mb(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n // 1024} KB"


_REASONS = {
    401: "needs a login",
    403: "forbidden",
    404: "not found; check the address",
    410: "gone",
    429: "rate limited",
    500: "server error",
    502: "bad gateway",
    503: "unavailable",
    504: "gateway timeout",
}


def _reason(status: int) -> str:
    text = _REASONS.get(status)
    return f" ({text})" if text else ""
