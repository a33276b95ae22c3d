"""One file → one Article: Markdown with YAML front matter, or plain text.

Front matter is split off with one regex and read by :mod:`.fastyaml` (the
flat subset real front matter uses, ~4x faster) or, for anything else, by
:mod:`.yamlsafe` (libyaml with alias, size and depth limits). Both count values
the same way and refuse a block beyond the limits with a per-file error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from digests.clean import clean_markdown, clean_plain, clean_title
from digests.models import Article

from . import fields
from .decode import decode_bytes
from .fastyaml import load_simple
from .ids import article_id
from .result import IngestFailure
from .safefs import read_regular, regular
from .yamlsafe import MAX_BLOCK, YamlLimitError, load_yaml

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
_MD_TITLE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MAX_TITLE = 300
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})


def parse_file(path: str | os.PathLike[str]) -> Article:
    """Read one article file; raise :class:`IngestFailure` with the reason when it is unusable.

    Only a regular file is opened (a FIFO, device, socket or symlink loop is refused
    without opening it, see :mod:`.safefs`); a symlink to a regular file is followed.
    """
    given = os.path.abspath(os.fspath(path))
    real = os.path.realpath(regular(given)[0])  # ids hash the real path, as folder walks do
    return parse_resolved(real, os.path.splitext(real)[1].lower())


def parse_resolved(path: str, suffix: str) -> Article:
    """:func:`parse_file` for a path already checked to be a regular file (folder walks
    check each entry once). Still opened without following links or blocking."""
    data, st = read_regular(path)
    return parse_bytes(data, path, mtime=st.st_mtime, suffix=suffix)


def parse_bytes(
    data: bytes, path: str, *, mtime: float | None = None, suffix: str | None = None
) -> Article:
    """Bytes of one article file → Article. Never raises anything but IngestFailure."""
    text, encoding = decode_bytes(data)
    if suffix is None:
        suffix = os.path.splitext(path)[1].lower()
    if text.startswith("---"):
        article = _front_matter_article(text, path, suffix)
    elif _FEED_START.match(text, 0) is not None and text.lstrip()[:1] == "<":
        raise IngestFailure("this is an RSS/Atom feed, not an article; load it as a source")
    else:
        article = _plain_article(text, path, suffix, mtime)
    if encoding != "utf-8":
        article.extra["encoding"] = encoding  # type: ignore[index]
    return article


def looks_like_feed(head: bytes) -> bool:
    """Cheap sniff on a file's first bytes, so folders may mix articles and feed dumps."""
    try:
        text = head.decode("utf-8-sig", errors="replace")
    except LookupError:  # pragma: no cover
        return False
    return _FEED_START.match(text) is not None


def _front_matter_article(text: str, path: str, suffix: str) -> Article:
    first_nl = text.find("\n")
    if first_nl == -1 or text[:first_nl].strip() != "---":
        raise IngestFailure("front matter must start with a line '---' on its own")
    end = _FRONT_END.search(text, first_nl + 1)
    if end is None:
        raise IngestFailure("front matter is not closed; add a line '---' after the YAML fields")
    block = text[first_nl + 1 : end.start()]
    if len(block) > MAX_BLOCK:
        raise IngestFailure(
            f"front matter is {len(block) // 1024} KB (limit {MAX_BLOCK // 1024} KB); "
            "keep only the fields in it and move long text into the article body"
        )
    try:
        simple = load_simple(block)  # None: not the simple subset, so real YAML reads it
    except YamlLimitError as exc:
        raise IngestFailure(str(exc)) from None
    if simple is not None and not simple:
        raise IngestFailure("empty front matter; add at least title: and date:")
    meta: Mapping[str, Any] = simple if simple is not None else load_yaml(block)
    body = text[end.end() :]
    title = fields.title_of(meta)
    published = fields.published_of(meta)
    url, source = fields.url_and_outlet(meta)
    body_text = clean_markdown(body, title=title)  # front matter means Markdown, any suffix
    if not body_text:
        raise IngestFailure("no article text after the front matter (or only markup and site junk)")
    return Article(
        id=article_id(url=url, path=path),
        title=title,
        text=body_text,
        url=url,
        source=source,
        author=fields.author_of(meta),
        published=published,
        tags=fields.tags_of(meta),
        category=fields.category_of(meta),
        image=fields.image_of(meta),
        path=path,
        extra=fields.extra_of(meta),
    )


def _plain_article(text: str, path: str, suffix: str, mtime: float | None) -> Article:
    """Plain text: the first non-empty line is the title, the rest the body."""
    stripped = text.lstrip()
    nl = stripped.find("\n")
    first, body = (stripped, "") if nl == -1 else (stripped[:nl], stripped[nl + 1 :])
    title = clean_title(_MD_TITLE.sub("", first))
    if not title:
        raise IngestFailure("missing title: the first non-empty line should be the headline")
    if len(title) > _MAX_TITLE:
        raise IngestFailure(
            f"first line is {len(title)} characters, too long for a title; "
            "put the headline on its own first line"
        )
    clean = clean_markdown if suffix in MARKDOWN_SUFFIXES else clean_plain
    body_text = clean(body, title=title)
    if not body_text:
        raise IngestFailure("no article text after the title line")
    published = datetime.fromtimestamp(mtime, tz=UTC) if mtime is not None else None
    return Article(
        id=article_id(path=path),
        title=title,
        text=body_text,
        published=published,
        path=path,
        extra={"date_from": "mtime"} if published is not None else {},
    )
