"""The application object: what ``newsbot run`` does before and around the adapters."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import NewsBot
from bot.settings import Settings


async def test_a_failing_feed_is_logged_without_its_credentials(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    feed = "http://reader:s3cret-token@127.0.0.1:9/private.xml"  # nothing listens on port 9
    settings = Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")  # type: ignore[call-arg]
    bot = NewsBot(settings)
    caplog.set_level(logging.INFO)
    try:
        await bot.open()
        report = await bot.ingest([feed])
    finally:
        await bot.storage.aclose()
    assert len(report.errors) == 1
    assert "skipped http://***@127.0.0.1:9/private.xml" in caplog.text
    assert "s3cret-token" not in caplog.text
