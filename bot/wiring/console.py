"""Build the console adapter (the default when no chat platform is configured)."""

from __future__ import annotations

from adapters.base import Adapter, CommandHandler, ReactionHandler
from adapters.console import ConsoleAdapter, ConsoleConfig
from adapters.console.adapter import PostedLookup
from bot.settings import Settings
from bot.wiring.topics import catalog_topics


def command_usages() -> dict[str, str]:
    """Each ``/news`` subcommand's usage line, for the console's Tab completion."""
    from bot.commands import load_commands

    return {name: cmd.usage for name, cmd in load_commands().items()}


def posted_lookup(on_command: CommandHandler) -> PostedLookup | None:
    """``Storage.posted_by_ref`` of the bot that owns ``on_command``, if it is a NewsBot's.

    With it, ``+:thumbsup: <ref>`` reacts to stories posted to the channel in earlier
    sessions too (the same way ``bot.wiring.discord`` finds the bot's catalog).
    """
    storage = getattr(getattr(on_command, "__self__", None), "storage", None)
    return getattr(storage, "posted_by_ref", None)


def build(
    settings: Settings,
    on_command: CommandHandler,
    on_reaction: ReactionHandler,
    *,
    channel: str = "general",
    user: str = "you",
) -> Adapter | None:
    return ConsoleAdapter(
        ConsoleConfig(
            channel=channel,
            user=user,
            usages=command_usages(),
            topics=catalog_topics(on_command),
            history=settings.console_history,
        ),
        on_command,
        on_reaction,
        find_posted=posted_lookup(on_command),
    )
