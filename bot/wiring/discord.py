"""Build the Discord adapter from settings (DISCORD_* variables → DiscordConfig).

``DISCORD_TOKEN`` gives the full bot; ``DISCORD_WEBHOOK_URL`` alone gives
delivery-only webhook mode. Topic autocomplete is fed from the bot's story
catalog when the command handler belongs to a :class:`bot.app.NewsBot`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pydantic import SecretStr

from adapters.base import Adapter, CommandHandler, ReactionHandler
from adapters.discord import DiscordConfig, DiscordConfigError, create_adapter
from bot.settings import Settings
from bot.wiring.topics import TOPICS_TTL, catalog_topics

__all__ = ["TOPICS_TTL", "build", "catalog_topics", "config_from"]


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def config_from(
    settings: Settings, topics_provider: Callable[[], Iterable[str]] | None = None
) -> DiscordConfig | None:
    """The adapter's config, or None when neither a bot token nor a webhook is set.

    Raises :class:`bot.wiring.WiringError` (shown without a traceback) when it cannot work.
    """
    if not settings.discord_configured:
        return None
    try:
        return _config(settings, topics_provider)
    except DiscordConfigError as exc:
        from bot.wiring import WiringError

        raise WiringError(str(exc)) from None


def _config(
    settings: Settings, topics_provider: Callable[[], Iterable[str]] | None
) -> DiscordConfig:
    return DiscordConfig(
        token=_secret(settings.discord_token),
        webhook_url=_secret(settings.discord_webhook_url),
        api_url=settings.discord_api_url,
        gateway_url=settings.discord_gateway_url,
        guild_id=settings.discord_guild_id,
        application_id=settings.discord_application_id,
        shard_count=settings.discord_shard_count,
        shard_ids=tuple(settings.discord_shard_ids),
        topics_provider=topics_provider,
    )


def build(
    settings: Settings, on_command: CommandHandler, on_reaction: ReactionHandler
) -> Adapter | None:
    config = config_from(settings, catalog_topics(on_command))
    if config is None:
        return None
    return create_adapter(config, on_command, on_reaction)
