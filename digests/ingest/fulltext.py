"""Full text for feed items that carry only a teaser: fetch the linked page, keep its article.

Most feeds give a one- or two-sentence description; summaries and key quotes need
the article itself. For an item whose text is short and that links to a web page,
the page is fetched (politely, through :class:`~.web.WebClient`, robots.txt
honoured) and its main text, title, author and date are extracted with
trafilatura — a maintained extractor that scores page regions rather than
relying on site-specific rules, and handles nav/cookie/share/related-links junk
on pages it has never seen (about 8 ms a page here). When anything goes wrong
— refused URL, robots.txt, timeout, too big, no main text — the item keeps the
feed's own text and the reason is recorded in ``extra["full_text_error"]``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from digests.models import Article

from .dates import DateError, parse_date
from .fetch import FetchError
from .ids import is_http_url
from .web import PAGE_ACCEPT, WebClient

log = logging.getLogger(__name__)

SHORT_TEXT_CHARS = 600  # a feed item shorter than this is a teaser, not the article
MIN_MAIN_CHARS = 200  # less sentence-like text than this on a page: no main text
CACHE_SIZE = 1024  # extracted pages kept in memory, by URL


@dataclass(frozen=True, slots=True)
class PageText:
    """What an article page says, as extracted."""

    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None


def needs_full_text(article: Article) -> bool:
    """A short item that links to a web page."""
    return bool(article.url and is_http_url(article.url)) and len(article.text) < SHORT_TEXT_CHARS


def extract_page(html: bytes | str, url: str | None = None) -> PageText | None:
    """The page's main text and metadata; None when it has no article text (a gallery,
    a login wall, a page of links). CPU work: call it in a thread."""
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
        )
    except Exception as exc:  # an extractor bug must cost one item its full text, no more
        log.debug("extraction failed for %s: %s", url, exc)
        return None
    if doc is None or not doc.text:
        return None
    title = (doc.title or "").strip() or None
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]  # the headline repeated as the first line
    prose = sum(len(ln) for ln in lines if len(ln.split()) >= 8)
    if prose < MIN_MAIN_CHARS:
        return None
    published = None
    if doc.date:
        try:
            published = parse_date(str(doc.date))
        except DateError:
            published = None
    return PageText("\n\n".join(lines), title, (doc.author or "").strip() or None, published)


def with_page(article: Article, page: PageText) -> Article:
    """The item with the page's text (when longer than the feed's), and the page's author
    and date where the feed had none. The feed's title is kept: it is what people saw."""
    text = page.text if len(page.text) > len(article.text) else article.text
    return replace(
        article,
        text=text,
        author=article.author or page.author,
        published=article.published or page.published,
        extra={**article.extra, "full_text": "page"},
    )


def kept_feed_text(article: Article, reason: str) -> Article:
    return replace(article, extra={**article.extra, "full_text_error": reason})


class FullText:
    """Enriches feed items with their pages, caching extracted pages by URL (LRU)."""

    def __init__(self, web: WebClient, *, cache_size: int = CACHE_SIZE) -> None:
        self.web = web
        self.cache: OrderedDict[str, PageText | str] = OrderedDict()  # str: why it failed
        self.cache_size = cache_size
        self.fetched = 0
        self.cache_hits = 0

    async def page(self, url: str) -> PageText | str:
        """The extracted page, or the reason there is none."""
        cached = self.cache.get(url)
        if cached is not None:
            self.cache.move_to_end(url)
            self.cache_hits += 1
            return cached
        result: PageText | str
        try:
            res = await self.web.get(url, accept=PAGE_ACCEPT, check_robots=True)
            self.fetched += 1
            ctype = res.content_type.lower()
            if ctype and "html" not in ctype:
                result = f"{url}: not a web page ({ctype.split(';')[0]})"
            else:
                page = await asyncio.to_thread(extract_page, res.data or b"", res.final_url)
                result = page or f"{url}: no article text found on the page"
        except FetchError as exc:
            result = str(exc)
        self.cache[url] = result
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return result

    async def enrich(self, article: Article) -> Article:
        """``article`` with its page's full text, or unchanged (with the reason) when the
        page cannot be had. Items that are not teasers are returned as they are."""
        if not needs_full_text(article):
            return article
        page = await self.page(article.url or "")
        if isinstance(page, str):
            return kept_feed_text(article, page)
        return with_page(article, page)
