"""``newsbot db upgrade|current``: schema migrations on DATABASE_URL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from bot.storage import Storage

T = TypeVar("T")


@click.group("db")
def command() -> None:
    """Database schema management (migrations also run at start-up)."""


def _with_storage(action: Callable[[Storage], Awaitable[T]]) -> T:
    """Open the configured database, run ``action``, close it; errors become one line."""
    import asyncio

    from bot.storage import Storage, StorageError

    from ._common import settings_or_exit

    settings = settings_or_exit()

    async def go() -> T:
        storage = Storage(settings.database_url.get_secret_value())
        try:
            return await action(storage)
        finally:
            await storage.aclose()

    try:
        return asyncio.run(go())
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None


@command.command("upgrade")
def upgrade() -> None:
    """Apply all pending migrations."""

    async def action(storage: Storage) -> str | None:
        await storage.upgrade()
        return await storage.revision()

    click.echo(f"database is at revision {_with_storage(action)}")


@command.command("current")
def current() -> None:
    """Print the database's current revision and the newest one this version ships."""
    from bot.storage.migrate import head_revision

    async def action(storage: Storage) -> str | None:
        return await storage.revision()

    revision = _with_storage(action)
    click.echo(f"current: {revision or '(empty database)'}; newest: {head_revision()}")
