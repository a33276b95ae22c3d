"""RSS 2.0 / Atom bytes → Articles, with entry HTML cleaned like any article body.

feedparser is given the raw bytes (never a URL) so that it never touches the
network and so that it can honour the XML encoding declaration itself.
"""

from __future__ import annotations

import calendar
import warnings
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser

from digests.clean import clean_markdown, clean_title
from digests.models import Article, IngestError

from .dates import DateError, parse_date
from .ids import article_id, canonical_url, is_http_url, outlet
from .result import IngestResult

MAX_FEED_BYTES = 10 * 1024 * 1024


def parse_feed(data: bytes, source: str) -> IngestResult:
    """Parse one feed; ``source`` (its URL or path) names it in errors. Never raises."""
    result = IngestResult()
    if len(data) > MAX_FEED_BYTES:
        result.errors.append(
            IngestError(source, f"feed too large (> {MAX_FEED_BYTES // 1048576} MB)")
        )
        return result
    if not data.strip():
        result.errors.append(IngestError(source, "empty feed; check the URL or file"))
        return result
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is robust, but a parser bug must not stop the run
        result.errors.append(IngestError(source, f"not a readable RSS/Atom feed: {exc}"))
        return result
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception") or "malformed XML"
            result.errors.append(IngestError(source, f"not a valid RSS/Atom feed: {reason}"))
        elif not parsed.get("version"):
            result.errors.append(
                IngestError(source, "not an RSS/Atom feed (no <rss> or <feed> element)")
            )
        return result
    feed = parsed.get("feed") or {}
    feed_link = feed.get("link") if isinstance(feed.get("link"), str) else None
    feed_date = _entry_date(feed)
    for index, entry in enumerate(entries, start=1):
        where = f"{source}#entry{index}"
        try:
            article = _entry_article(entry, source, feed_link, feed_date)
        except _EntryError as exc:
            result.errors.append(IngestError(where, str(exc)))
            continue
        result.articles.append(article)
    return result


class _EntryError(ValueError):
    pass


def _entry_article(
    entry: Mapping[str, Any], source: str, feed_link: str | None, feed_date: datetime | None
) -> Article:
    title = clean_title(str(entry.get("title") or ""))
    if not title:
        raise _EntryError("entry has no title")
    link = entry.get("link") if isinstance(entry.get("link"), str) else None
    guid = entry.get("id") if isinstance(entry.get("id"), str) else None
    if not link and guid and is_http_url(guid):
        link = guid
    url = canonical_url(link) if link and is_http_url(link) else None
    body = _entry_body(entry)
    text = clean_markdown(body, title=title)  # HTML bodies go to clean_html inside
    if not text and body:
        text = clean_title(body)  # a one-line teaser is still the entry's text
    if not text:
        raise _EntryError(f"entry {title!r} has no text (no content or summary)")
    published = _entry_date(entry) or feed_date
    if url:
        ident = article_id(url=url)
    else:
        ident = article_id(path=f"{source}#{guid or title}")
    return Article(
        id=ident,
        title=title,
        text=text,
        url=url,
        source=outlet(url) or outlet(feed_link) or outlet(source),
        author=clean_title(str(entry.get("author") or "")) or None,
        published=published,
        tags=_entry_tags(entry),
        category=None,
        image=_entry_image(entry),
        path=source,
        extra={"feed": source, **({"guid": guid} if guid else {})},
    )


def _entry_body(entry: Mapping[str, Any]) -> str:
    """The fullest text the entry has: content:encoded/Atom content, else the summary."""
    best = ""
    for content in entry.get("content") or []:
        value = content.get("value") if isinstance(content, Mapping) else None
        if isinstance(value, str) and len(value) > len(best):
            best = value
    summary = entry.get("summary")
    if isinstance(summary, str) and len(summary) > len(best):
        best = summary
    return best


def _entry_date(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    for key in ("published", "updated", "created"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            try:
                return parse_date(value)
            except DateError:
                continue
    return None


def _entry_tags(entry: Mapping[str, Any]) -> tuple[str, ...]:
    tags = []
    for tag in entry.get("tags") or []:
        term = tag.get("term") or tag.get("label") if isinstance(tag, Mapping) else None
        if isinstance(term, str) and clean_title(term):
            tags.append(clean_title(term))
    return tuple(dict.fromkeys(tags))


def _entry_image(entry: Mapping[str, Any]) -> str | None:
    for key in ("media_content", "media_thumbnail"):
        for media in entry.get(key) or []:
            url = media.get("url") if isinstance(media, Mapping) else None
            if isinstance(url, str) and is_http_url(url):
                return url
    for link in entry.get("links") or []:
        if not isinstance(link, Mapping):
            continue
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            href = link.get("href")
            if isinstance(href, str) and is_http_url(href):
                return href
    return None
