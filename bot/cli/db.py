"""``newsbot db upgrade|current``: schema migrations on DATABASE_URL."""

from __future__ import annotations

import click


@click.group("db")
def command() -> None:
    """Database schema management (migrations also run at start-up)."""


@command.command("upgrade")
def upgrade() -> None:
    """Apply all pending migrations."""
    import asyncio

    from bot.storage import Storage, StorageError

    from ._common import settings_or_exit

    settings = settings_or_exit()

    async def go() -> str | None:
        storage = Storage(settings.database_url.get_secret_value())
        try:
            await storage.upgrade()
            return await storage.revision()
        finally:
            await storage.aclose()

    try:
        revision = asyncio.run(go())
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"database is at revision {revision}")


@command.command("current")
def current() -> None:
    """Print the database's current revision and the newest one this version ships."""
    import asyncio

    from bot.storage import Storage, StorageError
    from bot.storage.migrate import head_revision

    from ._common import settings_or_exit

    settings = settings_or_exit()

    async def go() -> str | None:
        storage = Storage(settings.database_url.get_secret_value())
        try:
            return await storage.revision()
        finally:
            await storage.aclose()

    try:
        revision = asyncio.run(go())
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"current: {revision or '(empty database)'}; newest: {head_revision()}")
