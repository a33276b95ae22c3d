"""Build the Slack adapter from settings (SLACK_* variables → SlackConfig)."""

from __future__ import annotations

from pydantic import SecretStr

from adapters.base import Adapter, CommandHandler, ReactionHandler
from adapters.slack import SlackAdapter, SlackConfig
from bot.settings import Settings


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def config_from(settings: Settings) -> SlackConfig | None:
    """The adapter's config, or None when neither a bot token nor a webhook is set."""
    if not settings.slack_configured:
        return None
    return SlackConfig(
        bot_token=_secret(settings.slack_bot_token),
        app_token=_secret(settings.slack_app_token),
        signing_secret=_secret(settings.slack_signing_secret),
        webhook_url=_secret(settings.slack_webhook_url),
        api_url=settings.slack_api_url,
        http_port=settings.slack_http_port,
    )


def build(
    settings: Settings, on_command: CommandHandler, on_reaction: ReactionHandler
) -> Adapter | None:
    config = config_from(settings)
    if config is None:
        return None
    return SlackAdapter(config, on_command, on_reaction)
