"""Console adapter configuration (the bot fills it from settings and CLI options)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    """Who you are in the terminal chat and where it reads and writes.

    ``input``/``output`` default to stdin/stdout; ``is_admin`` is True because whoever
    runs the terminal owns it. ``width`` fixes line wrapping (120 when not a TTY, so
    scripted output is stable).

    For the line editor of an interactive terminal: ``usages`` maps each ``/news``
    subcommand to its usage line (what Tab completes after it), ``topics`` returns the
    topics known now, ``history`` is the file keeping typed lines across sessions
    (``None``: this session only).
    """

    channel: str = "general"
    user: str = "you"
    workspace: str = "local"
    is_admin: bool = True
    input: TextIO | None = None
    output: TextIO | None = None
    width: int | None = None
    usages: Mapping[str, str] = field(default_factory=dict)
    topics: Callable[[], Iterable[str]] | None = None
    history: Path | None = None
