"""Console adapter configuration (the bot fills it from settings and CLI options)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    """Who you are in the terminal chat and where it reads and writes.

    ``input``/``output`` default to stdin/stdout; ``is_admin`` is True because whoever
    runs the terminal owns it. ``width`` fixes line wrapping (120 when not a TTY, so
    scripted output is stable).
    """

    channel: str = "general"
    user: str = "you"
    workspace: str = "local"
    is_admin: bool = True
    input: TextIO | None = None
    output: TextIO | None = None
    width: int | None = None
