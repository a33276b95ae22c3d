"""Ingest: files, folders, globs and RSS/Atom feeds → clean :class:`~digests.models.Article`s.

Bad sources never stop a run: each becomes an ``IngestError(path, reason)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .files import parse_bytes, parse_file
from .result import IngestFailure, IngestResult
from .sources import Parsed, dedupe, expand, load_paths, load_sources, parse_each

if TYPE_CHECKING:
    from .feeds import parse_feed
    from .fetch import USER_AGENT, FetchError, FetchResult, fetch_feed

# Feeds need feedparser and aiohttp (aiohttp alone takes ~0.3 s to import, building its TLS
# context): loaded on first use, so reading a folder of files never pays for them.
_LAZY = {
    "parse_feed": "feeds",
    "USER_AGENT": "fetch",
    "FetchError": "fetch",
    "FetchResult": "fetch",
    "fetch_feed": "fetch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "USER_AGENT",
    "FetchError",
    "FetchResult",
    "IngestFailure",
    "IngestResult",
    "Parsed",
    "dedupe",
    "expand",
    "fetch_feed",
    "load_paths",
    "load_sources",
    "parse_bytes",
    "parse_each",
    "parse_feed",
    "parse_file",
]
