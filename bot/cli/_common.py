"""Shared by the bot's CLI subcommands: settings with readable errors, logging to stderr."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bot.settings import Settings


def settings_or_exit(**overrides: object) -> Settings:
    """Load settings; on a configuration error print it (no traceback) and exit 2."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        click.echo(f"newsbot: {exc}", err=True)
        sys.exit(2)


def setup_logging(level: str, *, quiet: bool = False) -> None:
    logging.basicConfig(
        level=logging.WARNING if quiet else getattr(logging, level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("aiosqlite", "asyncio", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
