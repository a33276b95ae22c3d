"""``newsbot stats --json``: what a channel's reactions add up to, read by a script."""

from __future__ import annotations

import asyncio
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from adapters.base import PostedMessage, ReactionEvent
from bot.cli.stats import command as stats_command
from bot.feedback import apply_reaction
from bot.storage import Storage

from .helpers import GENERAL


async def _react(db_url: str, emoji: list[str]) -> None:
    storage = Storage(db_url)
    await storage.upgrade()
    try:
        await storage.record_posted([PostedMessage(GENERAL, "m1", "story-1")], delivery_key="d")
        for i, e in enumerate(emoji):
            await apply_reaction(
                storage, ReactionEvent(GENERAL, "m1", f"user{i}", e, True, event_id=f"e{i}")
            )
    finally:
        await storage.aclose()


def test_stats_json_counts_each_emoji_once_under_its_glyph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    asyncio.run(_react(db_url, ["👍", ":thumbsup:", "+1", "sleeping", "😴"]))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    result = CliRunner().invoke(stats_command, ["--json"])
    assert result.exit_code == 0, result.output
    (channel,) = orjson.loads(result.output)["channels"]
    assert channel["reactions"] == 5
    assert channel["emoji"] == {"👍": 3, "😴": 2}
