"""Build the console adapter (the default when no chat platform is configured)."""

from __future__ import annotations

from adapters.base import Adapter, CommandHandler, ReactionHandler
from adapters.console import ConsoleAdapter, ConsoleConfig
from bot.settings import Settings


def build(
    settings: Settings,
    on_command: CommandHandler,
    on_reaction: ReactionHandler,
    *,
    channel: str = "general",
    user: str = "you",
) -> Adapter | None:
    return ConsoleAdapter(ConsoleConfig(channel=channel, user=user), on_command, on_reaction)
