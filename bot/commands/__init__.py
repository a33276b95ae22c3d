"""The platform-neutral ``/news`` command handler every adapter calls.

Each subcommand lives in its own module in this package and registers itself
with :func:`bot.commands.registry.command`; modules are imported automatically,
so adding a subcommand is adding one file.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

from adapters.base import CommandRequest, Reply

from .context import CommandContext, Publisher
from .registry import (
    REGISTRY,
    Command,
    UsageError,
    command,
    fallback,
    fallback_command,
    usage_reply,
)

log = logging.getLogger(__name__)
_INFRA = {"context", "registry"}


def load_commands() -> dict[str, Command]:
    """Import every subcommand module (idempotent) and return the registry."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_") and info.name not in _INFRA:
            importlib.import_module(f"{__name__}.{info.name}")
    return REGISTRY


def split_args(text: str) -> list[str]:
    """Words of a command line; quotes group words (``cron "0 9 * * 1-5"``, ``'machine
    learning'``), while an apostrophe inside or at the end of a word is part of it
    (``women's-health``, ``Musk's``, ``'90s``): a single quote opens a phrase only at the
    start of a word and closes it only before a space or the end."""
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'")
    words: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] == "'":
            end = _closing_apostrophe(text, i + 1)
            if end is not None:
                words.append(text[i + 1 : end])
                i = end + 1
                continue
        word: list[str] = []
        while i < n and not text[i].isspace():
            if text[i] == '"':
                end = text.find('"', i + 1)
                if end < 0:
                    raise UsageError(
                        'unbalanced quotes: close each quoted phrase, e.g. "machine learning"'
                    )
                word.append(text[i + 1 : end])
                i = end + 1
            else:
                word.append(text[i])
                i += 1
        words.append("".join(word))
    return words


def _closing_apostrophe(text: str, start: int) -> int | None:
    """Where a phrase opened by ``'`` at ``start - 1`` closes: a ``'`` followed by a space
    or the end of the line; None when there is none (the ``'`` is an apostrophe)."""
    for j in range(start, len(text)):
        if text[j] == "'" and (j + 1 == len(text) or text[j + 1].isspace()):
            return j
    return None


class NewsCommands:
    """Callable ``CommandHandler``: ``reply = await commands(request)``."""

    def __init__(self, ctx: CommandContext) -> None:
        self.ctx = ctx
        load_commands()

    async def __call__(self, request: CommandRequest) -> Reply:
        # The event id is marked *before* the handler runs: at most once. Platforms
        # redeliver an event mostly while we are still working on it (Slack retries
        # after 3 s without an ack), and running it twice could post a digest to the
        # whole channel twice. The price — a process dying mid-command drops the
        # redelivery — is a missing answer the person can simply ask again.
        if request.event_id and not await self.ctx.storage.mark_event(
            request.channel.platform, f"cmd:{request.event_id}"
        ):
            return Reply(text="Already handled that command.", ephemeral=True)
        cmd: Command | None = None
        try:
            words = request.text.split(maxsplit=1)
            if (
                words and words[0].lower() in REGISTRY
            ):  # so a quoting mistake shows this command's usage
                cmd = REGISTRY[words[0].lower()]
            args = split_args(request.text)
            if not args:
                cmd = REGISTRY["help"]
                return await cmd.handler(self.ctx, request, [])
            name = args[0].lower()
            if name in REGISTRY:
                cmd, args = REGISTRY[name], args[1:]
            else:
                cmd = fallback_command()
                if cmd is None:
                    return Reply(text=f"Unknown command {name!r}; try `/news help`.", error=True)
            if cmd.changes_settings and not self.ctx.may_change_settings(request):
                return Reply(
                    text=(
                        f"Only channel admins can use `/news {cmd.name}` here (or user ids listed "
                        f"in NEWSBOT_ADMINS; yours is {request.user_id}). Reading commands are open to all."
                    ),
                    error=True,
                )
            return await cmd.handler(self.ctx, request, args)
        except UsageError as exc:
            if cmd is None:
                return Reply(text=f"{exc.problem}. Try `/news help`.", error=True)
            return usage_reply(cmd, exc.problem)
        except Exception:
            log.exception("/news %s failed", request.text)
            return Reply(
                text="Sorry, something went wrong handling that command; it has been logged.",
                error=True,
            )


__all__ = [
    "REGISTRY",
    "Command",
    "CommandContext",
    "NewsCommands",
    "Publisher",
    "UsageError",
    "command",
    "fallback",
    "load_commands",
]
