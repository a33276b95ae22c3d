"""Front-matter fields → Article fields (the mapping every Markdown article goes through)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from digests.clean import clean_title

from .dates import DateError, parse_date
from .ids import canonical_url, is_http_url, outlet
from .result import IngestFailure

KNOWN = frozenset(
    {"title", "date", "excerpt", "author", "tags", "category", "source", "coverImage", "readTime"}
)
_URL_KEYS = ("url", "link", "canonical", "canonical_url", "permalink")
_IMAGE_KEYS = ("image", "cover_image", "cover", "thumbnail")


def title_of(meta: Mapping[str, Any]) -> str:
    raw = meta.get("title")
    if raw is None or isinstance(raw, Mapping | list):
        raise IngestFailure("missing 'title' in front matter; add a line like  title: My headline")
    title = clean_title(str(raw))
    if not title:
        raise IngestFailure("empty 'title' in front matter; give the article a headline")
    return title


def published_of(meta: Mapping[str, Any]) -> Any:
    if "date" not in meta or meta["date"] in (None, ""):
        raise IngestFailure("missing 'date' in front matter; add a line like  date: 2025-10-21")
    try:
        return parse_date(meta["date"])
    except DateError as exc:
        raise IngestFailure(f"front matter 'date': {exc}") from None


def url_and_outlet(meta: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``source`` is usually the article URL; a bare name ("TechCrunch") is the outlet."""
    candidates = [meta.get("source"), *(meta.get(k) for k in _URL_KEYS)]
    for value in candidates:
        if isinstance(value, str) and is_http_url(value.strip()):
            url = canonical_url(value)
            return url, outlet(url)
    source = meta.get("source")
    if isinstance(source, str) and source.strip():
        return None, clean_title(source)
    return None, None


def author_of(meta: Mapping[str, Any]) -> str | None:
    value = meta.get("author")
    if isinstance(value, Mapping):
        value = value.get("name")
    if isinstance(value, list):
        value = ", ".join(str(v.get("name", "") if isinstance(v, Mapping) else v) for v in value)
    text = clean_title(str(value)) if value not in (None, "") else ""
    return text or None


def tags_of(meta: Mapping[str, Any]) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        return ()
    items = (
        value.split(",")
        if isinstance(value, str)
        else value
        if isinstance(value, list)
        else [value]
    )
    tags = (
        clean_title(str(t)) for t in items if t is not None and not isinstance(t, Mapping | list)
    )
    return tuple(dict.fromkeys(t for t in tags if t))


def category_of(meta: Mapping[str, Any]) -> str | None:
    value = meta.get("category")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or isinstance(value, Mapping):
        return None
    return clean_title(str(value)) or None


def image_of(meta: Mapping[str, Any]) -> str | None:
    for key in ("coverImage", *_IMAGE_KEYS):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def extra_of(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Unknown fields as given; the excerpt decoded (kept for display, never a summary)."""
    extra = {str(k): v for k, v in meta.items() if k not in KNOWN}
    excerpt = meta.get("excerpt")
    if excerpt not in (None, ""):
        extra["excerpt"] = clean_title(str(excerpt))
    if meta.get("readTime") not in (None, ""):
        extra["readTime"] = meta["readTime"]
    return extra
