"""One file → one Article: Markdown with YAML front matter, or plain text.

Front matter is split off with one regex and read by :mod:`.fastyaml` (the
flat subset real front matter uses, ~4x faster) or, for anything else, by
libyaml (``yaml.CSafeLoader``, the loader python-frontmatter itself uses).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import yaml

from digests.clean import clean_markdown, clean_plain, clean_title
from digests.models import Article

from . import fields
from .decode import MAX_BYTES, decode_bytes
from .fastyaml import load_simple
from .ids import article_id
from .result import IngestFailure

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_FEED_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)
_MD_TITLE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MAX_TITLE = 300
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})


def parse_file(path: str | os.PathLike[str]) -> Article:
    """Read one article file; raise :class:`IngestFailure` with the reason when it is unusable."""
    resolved = os.path.realpath(os.fspath(path))
    if os.path.isdir(resolved):
        raise IngestFailure("is a folder; pass it to load_paths to read the files inside")
    return parse_resolved(resolved, os.path.splitext(resolved)[1].lower())


def parse_resolved(path: str, suffix: str) -> Article:
    """:func:`parse_file` for a path that is already absolute (folder walks resolve once)."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > MAX_BYTES:
                raise IngestFailure(
                    f"file too large ({st.st_size / 1048576:.1f} MB > {MAX_BYTES / 1048576:.0f} MB "
                    "limit); split it or remove embedded media"
                )
            data = fh.read()
    except IsADirectoryError:
        raise IngestFailure("is a folder; pass it to load_paths to read the files inside") from None
    except OSError as exc:
        raise IngestFailure(f"cannot read file: {exc.strerror or exc}") from None
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
    meta = load_simple(block)
    if meta is None:
        meta = _load_yaml(block)
    elif not meta:
        raise IngestFailure("empty front matter; add at least title: and date:")
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


def _load_yaml(block: str) -> Mapping[str, Any]:
    try:
        meta = yaml.load(block, Loader=_Loader)
    except yaml.YAMLError as exc:
        # Where the broken construct began (context) is where people should look first.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IngestFailure(
            f"invalid YAML front matter{where}: {problem}; quote values containing ':' or '#'"
        ) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise IngestFailure(f"invalid YAML front matter: {exc}") from None
    if meta is None:
        raise IngestFailure("empty front matter; add at least title: and date:")
    if not isinstance(meta, Mapping):
        raise IngestFailure("front matter is not a list of 'field: value' lines")
    return meta


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
