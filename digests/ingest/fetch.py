"""Fetch a feed over HTTP(S) with aiohttp: bounded in time and size, conditional, polite.

The caller keeps ``etag``/``last_modified`` from the previous :class:`FetchResult`
and passes them back, so an unchanged feed costs one 304 and no parsing.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp

from .result import IngestFailure

USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot)"
MAX_FEED_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


class FetchError(IngestFailure):
    """A feed URL that could not be fetched; the reason names the URL and what happened."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    url: str
    status: int
    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


async def fetch_feed(
    url: str,
    *,
    session: aiohttp.ClientSession | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    total_timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_FEED_BYTES,
) -> FetchResult:
    """GET ``url``; 304 → ``not_modified``; non-2xx, timeouts and oversize → :class:`FetchError`."""
    headers = {"User-Agent": USER_AGENT, "Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    owned = session is None
    client = session or aiohttp.ClientSession()
    try:
        async with client.get(
            url,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=total_timeout),
            allow_redirects=True,
            max_redirects=5,
        ) as resp:
            new_etag = resp.headers.get("ETag") or etag
            new_modified = resp.headers.get("Last-Modified") or last_modified
            if resp.status == 304:
                return FetchResult(url, 304, None, new_etag, new_modified, not_modified=True)
            if not 200 <= resp.status < 300:
                raise FetchError(f"{url}: HTTP {resp.status} {resp.reason or ''}".rstrip())
            data = await _read_capped(resp, url, max_bytes)
            return FetchResult(url, resp.status, data, new_etag, new_modified)
    except FetchError:
        raise
    except TimeoutError:
        raise FetchError(f"{url}: timed out after {total_timeout:g} s") from None
    except aiohttp.TooManyRedirects:
        raise FetchError(f"{url}: too many redirects") from None
    except aiohttp.InvalidURL:
        raise FetchError(f"{url}: not a valid URL") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from None
    finally:
        if owned:
            await client.close()


async def _read_capped(resp: aiohttp.ClientResponse, url: str, max_bytes: int) -> bytes:
    """Stream the body and stop as soon as it passes ``max_bytes``."""
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise FetchError(f"{url}: feed too large ({declared} bytes > {max_bytes} limit)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(65536):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"{url}: feed too large (more than {max_bytes} bytes)")
        chunks.append(chunk)
    return b"".join(chunks)
