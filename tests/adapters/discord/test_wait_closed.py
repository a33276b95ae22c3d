"""``wait_closed`` returns only when the gateway is gone for good (so ``newsbot run`` exits
for its supervisor); a drop that discord.py can resume leaves the bot running."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import WSCloseCode

from adapters.discord import DiscordAdapter
from bot.app import AdapterStoppedError, NewsBot
from bot.settings import Settings
from tests.fakes.discord import FakeDiscord

from .conftest import Recorder, config_for, connected


async def close_gateway(fake: FakeDiscord, code: int) -> None:
    """Discord closing every gateway connection with ``code``."""
    for session in list(fake._sessions):
        await session.ws.close(code=code, message=b"closed by the fake")


async def test_a_revoked_token_ends_the_gateway_and_wait_closed_says_why(fake: FakeDiscord) -> None:
    async with connected(fake, Recorder()) as bot:
        waiter = asyncio.create_task(bot.wait_closed())
        await asyncio.sleep(0)
        assert not waiter.done()
        await close_gateway(fake, 4004)  # "authentication failed": no reconnect can fix it
        await asyncio.wait_for(waiter, 5)
        assert bot.closed_reason is not None
        assert "4004" in bot.closed_reason and "DISCORD_TOKEN" in bot.closed_reason


async def test_a_resumable_drop_reconnects_and_wait_closed_keeps_waiting(fake: FakeDiscord) -> None:
    async with connected(fake, Recorder()) as bot:
        waiter = asyncio.create_task(bot.wait_closed())
        before = list(fake._sessions)
        await close_gateway(fake, WSCloseCode.GOING_AWAY)  # 1001: discord.py resumes at once
        async with asyncio.timeout(5):  # the fake records a resume without notifying anyone
            while not [s for s in fake._sessions if s not in before]:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        assert not waiter.done() and bot.closed_reason is None
        waiter.cancel()
    # and after aclose, wait_closed returns at once without a reason
    await asyncio.wait_for(bot.wait_closed(), 1)
    assert bot.closed_reason is None


async def test_newsbot_run_exits_with_an_error_naming_discord_when_the_gateway_is_gone(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    bot = NewsBot(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[call-arg]
            newsbot_sources=[],
        )
    )
    adapter = DiscordAdapter(config_for(fake), bot.handle_command, bot.handle_reaction)
    started = asyncio.Event()
    start = adapter.start

    async def start_and_tell() -> None:
        await start()
        started.set()

    adapter.start = start_and_tell  # type: ignore[method-assign]
    run = asyncio.create_task(bot.run([adapter], ingest=False, discover_services=False))
    await asyncio.wait_for(started.wait(), 10)
    await close_gateway(fake, 4004)
    with pytest.raises(
        AdapterStoppedError, match=r"the discord adapter stopped for good: .*DISCORD_TOKEN"
    ):
        await asyncio.wait_for(run, 10)
    assert "discord adapter stopped for good" in caplog.text
    assert adapter._client is None  # closed on the way out: nothing left running
