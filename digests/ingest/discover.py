"""A web page given where a feed was expected: find the feeds it advertises.

People paste a site's address, not its feed's. Sites name their feeds in the page
head (``<link rel="alternate" type="application/rss+xml" href="…">``), which is
what browsers and feed readers use too.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser as HTMLParser

FEED_TYPES = {
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
    "application/rdf+xml": "RDF",
    "application/feed+json": "JSON Feed",
}


@dataclass(frozen=True, slots=True)
class FeedLink:
    url: str
    title: str
    kind: str  # RSS | Atom | RDF | JSON Feed


def looks_like_html(data: bytes, content_type: str = "") -> bool:
    """A web page rather than XML: by its Content-Type, else by how it starts."""
    ctype = content_type.lower()
    if "html" in ctype:
        return True
    if "xml" in ctype:
        return False
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


def feed_links(html: bytes | str, base_url: str) -> list[FeedLink]:
    """The feeds a page advertises, absolute URLs, in page order, without repeats."""
    tree = HTMLParser(html if isinstance(html, str) else html.decode("utf-8", "replace"))
    found: dict[str, FeedLink] = {}
    for node in tree.css("link[rel][href]"):
        rel = (node.attributes.get("rel") or "").lower().split()
        kind = FEED_TYPES.get((node.attributes.get("type") or "").lower().split(";")[0].strip())
        href = (node.attributes.get("href") or "").strip()
        if "alternate" not in rel or kind is None or not href:
            continue
        url = urljoin(base_url, href)
        if url.startswith(("http://", "https://")) and url not in found:
            found[url] = FeedLink(url, (node.attributes.get("title") or "").strip(), kind)
    return list(found.values())
