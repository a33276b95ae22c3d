"""How a /news line is split into words: apostrophes belong to words (``women's-health``,
``Musk's``), real quotes still group a phrase, and an unclosed double quote is a clear
usage error."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.base import CommandRequest
from bot.app import NewsBot
from bot.commands import UsageError, split_args
from bot.settings import Settings

from .helpers import ARTICLES, GENERAL, T0


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("subscribe women's-health", ["subscribe", "women's-health"]),
        ("Musk's", ["Musk's"]),
        ("Musk’s", ["Musk’s"]),
        (
            'schedule cron "0 9 * * 1-5" Europe/Berlin',
            ["schedule", "cron", "0 9 * * 1-5", "Europe/Berlin"],
        ),
        ("subscribe 'machine learning' ai", ["subscribe", "machine learning", "ai"]),
        ("'Musk's deal'", ["Musk's deal"]),
        ("'90s music", ["'90s", "music"]),
        ('subscribe "women\'s health"', ["subscribe", "women's health"]),
        ("“curly quotes”  too", ["curly quotes", "too"]),
    ],
)
def test_words(line: str, words: list[str]) -> None:
    assert split_args(line) == words


def test_an_unclosed_double_quote_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unbalanced quotes"):
        split_args('subscribe "machine learning')


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[NewsBot]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[arg-type]
    )
    b = NewsBot(settings, clock=lambda: T0)
    await b.open()
    await b.storage.upsert_articles(ARTICLES)
    await b.catalog.refresh()
    yield b
    await b.storage.aclose()


async def ask(b: NewsBot, text: str) -> Any:
    return await b.handle_command(CommandRequest(GENERAL, "ann", text, is_admin=True))


async def test_topics_with_apostrophes_are_subscribed_and_looked_up(bot: NewsBot) -> None:
    reply = await ask(bot, "subscribe women's-health")
    assert not reply.error and "unbalanced" not in reply.text
    (topic,) = await bot.storage.topics(GENERAL)  # as topics are normalised: women-s-health
    assert topic.startswith("women") and topic.endswith("health")
    lookup = await ask(bot, "Musk's")
    assert "unbalanced" not in lookup.text and "went wrong" not in lookup.text
