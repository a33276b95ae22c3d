"""Ingest: files, folders, globs and RSS/Atom feeds → clean :class:`~digests.models.Article`s.

Bad sources never stop a run: each becomes an ``IngestError(path, reason)``.
"""

from __future__ import annotations

from .files import parse_bytes, parse_file
from .result import IngestFailure, IngestResult

__all__ = ["IngestFailure", "IngestResult", "parse_bytes", "parse_file"]
