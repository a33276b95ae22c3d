"""Dropping a folder from NEWSBOT_SOURCES drops its articles from /news at the next start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from adapters.base import ChannelRef, CommandRequest
from bot.app import NewsBot
from bot.settings import Settings
from digests.models import Article

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CHANNEL = ChannelRef("console", "local", "general")


def _article(folder: Path, name: str, title: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {title}\ndate: 2026-11-20\nsource: https://{name}.example/story\ntags: [AI]\n---\n"
        f"{title} was announced on Thursday by the company, which said the change takes effect next month. "
        "Analysts expect rivals to follow within the year.\n",
        encoding="utf-8",
    )


async def _start(db: Path, *sources: Path | str) -> tuple[NewsBot, int, set[str]]:
    """One start-up of the bot on ``sources``: ingest, then what ``/news ai`` shows."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{db}",
        newsbot_sources=[str(s) for s in sources],
    )
    bot = NewsBot(settings, clock=lambda: NOW)
    await bot.open()
    report = await bot.ingest()
    reply = await bot.handle_command(
        CommandRequest(channel=CHANNEL, user_id="ann", user_name="ann", text="ai", is_admin=True)
    )
    return bot, report.forgotten, {s.title for s in reply.stories}


async def _run(db: Path, *sources: Path | str) -> tuple[int, set[str]]:
    bot, forgotten, titles = await _start(db, *sources)
    await bot.storage.aclose()
    return forgotten, titles


async def test_a_source_removed_from_the_settings_stops_showing_up(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    _article(tmp_path / "samples", "harbor", "Harbor Labs opens its Tidewater model")
    _article(tmp_path / "samples", "kelp", "Kelpwater University trains a coding model")
    _article(tmp_path / "mine", "vault", "VaultLine adds passkeys to its AI assistant")

    forgotten, titles = await _run(db, tmp_path / "samples")
    assert titles == {
        "Harbor Labs opens its Tidewater model",
        "Kelpwater University trains a coding model",
    }
    assert forgotten == 0

    forgotten, titles = await _run(db, tmp_path / "mine")
    assert titles == {"VaultLine adds passkeys to its AI assistant"}
    assert forgotten == 2


async def test_a_missing_configured_folder_forgets_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    _article(tmp_path / "mounted", "harbor", "Harbor Labs opens its Tidewater model")
    _article(tmp_path / "mine", "vault", "VaultLine adds passkeys to its AI assistant")
    await _run(db, tmp_path / "mounted")

    # the same folder, now unmounted, plus a new one: the old articles must stay
    forgotten, titles = await _run(db, tmp_path / "unmounted", tmp_path / "mine")
    assert forgotten == 0
    assert "Harbor Labs opens its Tidewater model" in titles


async def test_feed_articles_and_files_under_a_glob_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    _article(tmp_path / "news", "harbor", "Harbor Labs opens its Tidewater model")
    _article(tmp_path / "news", "vault", "VaultLine adds passkeys to its AI assistant")
    bot, _, _ = await _start(db, tmp_path / "news")
    feed = Article(
        id="feed-1",
        title="Feed story about AI chips",
        text="Chips, chips, chips.",
        source="feed.example",
        url="https://feed.example/1",
        path="https://feed.example/rss",
        published=NOW,
        tags=("AI",),
    )
    await bot.storage.upsert_articles([feed])
    await bot.storage.aclose()

    forgotten, _ = await _run(db, str(tmp_path / "news" / "h*.md"))
    bot, _, _ = await _start(db, str(tmp_path / "news" / "h*.md"))
    try:
        kept = {a.title for a in await bot.storage.load_articles()}
    finally:
        await bot.storage.aclose()
    assert forgotten == 1  # vault.md is outside the glob
    assert kept == {"Harbor Labs opens its Tidewater model", "Feed story about AI chips"}


async def test_an_explicit_ingest_only_adds(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    _article(tmp_path / "samples", "harbor", "Harbor Labs opens its Tidewater model")
    _article(tmp_path / "extra", "vault", "VaultLine adds passkeys to its AI assistant")
    bot, _, _ = await _start(db, tmp_path / "samples")
    try:
        report = await bot.ingest([str(tmp_path / "extra")])
        titles = {a.title for a in await bot.storage.load_articles()}
    finally:
        await bot.storage.aclose()
    assert report.forgotten == 0
    assert titles == {
        "Harbor Labs opens its Tidewater model",
        "VaultLine adds passkeys to its AI assistant",
    }
