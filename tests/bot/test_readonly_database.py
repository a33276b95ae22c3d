"""A read-only SQLite database stops the bot at start-up with a message naming the file and
what to do, not with a traceback at its first write. (Tests run as root, for whom file modes
do not bite, so SQLite's own read-only mode stands in for a read-only file.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Storage, StorageError


async def test_a_read_only_database_is_a_clear_start_up_error(tmp_path: Path) -> None:
    path = tmp_path / "newsbot.db"
    writable = Storage(f"sqlite+aiosqlite:///{path}")
    await writable.upgrade()
    await writable.aclose()
    read_only = Storage(f"sqlite+aiosqlite:///file:{path}?mode=ro&uri=true")
    try:
        with pytest.raises(StorageError) as err:
            await read_only.upgrade()
    finally:
        await read_only.aclose()
    message = str(err.value)
    assert "read-only" in message and str(path) in message
    assert "writable" in message and "DATABASE_URL" in message
