"""``/news <topic>`` when nearly every story carries the topic: stories *about* it come first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.base import CommandRequest
from bot.app import NewsBot
from bot.commands import topic as topic_command
from digests.models import Article

from .helpers import GENERAL, T0
from .test_commands import make_settings


def article(aid: str, title: str, text: str, *, hours_ago: float, source: str) -> Article:
    return Article(
        id=aid,
        title=title,
        text=text,
        url=f"https://{source}/{aid}",
        source=source,
        published=T0 - timedelta(hours=hours_ago),
        tags=("AI",),
    )


# every story is tagged AI (an AI-news site tags everything); only some are about AI
ABOUT = [
    article(
        f"about{i}",
        f"{name} releases an AI model that writes its own test suites",
        f"{name} on Monday released an AI model that writes test suites for legacy code. "
        "The AI system reads a code base and proposes tests, the company said, and engineers "
        "review each one before it is merged.",
        hours_ago=40 + i,
        source=f"{name.lower()}.example.com",
    )
    for i, name in enumerate(["Quillsoft", "Brightmoor", "Tallyworks"])
]
ASIDE = [
    article(
        f"aside{i}",
        f"{town} council approves a new bus depot",
        f"The {town} council approved a bus depot on the old gasworks site on Tuesday after a "
        "long consultation. Construction starts in spring and should take two years; one "
        "councillor asked whether AI could plan the timetables.",
        hours_ago=1 + i,
        source=f"{town.lower()}.example.org",
    )
    for i, town in enumerate(["Eastmere", "Ludford", "Carrow", "Penhallow", "Wickby", "Ashgate"])
]


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[NewsBot]:
    b = NewsBot(make_settings(tmp_path), clock=lambda: T0)
    await b.open()
    await b.storage.upsert_articles(ABOUT + ASIDE)
    await b.catalog.refresh()
    yield b
    await b.storage.aclose()


async def ask(b: NewsBot, text: str) -> list[str]:
    reply = await b.handle_command(CommandRequest(channel=GENERAL, user_id="ann", text=text))
    return [s.primary.id for s in reply.stories]


async def test_stories_about_the_topic_beat_fresher_ones_that_only_carry_its_tag(
    bot: NewsBot,
) -> None:
    shown = await ask(bot, "ai")
    assert len(shown) == 5  # NEWSBOT_DIGEST_SIZE
    assert set(shown[:3]) == {"about0", "about1", "about2"}  # a day and a half older, yet first
    # without the relevance part, recency alone put the six bus-depot stories on top
    assert all(s.startswith("aside") for s in shown[3:])


async def test_among_equally_relevant_stories_the_newer_comes_first(bot: NewsBot) -> None:
    shown = await ask(bot, "ai")
    assert shown[:3] == ["about0", "about1", "about2"]
    assert shown[3:] == ["aside0", "aside1"]


async def test_only_the_candidates_most_about_the_topic_are_ranked_in_full(
    bot: NewsBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digests import engine

    ranked: list[int] = []
    real_rank = engine.rank

    def counting_rank(stories, **kw):  # type: ignore[no-untyped-def]
        stories = list(stories)
        ranked.append(len(stories))
        return real_rank(stories, **kw)

    monkeypatch.setattr(engine, "rank", counting_rank)
    monkeypatch.setattr(topic_command, "CANDIDATES", 4)
    shown = await ask(bot, "ai")
    assert ranked == [4]  # 9 stories carry the topic; 4 were ranked in full
    assert set(shown[:3]) == {"about0", "about1", "about2"}
