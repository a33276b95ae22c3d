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
    _exit_now()


def _exit_now() -> None:
    """Leave without the interpreter's final garbage collection and module teardown.

    The bot has closed its adapters and database by now; what is left is freeing
    objects one by one, which on a busy machine takes seconds — and a supervisor's
    SIGTERM should stop the bot within two. Logs and output are flushed first.
    """
    import logging
    import os
    import sys

    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
