"""``newsbot console``: the terminal chat on its own (scriptable through stdin)."""

from __future__ import annotations

import click


@click.command("console")
@click.option("--channel", default="general", show_default=True, help="Channel name to chat in.")
@click.option("--user", default="you", show_default=True, help="Your user name in the chat.")
@click.option(
    "--no-ingest",
    is_flag=True,
    help="Skip reading NEWSBOT_SOURCES; use the stories already stored.",
)
def command(channel: str, user: str, no_ingest: bool) -> None:
    """Chat with the bot in this terminal: /news …, +:thumbsup: <ref> to react.

    When standard input is not a terminal, reads one command per line, prints the
    replies and posts, and exits at end of input.
    """
    import asyncio

    from bot.app import NewsBot
    from bot.storage import StorageError
    from bot.wiring.console import build

    from ._common import settings_or_exit, setup_logging

    settings = settings_or_exit()
    setup_logging(settings.log_level, quiet=True, fmt=settings.newsbot_log_format)
    bot = NewsBot(settings)
    adapter = build(settings, bot.handle_command, bot.handle_reaction, channel=channel, user=user)
    assert adapter is not None  # the console needs no configuration
    try:
        asyncio.run(
            bot.run(
                [adapter],
                ingest=not no_ingest,
                discover_services=False,
                background_ingest=False,
            )
        )
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
