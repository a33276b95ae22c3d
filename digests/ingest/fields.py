"""Front-matter fields → Article fields (the mapping every Markdown article goes through).

Every known field is type-checked: a value of the wrong shape (a list as the
title, a mapping as a tag) is a per-file error naming the field, not a value
quietly turned into text. Unknown fields are kept in ``Article.extra`` but only
as bounded, JSON-safe data (see :func:`extra_of`): they are stored and shown, so
they must never be able to grow without limit or carry control characters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
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

MAX_TITLE = 300  # characters, after cleaning
MAX_NAME = 300  # author, category, source
MAX_TAGS = 100
MAX_TAG = 100
MAX_EXCERPT = 5000
# unknown fields, all together
MAX_EXTRA_VALUES = 1000
MAX_EXTRA_DEPTH = 4
MAX_EXTRA_STRING = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

_Text = str | int | float  # what may stand for text: YAML reads `title: 1984` as a number


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, datetime | date):
        return "a date"
    if value is None:
        return "empty"
    return type(value).__name__


def _is_text(value: object) -> bool:
    return isinstance(value, _Text) and not isinstance(value, bool)


def _text(value: object, field: str, limit: int) -> str:
    if not _is_text(value):
        raise IngestFailure(f"front matter '{field}' must be text, not {_kind(value)}")
    text = clean_title(str(value))
    if len(text) > limit:
        raise IngestFailure(
            f"front matter '{field}' is {len(text)} characters (limit {limit}); shorten it"
        )
    return text


def title_of(meta: Mapping[str, Any]) -> str:
    raw = meta.get("title")
    if raw is None:
        raise IngestFailure("missing 'title' in front matter; add a line like  title: My headline")
    title = _text(raw, "title", MAX_TITLE)
    if not title:
        raise IngestFailure("empty 'title' in front matter; give the article a headline")
    return title


def published_of(meta: Mapping[str, Any]) -> Any:
    """The publication date; the field is required, so an unreadable or impossible one
    refuses the file (a guessed date would put the story in the wrong digest)."""
    if "date" not in meta or meta["date"] in (None, ""):
        raise IngestFailure("missing 'date' in front matter; add a line like  date: 2025-10-21")
    try:
        return parse_date(meta["date"])
    except DateError as exc:
        raise IngestFailure(f"front matter 'date': {exc}") from None


def url_and_outlet(meta: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """``source`` is usually the article URL; a bare name ("TechCrunch") is the outlet."""
    for key in ("source", *_URL_KEYS):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestFailure(f"front matter '{key}' must be a URL or a name, not {_kind(value)}")
    candidates = [meta.get("source"), *(meta.get(k) for k in _URL_KEYS)]
    for value in candidates:
        if isinstance(value, str) and is_http_url(value.strip()):
            if len(value) > 4096:
                raise IngestFailure("front matter URL is longer than 4096 characters; shorten it")
            url = canonical_url(value)
            return url, outlet(url)
    source = meta.get("source")
    if isinstance(source, str) and source.strip():
        return None, _text(source, "source", MAX_NAME) or None
    return None, None


def author_of(meta: Mapping[str, Any]) -> str | None:
    value = meta.get("author")
    if value in (None, ""):
        return None
    names = value if isinstance(value, list) else [value]
    if len(names) > MAX_TAGS:
        raise IngestFailure(f"front matter 'author' lists more than {MAX_TAGS} names")
    parts: list[str] = []
    for item in names:
        if isinstance(item, Mapping):
            item = item.get("name")
        if item in (None, ""):
            continue
        if not _is_text(item):
            raise IngestFailure(
                "front matter 'author' must be a name, a list of names or {name: …}, "
                f"not {_kind(item)}"
            )
        parts.append(str(item))
    text = _text(", ".join(parts), "author", MAX_NAME) if parts else ""
    return text or None


def tags_of(meta: Mapping[str, Any]) -> tuple[str, ...]:
    value = meta.get("tags")
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    elif _is_text(value):
        items = [value]
    else:
        raise IngestFailure(f"front matter 'tags' must be a list of words, not {_kind(value)}")
    if len(items) > MAX_TAGS:
        raise IngestFailure(f"front matter 'tags' has {len(items)} items (limit {MAX_TAGS})")
    tags: list[str] = []
    for n, item in enumerate(items, 1):
        if item is None:
            continue
        if not (_is_text(item) or isinstance(item, bool)):
            raise IngestFailure(f"front matter 'tags' item {n} must be a word, not {_kind(item)}")
        tag = _text(str(item), "tags", MAX_TAG)
        if tag:
            tags.append(tag)
    return tuple(dict.fromkeys(tags))


def category_of(meta: Mapping[str, Any]) -> str | None:
    value = meta.get("category")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    return _text(value, "category", MAX_NAME) or None


def image_of(meta: Mapping[str, Any]) -> str | None:
    for key in ("coverImage", *_IMAGE_KEYS):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise IngestFailure(f"front matter '{key}' must be a URL, not {_kind(value)}")
        if isinstance(value, str) and value.strip():
            if len(value) > 4096:
                raise IngestFailure(f"front matter '{key}' is longer than 4096 characters")
            return value.strip()
    return None


def extra_of(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Unknown fields (bounded, see :func:`bounded`); the excerpt decoded (kept for
    display, never a summary)."""
    budget = [MAX_EXTRA_VALUES]
    extra = {
        str(k): bounded(v, str(k), budget, 0)
        for k, v in meta.items()
        if k not in KNOWN and k not in _URL_KEYS and k not in _IMAGE_KEYS
    }
    for k in (*_URL_KEYS, *_IMAGE_KEYS):  # read above; kept as the plain strings they are
        if isinstance(meta.get(k), str):
            extra[k] = _CONTROL.sub("", meta[k])
    excerpt = meta.get("excerpt")
    if excerpt not in (None, ""):
        extra["excerpt"] = _text(excerpt, "excerpt", MAX_EXCERPT)
    read_time = meta.get("readTime")
    if read_time not in (None, ""):
        if not _is_text(read_time):
            raise IngestFailure(f"front matter 'readTime' must be text, not {_kind(read_time)}")
        extra["readTime"] = bounded(read_time, "readTime", budget, 0)
    return extra


def bounded(value: Any, field: str, budget: list[int], depth: int) -> Any:
    """``value`` as JSON-safe data within the limits, or IngestFailure naming ``field``.

    Strings lose control characters and are capped in length; dates become ISO text;
    NaN/inf become None; anything else (sets, binary) is refused.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise IngestFailure(
            f"front matter field '{field}': unknown fields hold more than {MAX_EXTRA_VALUES} "
            "values together; remove the ones you do not need"
        )
    if value is None or isinstance(value, bool | int):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
            return str(value)
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        if len(value) > MAX_EXTRA_STRING:
            raise IngestFailure(
                f"front matter field '{field}' is {len(value)} characters "
                f"(limit {MAX_EXTRA_STRING}); shorten it or move it into the body"
            )
        return _CONTROL.sub("", value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | Mapping):
        if depth >= MAX_EXTRA_DEPTH:
            raise IngestFailure(
                f"front matter field '{field}' is nested more than {MAX_EXTRA_DEPTH} levels deep; "
                "flatten it"
            )
        if isinstance(value, list):
            return [bounded(v, field, budget, depth + 1) for v in value]
        return {
            _CONTROL.sub("", str(k))[:200]: bounded(v, field, budget, depth + 1)
            for k, v in value.items()
        }
    raise IngestFailure(
        f"front matter field '{field}' has a value of type {type(value).__name__}, "
        "which cannot be stored; use text, numbers, lists or mappings"
    )
