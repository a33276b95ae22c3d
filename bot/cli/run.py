"""``newsbot run``: ingest NEWSBOT_SOURCES and serve the configured adapters until stopped."""

from __future__ import annotations

import click


@click.command("run")
def command() -> None:
    """Run the bot: database migrations, ingest, then Slack/Discord/console (SIGINT/SIGTERM stop it)."""
    import asyncio
    import sys

    from bot.app import AdapterStartError, NewsBot
    from bot.storage import StorageError
    from bot.wiring import WiringError

    from ._common import settings_or_exit, setup_logging

    settings = settings_or_exit()
    # an interactive console chat is not interleaved with log lines; scripts and servers log
    setup_logging(
        settings.log_level,
        quiet="console" in settings.adapters and sys.stdin.isatty(),
        fmt=settings.newsbot_log_format,
    )
    try:
        asyncio.run(NewsBot(settings).run())
    except (StorageError, WiringError, AdapterStartError) as exc:
        raise click.ClickException(str(exc)) from None
