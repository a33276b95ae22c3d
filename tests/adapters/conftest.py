"""Fixtures shared by the adapter tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Storage


@pytest.fixture
async def storage(tmp_path: Path) -> AsyncIterator[Storage]:
    db = Storage(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    await db.upgrade()
    yield db
    await db.aclose()
