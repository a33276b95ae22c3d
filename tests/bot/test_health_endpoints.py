"""``NEWSBOT_HTTP_PORT``: liveness, readiness and Prometheus metrics, as an operator's probes
and scraper see them (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.base import CommandRequest
from bot.app import NewsBot
from bot.services import http
from bot.settings import Settings
from tests.bot.helpers import GENERAL, RecordingAdapter


def _settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        newsbot_sources=[],
        **extra,
    )


@pytest.fixture
async def bot(tmp_path: Path):
    bot = NewsBot(_settings(tmp_path))
    await bot.open()
    try:
        yield bot
    finally:
        await bot.storage.aclose()


@pytest.fixture
async def client(bot: NewsBot):
    async with TestClient(TestServer(http.build_app(bot))) as c:
        yield c


async def test_healthz_answers_while_the_process_is_alive(client: TestClient) -> None:
    resp = await client.get("/healthz")
    assert resp.status == 200
    assert (await resp.json())["status"] == "ok"


async def test_readyz_is_503_until_an_adapter_is_connected(
    bot: NewsBot, client: TestClient
) -> None:
    resp = await client.get("/readyz")
    body = await resp.json()
    assert resp.status == 503
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["adapters"] == "none started yet"

    bot.adapters.append(RecordingAdapter())
    resp = await client.get("/readyz")
    assert resp.status == 200, await resp.text()


async def test_readyz_names_an_adapter_that_lost_its_platform(
    bot: NewsBot, client: TestClient
) -> None:
    lost = RecordingAdapter()
    lost.closed_reason = "token revoked"  # type: ignore[attr-defined]
    bot.adapters.append(lost)
    resp = await client.get("/readyz")
    assert resp.status == 503
    assert "token revoked" in (await resp.json())["checks"]["adapters"]


async def test_readyz_is_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    bot = NewsBot(_settings(tmp_path))
    await bot.open()
    bot.adapters.append(RecordingAdapter())
    (tmp_path / "bot.db").unlink()
    (tmp_path / "bot.db").mkdir()  # sqlite can no longer open it
    await bot.storage.aclose()  # drop pooled connections so the next check really connects
    async with TestClient(TestServer(http.build_app(bot))) as c:
        resp = await c.get("/readyz")
        assert resp.status == 503
        assert (await resp.json())["checks"]["database"].startswith("unreachable")
    await bot.storage.aclose()


async def test_metrics_show_command_latency_and_outbox_state(
    bot: NewsBot, client: TestClient
) -> None:
    before = _sample(await (await client.get("/metrics")).text(), "newsbot_command_seconds_count")
    await bot.handle_command(CommandRequest(channel=GENERAL, user_id="u1", text="help"))
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    page = await resp.text()
    after = _sample(page, "newsbot_command_seconds_count")
    assert after == before + 1
    for series in (
        "newsbot_articles ",
        "newsbot_stories ",
        "newsbot_outbox_depth ",
        "newsbot_outbox_oldest_seconds ",
        'newsbot_sources_failing{kind="feed"}',
    ):
        assert series in page, series


async def test_newsbot_run_serves_the_endpoints_on_the_configured_port(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bot = NewsBot(_settings(tmp_path, newsbot_http_port=port))
    bot.add_service("http", http.run)
    runner = asyncio.create_task(
        bot.run([RecordingAdapter()], ingest=False, discover_services=False)
    )
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(100):
                try:
                    async with session.get(f"http://127.0.0.1:{port}/readyz") as resp:
                        assert resp.status == 200, await resp.text()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("the health endpoint never came up")
    finally:
        bot.stop()
        await asyncio.wait_for(runner, 10)


def test_the_http_server_is_off_and_local_by_default(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert settings.newsbot_http_port is None
    assert settings.newsbot_http_host == "127.0.0.1"


def _sample(page: str, name: str) -> float:
    """Sum a metric's samples over all label sets (0 when absent)."""
    total = 0.0
    for line in page.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            total += float(line.rsplit(" ", 1)[1])
    return total
