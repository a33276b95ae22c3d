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
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """Slack's three control characters as entities (Slack decodes them for display)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    if limit <= 1:
        return ELLIPSIS[:limit]
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary that keeps most of the text
        cut = cut[:space]
    return cut.rstrip(" \n,;:.-–—") + ELLIPSIS


def fit(text: str, limit: int) -> str:
    """Escape ``text`` and shorten it so the *escaped* form fits ``limit``.

    Shortening happens on the raw text so an entity such as ``&amp;`` is never cut
    in half.
    """
    budget = limit
    while True:
        out = escape(shorten(text, budget))
        if len(out) <= limit:
            return out
        budget -= max(1, len(out) - limit)


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
