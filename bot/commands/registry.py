"""The ``/news`` subcommand registry.

A subcommand is one module in ``bot/commands`` with a decorated handler::

    @command("stats", usage="/news stats", summary="what this channel liked")
    async def stats(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply: ...

Handlers raise :class:`UsageError` for bad arguments; the dispatcher turns it
into a short usage reply naming the problem.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from adapters.base import CommandRequest, Reply

from .context import CommandContext

Handler = Callable[[CommandContext, CommandRequest, list[str]], Awaitable[Reply]]


class UsageError(Exception):
    """Wrong or missing arguments; ``problem`` is shown to the person with the usage line."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: Handler
    changes_settings: bool = False
    examples: tuple[str, ...] = ()
    order: int = 50


REGISTRY: dict[str, Command] = {}
_FALLBACK: list[Command] = []


def command(
    name: str,
    *,
    usage: str,
    summary: str,
    changes_settings: bool = False,
    examples: tuple[str, ...] = (),
    order: int = 50,
) -> Callable[[Handler], Handler]:
    """Register ``handler`` as ``/news <name>``; ``changes_settings`` limits it to admins."""

    def register(handler: Handler) -> Handler:
        if name in REGISTRY and REGISTRY[name].handler is not handler:
            raise RuntimeError(f"/news {name} is registered twice")
        REGISTRY[name] = Command(name, usage, summary, handler, changes_settings, examples, order)
        return handler

    return register


def fallback(
    *, usage: str, summary: str, examples: tuple[str, ...] = ()
) -> Callable[[Handler], Handler]:
    """Register the handler for ``/news <anything else>`` (the topic lookup)."""

    def register(handler: Handler) -> Handler:
        _FALLBACK[:] = [Command("", usage, summary, handler, False, examples, 0)]
        return handler

    return register


def fallback_command() -> Command | None:
    return _FALLBACK[0] if _FALLBACK else None


def usage_reply(cmd: Command, problem: str | None = None) -> Reply:
    text = f"{problem}\nUsage: `{cmd.usage}`" if problem else f"Usage: `{cmd.usage}`"
    if cmd.examples:
        text += "\nExample: " + ", ".join(f"`{e}`" for e in cmd.examples[:2])
    return Reply(text=text, error=True)
