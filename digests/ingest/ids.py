"""Stable article ids and outlet names from URLs.

An id must survive re-ingesting the same article from a feed link with
``?src=rss`` or ``utm_*`` attached, so it hashes the canonical URL; without a
URL it hashes the resolved file path.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_KEYS = frozenset(
    {
        "src",
        "ref",
        "ref_src",
        "ref_url",
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "cmpid",
        "ncid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
        "_ga",
        "igshid",
        "yclid",
        "soc_src",
        "soc_trk",
        "sr_share",
        "taid",
        "s_cid",
        "mbid",
        "smid",
    }
)


def canonical_url(url: str) -> str:
    """The URL people should open: tracking parameters and fragment removed."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(("utm_", "at_", "pk_")) and k.lower() not in _TRACKING_KEYS
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def url_key(url: str) -> str:
    """Identity of a URL for ids: canonical, without scheme, ``www.`` or trailing slash."""
    canon = canonical_url(url)
    parts = urlsplit(canon)
    host = parts.netloc.removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def article_id(*, url: str | None = None, path: str | None = None) -> str:
    """16 hex chars; from the canonical URL when there is one, else the file path."""
    if url and is_http_url(url):
        basis = "url:" + url_key(url)
    elif path:
        basis = "path:" + path
    elif url:
        basis = "url:" + url
    else:
        raise ValueError("article_id needs a url or a path")
    return hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def outlet(url: str | None) -> str | None:
    """Outlet name shown to people: the host without ``www.`` (``techcrunch.com``)."""
    if not url or not is_http_url(url):
        return None
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def is_http_url(text: str) -> bool:
    return text[:8].lower().startswith(("http://", "https://"))
