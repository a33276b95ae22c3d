"""OPML subscription lists in and out: what every feed reader imports and exports.

Reading uses listparser (by feedparser's maintainer; it copes with the OPML that
real readers write — nested folders, missing version, odd encodings — and never
fetches anything it is given as bytes). Writing is plain ElementTree: OPML 2.0
is a handful of attributes, and ElementTree escapes them correctly.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

MAX_OPML_BYTES = 5 * 1024 * 1024


class OPMLError(ValueError):
    """The file is not a usable OPML list; the message says why."""


@dataclass(frozen=True, slots=True)
class Outline:
    """One subscription: its feed URL, title, and the folders it was filed under."""

    url: str
    title: str = ""
    categories: tuple[str, ...] = ()


def parse_opml(data: bytes, source: str = "OPML file") -> list[Outline]:
    """Subscriptions in ``data``; raises :class:`OPMLError` when there are none to read."""
    import listparser

    if len(data) > MAX_OPML_BYTES:
        raise OPMLError(f"{source} is larger than {MAX_OPML_BYTES // 1048576} MB")
    result = listparser.parse(data)
    feeds = list(result.get("feeds") or [])
    if not feeds:
        reason = result.get("bozo_exception") if result.get("bozo") else None
        detail = f" ({reason})" if reason else ""
        raise OPMLError(f"{source} lists no feeds (no <outline xmlUrl=…>){detail}")
    out: dict[str, Outline] = {}
    for feed in feeds:
        url = str(feed.get("url") or "").strip()
        if not url or url in out:
            continue
        cats = tuple(
            "/".join(c for c in path if c) for path in feed.get("categories") or [] if path
        )
        out[url] = Outline(url, str(feed.get("title") or "").strip(), cats)
    return list(out.values())


def write_opml(
    groups: dict[str, list[Outline]], *, title: str = "newsbot feeds", now: datetime | None = None
) -> bytes:
    """OPML 2.0 with one folder per group (e.g. per channel); '' is the top level."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for group, outlines in groups.items():
        parent = body if not group else ET.SubElement(body, "outline", text=group, title=group)
        for o in outlines:
            ET.SubElement(
                parent,
                "outline",
                type="rss",
                text=o.title or o.url,
                title=o.title or o.url,
                xmlUrl=o.url,
            )
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + xml + b"\n"
