"""Alembic environment for newsbot.

``Storage.upgrade()`` hands us an open (sync-facade) connection through
``config.attributes["connection"]``; run from the ``alembic`` CLI instead, we open
an async engine on ``sqlalchemy.url``. Either way the same migrations run on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
elif (existing := config.attributes.get("connection")) is not None:
    _run(existing)
else:
    asyncio.run(_run_async(str(config.get_main_option("sqlalchemy.url"))))
