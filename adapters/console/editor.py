"""The interactive console's line editor: prompt_toolkit with history and completion.

prompt_toolkit rather than the standard ``readline``: ``readline.input()`` blocks a
thread and knows nothing of the event loop, so a story posted while someone is typing
would be printed into the middle of their line. ``PromptSession.prompt_async`` runs on
the loop and ``patch_stdout`` prints everything else *above* the prompt, then redraws
what was being typed. It also works the same on every platform (no libedit quirks).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.formatted_text import AnyFormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory

from .completion import NewsCompleter, TopicsProvider

log = logging.getLogger(__name__)


def open_history(path: Path | None) -> History:
    """History kept in ``path`` across sessions (its folder is created); in memory only
    when no path is given or the file cannot be written, so the console still starts."""
    if path is None:
        return InMemoryHistory()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
    except OSError as exc:
        log.warning("console: history not kept: cannot write %s (%s)", path, exc.strerror)
        return InMemoryHistory()
    return FileHistory(str(path))


class LineEditor:
    """Reads one line at a time with ↑/↓ history, Tab completion and Ctrl-R search."""

    def __init__(
        self,
        *,
        usages: Mapping[str, str],
        topics: TopicsProvider | None = None,
        history: Path | None = None,
        **session_options: Any,
    ) -> None:
        """``session_options`` go to ``PromptSession`` (tests pass ``input``/``output``)."""
        self.completer = NewsCompleter(usages, topics)
        self.session: PromptSession[str] = PromptSession(
            history=open_history(history),
            completer=self.completer,
            complete_while_typing=False,  # Tab asks; typing stays quiet
            enable_history_search=False,
            **session_options,
        )

    async def read(self, prompt: AnyFormattedText) -> str | None:
        """The next line; ``None`` at end of input (Ctrl-D). Ctrl-C drops the line typed."""
        while True:
            try:
                return await self.session.prompt_async(prompt)
            except KeyboardInterrupt:
                continue
            except EOFError:
                return None
