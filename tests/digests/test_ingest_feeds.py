"""RSS/Atom parsing and the aiohttp fetcher, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from hypothesis import given, settings
from hypothesis import strategies as st

from digests.ingest import USER_AGENT, FetchError, fetch_feed, load_sources, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
RSS = (FIXTURES / "feed_rss.xml").read_bytes()
ATOM = (FIXTURES / "feed_atom.xml").read_bytes()


# --- parsing ------------------------------------------------------------------------


def test_rss_entries_become_clean_articles_and_bad_entries_errors() -> None:
    result = parse_feed(RSS, "https://www.example-tech.com/feed")
    chip, cafe = result.articles
    assert chip.title == "Chipmaker & partner unveil faster AI accelerator"
    assert chip.url == "https://www.example-tech.com/2025/10/21/chip-accelerator/"
    assert chip.source == "example-tech.com"
    assert chip.published == datetime(2025, 10, 21, 14, 30, tzinfo=UTC)
    assert chip.tags == ("Chips", "AI")
    assert chip.image == "https://img.example-tech.com/chip.jpg"
    assert chip.text.split("\n\n") == [
        "A chipmaker and its partner unveiled an accelerator they say is twice as fast as last year’s model.",
        "“It changes the economics of training,” said chief engineer Lee Park.",
    ]
    assert cafe.title == "Startup opens robot café"
    assert cafe.text == "A startup opened a café staffed entirely by robots in Seoul on Monday."
    assert cafe.published == datetime(2025, 10, 21, 18, 0, tzinfo=UTC)  # the feed's date
    assert [(e.path, e.error) for e in result.errors] == [
        ("https://www.example-tech.com/feed#entry3", "entry has no title")
    ]


def test_atom_entries_become_clean_articles() -> None:
    (article,) = parse_feed(ATOM, "atom.xml").articles
    assert article.title == "Telescope spots water on distant moon"
    assert article.author == "Ana Stars"
    assert article.published == datetime(2025, 10, 22, 8, 0, tzinfo=UTC)
    assert article.text == (
        "Astronomers said on Wednesday that a space telescope had found signs of water vapour "
        "on a moon of a distant planet.\n\nThe team will request more observing time next year."
    )


def test_the_same_entry_keeps_its_id_across_fetches() -> None:
    first = parse_feed(RSS, "feed").articles[0]
    again = parse_feed(RSS.replace(b"?utm_source=rss", b""), "feed").articles[0]
    assert first.id == again.id


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty feed"),
        (b"<html><body><p>Not a feed</p></body></html>", "RSS/Atom"),
        (b"<?xml version='1.0'?><rss><channel><title>Broken", "RSS/Atom"),
    ],
)
def test_unreadable_feeds_are_errors_naming_the_source(data: bytes, reason: str) -> None:
    result = parse_feed(data, "https://x.example/feed")
    assert result.articles == []
    assert [e.path for e in result.errors] == ["https://x.example/feed"]
    assert reason in result.errors[0].error


@settings(max_examples=150, deadline=None)
@given(
    st.binary(max_size=1500)
    | st.builds(lambda b: RSS[: len(RSS) // 2] + b, st.binary(max_size=200))
)
def test_arbitrary_feed_bytes_never_raise(data: bytes) -> None:
    result = parse_feed(data, "feed")
    for article in result.articles:
        assert article.title and article.text
    for error in result.errors:
        assert error.path.startswith("feed") and error.error


# --- fetching -------------------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Start a one-route aiohttp server on 127.0.0.1:0 and return its URL."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_get("/feed", handler)
        runner = web.AppRunner(app, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}/feed"

    yield start
    for runner in runners:
        await runner.cleanup()


async def test_fetch_sends_user_agent_and_returns_validators(serve) -> None:
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(dict(request.headers))
        return web.Response(
            body=RSS, headers={"ETag": '"v1"', "Last-Modified": "Tue, 21 Oct 2025 18:00:00 GMT"}
        )

    url = await serve(handler)
    result = await fetch_feed(url)
    assert (result.status, result.data, result.not_modified) == (200, RSS, False)
    assert (result.etag, result.last_modified) == ('"v1"', "Tue, 21 Oct 2025 18:00:00 GMT")
    assert seen[0]["User-Agent"] == USER_AGENT == "newsbot/0.1 (+https://github.com/newsbot)"
    assert "If-None-Match" not in seen[0]


async def test_conditional_request_gets_not_modified(serve) -> None:
    async def handler(request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"' and request.headers.get(
            "If-Modified-Since"
        ):
            return web.Response(status=304)
        return web.Response(body=RSS, headers={"ETag": '"v1"'})

    url = await serve(handler)
    result = await fetch_feed(url, etag='"v1"', last_modified="Tue, 21 Oct 2025 18:00:00 GMT")
    assert (result.status, result.not_modified, result.data) == (304, True, None)
    assert result.etag == '"v1"'  # kept for the next poll


async def test_non_2xx_is_an_error_naming_url_and_status(serve) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=503, text="down")

    url = await serve(handler)
    with pytest.raises(FetchError) as info:
        await fetch_feed(url)
    assert url in info.value.reason and "HTTP 503" in info.value.reason


async def test_streamed_body_past_the_size_cap_is_refused(serve) -> None:
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()  # chunked: no Content-Length to trust
        await resp.prepare(request)
        for _ in range(64):
            await resp.write(b"x" * 4096)
        await resp.write_eof()
        return resp

    url = await serve(handler)
    with pytest.raises(FetchError, match="too large"):
        await fetch_feed(url, max_bytes=50_000)


async def test_slow_server_times_out(serve) -> None:
    never = asyncio.Event()

    async def handler(request: web.Request) -> web.Response:
        await never.wait()
        return web.Response(body=RSS)

    url = await serve(handler)
    try:
        with pytest.raises(FetchError, match="timed out"):
            await fetch_feed(url, total_timeout=0.05)
    finally:
        never.set()  # let the server shut down without waiting for the handler


async def test_unreachable_host_is_an_error_not_a_crash() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(FetchError, match=r"127\.0\.0\.1:9"):
            await fetch_feed("http://127.0.0.1:9/feed", session=session, total_timeout=2)


async def test_load_sources_mixes_files_and_feed_urls(serve, tmp_path: Path) -> None:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=ATOM)

    url = await serve(handler)
    article = tmp_path / "a.md"
    article.write_text(
        (FIXTURES / "markdown_article.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = await load_sources([str(article), url, url.replace("/feed", "/missing")])
    assert sorted(a.title for a in result.articles) == [
        "Acme’s robots learn to fold laundry & more",
        "Telescope spots water on distant moon",
    ]
    (error,) = result.errors
    assert error.path == url.replace("/feed", "/missing")
    assert error.error.startswith("HTTP 404")  # the URL is the path; not repeated in the reason
