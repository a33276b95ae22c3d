"""Ingest: files, folders, globs and RSS/Atom feeds → clean :class:`~digests.models.Article`s.

Bad sources never stop a run: each becomes an ``IngestError(path, reason)``.
"""

from __future__ import annotations

from .feeds import parse_feed
from .fetch import USER_AGENT, FetchError, FetchResult, fetch_feed
from .files import parse_bytes, parse_file
from .result import IngestFailure, IngestResult
from .sources import Parsed, dedupe, expand, load_paths, load_sources, parse_each

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
