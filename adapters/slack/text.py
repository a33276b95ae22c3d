"""Making untrusted text safe and short enough for Slack.

Everything an article (or a user) wrote goes through :func:`fit` before it
reaches a message: ``&``, ``<`` and ``>`` are escaped so no article can produce
``<!channel>``, ``<@U…>`` or a link of its own, and the result is cut at a word
boundary so Slack never rejects a block for being too long.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

ELLIPSIS = "…"
_WIDTH = {"&": 5, "<": 4, ">": 4}  # length of each character once escaped
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Slack's three control characters as entities (Slack decodes them for display)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(prefix: str) -> str:
    """Drop a trailing partial word (when a word boundary keeps most of the text)."""
    space = max(prefix.rfind(" "), prefix.rfind("\n"))
    if space > len(prefix) // 2:
        prefix = prefix[:space]
    return prefix.rstrip(" \n,;:.-–—")


def fit(text: str, limit: int) -> str:
    """Escape ``text`` and shorten it so the *escaped* form fits ``limit``.

    Shortening happens on the raw text so an entity such as ``&amp;`` is never cut
    in half: we find the longest raw prefix whose escaped form leaves room for the
    ellipsis, then cut that at a word boundary.
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    room, used, end = limit - len(ELLIPSIS), 0, 0
    for ch in text:
        width = _WIDTH.get(ch, 1)
        if used + width > room:
            break
        used += width
        end += 1
    return escape(_cut(text[:end])) + ELLIPSIS


def one_line(text: str) -> str:
    """Collapse whitespace so a title or name cannot start a quote block or list."""
    return _SPACE.sub(" ", text).strip()


def safe_url(url: str | None, *, limit: int = 2000) -> str | None:
    """An http(s) URL that cannot break out of ``<url|label>``, or None when unusable."""
    if not url:
        return None
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    cleaned = quote(url, safe="/:?#[]@!$&'()*+,;=%~-._")  # encodes | < > space and quotes
    cleaned = cleaned.replace("&", "&amp;")
    return cleaned if len(cleaned) <= limit else None


def link(url: str | None, label: str, *, limit: int) -> str:
    """``<url|label>`` with the label escaped; just the label when the URL is unusable."""
    target = safe_url(url)
    if target is None:
        return fit(label, limit)
    room = limit - len(target) - 3
    if room < 8:
        return fit(label, limit)
    return f"<{target}|{fit(label, room)}>"
