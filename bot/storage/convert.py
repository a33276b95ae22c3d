"""Article ⇄ row conversion and the content hash that makes re-ingest cheap."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC
from typing import Any

import orjson

from digests.models import Article


def _extra_json(extra: Mapping[str, Any]) -> str:
    try:
        return orjson.dumps(dict(extra), default=str, option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        return "{}"


def article_values(article: Article) -> dict[str, Any]:
    """Column values for ``articles`` (without ``story_id``/``updated_at``)."""
    published = article.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    values: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "url": article.url,
        "source": article.source,
        "author": article.author,
        "published": published,
        "tags": "\n".join(article.tags),
        "category": article.category,
        "image": article.image,
        "path": article.path,
        "extra": _extra_json(article.extra),
    }
    values["content_hash"] = content_hash(values)
    return values


def content_hash(values: Mapping[str, Any]) -> str:
    """Hash of everything a reader could see, so unchanged articles are skipped."""
    keyed = {k: values[k] for k in sorted(values) if k not in ("content_hash", "path")}
    if keyed.get("published") is not None:
        keyed["published"] = keyed["published"].astimezone(UTC).isoformat()
    return hashlib.sha256(orjson.dumps(keyed, default=str)).hexdigest()


def row_to_article(row: Any) -> Article:
    """Rebuild the engine's frozen Article from a stored row."""
    try:
        extra = orjson.loads(row.extra or "{}")
    except orjson.JSONDecodeError:
        extra = {}
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        url=row.url,
        source=row.source,
        author=row.author,
        published=row.published,
        tags=tuple(t for t in (row.tags or "").split("\n") if t),
        category=row.category,
        image=row.image,
        path=row.path,
        extra=extra if isinstance(extra, dict) else {},
    )
