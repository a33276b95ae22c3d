"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

A column added to a model without a migration (or a migration that forgets an index)
passes every other test on a fresh database built from the models' expectations, then
fails on a user's upgraded one; Alembic's autogenerate comparison catches it here.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

import bot.storage.delivery_schema  # noqa: F401  (its tables join Base.metadata)
from bot.storage import Base, Storage

# Full-text search lives outside the models on purpose: an FTS5 virtual table (and the
# shadow tables SQLite keeps for it) and PostgreSQL's generated tsvector column and index.
_SEARCH_TABLES = ("articles_fts",)
_SEARCH_COLUMNS = {("articles", "search")}
_SEARCH_INDEXES = {"ix_articles_search"}


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table" and name and name.startswith(_SEARCH_TABLES):
        return False
    if type_ == "column" and (obj.table.name, name) in _SEARCH_COLUMNS:
        return False
    return not (type_ == "index" and name in _SEARCH_INDEXES)


def _diff(connection: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"include_object": _include, "compare_type": True, "compare_server_default": False},
    )
    return list(compare_metadata(context, metadata))


async def _drift(storage: Storage, metadata: MetaData = Base.metadata) -> list[Any]:
    async with storage.engine.connect() as conn:
        return await conn.run_sync(_diff, metadata)


async def test_a_migrated_database_matches_the_models(any_storage: Storage) -> None:
    assert await _drift(any_storage) == []


async def test_a_model_change_without_a_migration_is_reported(any_storage: Storage) -> None:
    # the check itself can fail: a model with one more column than the migrations made
    from sqlalchemy import Column, Integer

    changed = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["channels"].append_column(Column("drift_probe", Integer, nullable=True))
    diff = await _drift(any_storage, changed)
    assert [(d[0], d[2], d[3].name) for d in diff] == [("add_column", "channels", "drift_probe")]
