"""Shared by the bot's CLI subcommands: settings with readable errors, logging to stderr."""

from __future__ import annotations

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


def setup_logging(level: str, *, quiet: bool = False, fmt: str = "text") -> None:
    """See :func:`bot.logs.setup_logging` (kept here for the CLI commands' imports)."""
    from bot.logs import setup_logging as setup

    setup(level, fmt=fmt, quiet=quiet)
