"""Fetch and read one feed for the poller and for ``/news feed add``: a clear reason for
every way it can fail, and the feeds a web page advertises when given a page."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any

from digests.ingest import parse_feed
from digests.ingest.discover import FeedLink, feed_links, looks_like_html
from digests.ingest.web import WebClient
from digests.models import Article


class NotAFeed(Exception):
    """The URL answered, but not with a feed; ``alternates`` are the feeds a page offers."""

    def __init__(self, reason: str, alternates: list[FeedLink] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.alternates = alternates or []


@dataclass(frozen=True, slots=True)
class FeedRead:
    articles: list[Article] = field(default_factory=list)
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    final_url: str = ""


def feed_title(data: bytes) -> str:
    """The feed's own title (only ``/news feed add`` needs it: a second, cheap parse)."""
    import feedparser

    parsed: Any = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    return str((parsed.get("feed") or {}).get("title") or "").strip()


def as_feed_items(articles: list[Article], url: str, topics: tuple[str, ...]) -> list[Article]:
    """Items of a chat feed: the feed's topics added to their tags, and no file ``path``
    (they are not files; the poller's file-deletion bookkeeping goes by path)."""
    return [
        replace(
            a,
            path=None,
            tags=tuple(dict.fromkeys((*a.tags, *topics))),
            extra={**a.extra, "feed": url},
        )
        for a in articles
    ]


async def read_feed(
    web: WebClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    want_title: bool = False,
) -> FeedRead:
    """Raises :class:`~digests.ingest.fetch.FetchError` (network, HTTP, size, refusal) or
    :class:`NotAFeed`."""
    res = await web.get(url, etag=etag, last_modified=last_modified)
    if res.not_modified:
        return FeedRead(
            etag=res.etag or etag,
            last_modified=res.last_modified or last_modified,
            not_modified=True,
            final_url=res.final_url,
        )
    data = res.data or b""
    if looks_like_html(data, res.content_type):
        links = feed_links(data, res.final_url)
        if links:
            raise NotAFeed("that is a web page, not a feed; it advertises these feeds", links)
        raise NotAFeed("that is a web page, not a feed, and it advertises no feed")
    parsed = await asyncio.to_thread(parse_feed, data, url)
    if not parsed.articles and parsed.errors:
        raise NotAFeed(parsed.errors[0].error)
    title = await asyncio.to_thread(feed_title, data) if want_title else ""
    return FeedRead(
        articles=list(parsed.articles),
        title=title,
        etag=res.etag,
        last_modified=res.last_modified,
        final_url=res.final_url,
    )
