"""Run the Alembic migrations shipped in ``bot/migrations`` on an open connection.

Migrations run at start-up and from ``newsbot db upgrade``; on PostgreSQL an
advisory lock makes several bot processes starting together take turns.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_PG_LOCK_ID = 0x6E657773  # "news"


def alembic_config(url: str | None = None) -> Config:
    """Config pointing at our migrations; no alembic.ini needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade_sync(connection: Connection, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (run through ``AsyncConnection.run_sync``).

    Another process may be migrating the same database right now: PostgreSQL
    waits on an advisory lock, SQLite on ``BEGIN IMMEDIATE`` (the write lock), and
    whoever comes second finds the schema already at head.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK_ID})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # nothing has run yet on this connection
        # a write that changes nothing: a read-only file fails here, at start-up, with a
        # clear error (see Storage._explained_errors), not at the first real write later
        version = connection.exec_driver_sql("PRAGMA user_version").scalar() or 0
        connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def current_revision_sync(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
