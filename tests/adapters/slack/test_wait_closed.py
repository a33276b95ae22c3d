"""``wait_closed`` returns only when Socket Mode cannot come back (so ``newsbot run`` exits for
its supervisor); a drop slack_sdk reconnects leaves the bot answering commands."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from adapters.base import Reply
from adapters.slack import SlackAdapter
from bot.app import AdapterStoppedError, NewsBot
from bot.settings import Settings
from tests.fakes.slack import Failure, FakeSlack

from .helpers import Recorder, adapter_for, http_config, socket_config


async def test_a_revoked_app_token_ends_socket_mode_and_wait_closed_says_why() -> None:
    async with FakeSlack() as fake:
        adapter = adapter_for(socket_config(fake), Recorder(Reply("ok")))
        await adapter.start()
        try:
            await fake.wait_connected()
            waiter = asyncio.create_task(adapter.wait_closed())
            # the app token is revoked: every request for a new Socket Mode URL now fails
            fake.failures.append(
                Failure("apps.connections.open", status=200, error="token_revoked", times=100)
            )
            await fake.drop_connections()
            await asyncio.wait_for(waiter, 5)
            assert adapter.closed_reason is not None
            assert (
                "token_revoked" in adapter.closed_reason
                and "SLACK_APP_TOKEN" in adapter.closed_reason
            )
            opened = len(fake.calls_to("apps.connections.open"))
        finally:
            await adapter.aclose()
    assert opened == 2  # the start, then one refused reconnect: no retrying for ever
    assert not fake._sockets


async def test_a_dropped_connection_reconnects_and_wait_closed_keeps_waiting() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("still here"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            await fake.wait_connected()
            waiter = asyncio.create_task(adapter.wait_closed())
            await fake.drop_connections()
            await fake.wait_for(lambda: fake.connections >= 2 and len(fake._sockets) == 1, within=5)
            envelope = await fake.push("slash_commands", fake.command_payload("stats"))
            await asyncio.wait_for(envelope.acked, 5)
            assert not waiter.done() and adapter.closed_reason is None
        finally:
            await adapter.aclose()
        await asyncio.wait_for(waiter, 1)  # aclose ends the wait, with no reason
    assert adapter.closed_reason is None
    assert [c.text for c in recorder.commands] == ["stats"]


async def test_http_mode_has_no_connection_to_lose() -> None:
    async with FakeSlack() as fake:
        adapter = adapter_for(http_config(fake), Recorder(Reply("ok")))
        await adapter.start()
        waiter = asyncio.create_task(adapter.wait_closed())
        await asyncio.sleep(0)
        assert not waiter.done()
        await adapter.aclose()
        await asyncio.wait_for(waiter, 1)
        assert adapter.closed_reason is None


async def test_newsbot_run_exits_with_an_error_naming_slack_when_socket_mode_is_gone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with FakeSlack() as fake:
        bot = NewsBot(
            Settings(
                database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",  # type: ignore[call-arg]
                newsbot_sources=[],
            )
        )
        adapter = SlackAdapter(socket_config(fake), bot.handle_command, bot.handle_reaction)
        run = asyncio.create_task(bot.run([adapter], ingest=False, discover_services=False))
        await fake.wait_connected()
        fake.failures.append(
            Failure("apps.connections.open", status=200, error="app_uninstalled", times=100)
        )
        await fake.drop_connections()
        with pytest.raises(
            AdapterStoppedError, match=r"the slack adapter stopped for good: .*app_uninstalled"
        ):
            await asyncio.wait_for(run, 10)
    assert "slack adapter stopped for good" in caplog.text
