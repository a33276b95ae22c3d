"""Discord: ``/news`` application commands, stories as embeds, reactions as feedback.

``create_adapter`` picks the bot adapter (``DISCORD_TOKEN``) or delivery-only
webhook mode (``DISCORD_WEBHOOK_URL``).
"""

from __future__ import annotations

from adapters.base import CommandHandler, ReactionHandler

from .adapter import DiscordAdapter, DiscordStartError
from .config import DiscordConfig, DiscordConfigError
from .endpoints import invite_url, required_permissions
from .webhook import DiscordWebhookAdapter

__all__ = [
    "DiscordAdapter",
    "DiscordConfig",
    "DiscordConfigError",
    "DiscordStartError",
    "DiscordWebhookAdapter",
    "create_adapter",
    "invite_url",
    "required_permissions",
]


def create_adapter(
    config: DiscordConfig, on_command: CommandHandler, on_reaction: ReactionHandler
) -> DiscordAdapter | DiscordWebhookAdapter:
    """The bot when a token is configured, else the webhook (delivery only)."""
    if config.token:
        return DiscordAdapter(config, on_command, on_reaction)
    return DiscordWebhookAdapter(config, on_command, on_reaction)
