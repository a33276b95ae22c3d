"""Storage fixtures for the bot tests: SQLite in a temp file, and PostgreSQL when reachable.

PostgreSQL comes from NEWSBOT_TEST_POSTGRES_URL (e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/test). Each test session gets its own
fresh schema, migrated once and dropped at the end, so parallel runs never clash;
tables are emptied between tests.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bot.storage import Storage

PG_ENV = "NEWSBOT_TEST_POSTGRES_URL"


def _run(factory: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine to completion on its own loop, even from inside a running one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, factory()).result()


def _asyncpg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[tuple[str, str]]:
    """(url, schema) of a fresh, migrated schema for this test session."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")
    schema = f"newsbot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"

    async def create() -> None:
        import asyncpg

        conn = await asyncio.wait_for(asyncpg.connect(_asyncpg_dsn(url)), timeout=5)
        try:
            await conn.execute(f'CREATE SCHEMA "{schema}"')
        finally:
            await conn.close()
        storage = Storage(url, schema=schema)
        try:
            await storage.upgrade()
        finally:
            await storage.aclose()

    async def drop() -> None:
        import asyncpg

        conn = await asyncpg.connect(_asyncpg_dsn(url))
        try:
            await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        finally:
            await conn.close()

    try:
        _run(create)
    except (OSError, TimeoutError) as exc:
        pytest.skip(f"PostgreSQL at {PG_ENV} is not reachable: {exc}")
    except Exception as exc:  # auth, missing database…
        if type(exc).__module__.startswith("asyncpg"):
            pytest.skip(f"PostgreSQL at {PG_ENV} refused the connection: {exc}")
        raise
    try:
        yield url, schema
    finally:
        _run(drop)


async def _truncate_all(storage: Storage) -> None:
    async with storage.engine.begin() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        tables = ", ".join(f'"{n}"' for n in names if n != "alembic_version")
        if tables:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def any_storage(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Storage]:
    """A migrated, empty Storage on SQLite and (when reachable) on PostgreSQL."""
    if request.param == "sqlite":
        storage = Storage(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        await storage.upgrade()
    else:
        url, schema = request.getfixturevalue("postgres_schema")
        storage = Storage(url, schema=schema)
        await _truncate_all(storage)
    try:
        yield storage
    finally:
        await storage.aclose()


@pytest.fixture
async def sqlite_storage(tmp_path: Path) -> AsyncIterator[Storage]:
    storage = Storage(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await storage.upgrade()
    try:
        yield storage
    finally:
        await storage.aclose()
