"""The polite fetcher, full text, feed discovery, OPML and word filters, against the fake
web on 127.0.0.1 (private URLs allowed only where a test says so)."""

from __future__ import annotations

import asyncio
import time

import pytest

from digests.filters import EXCLUDE, INCLUDE, WordFilter, matches, passes
from digests.ingest import parse_feed
from digests.ingest.discover import feed_links, looks_like_html
from digests.ingest.fetch import FetchError
from digests.ingest.fulltext import FullText, extract_page
from digests.ingest.opml import OPMLError, Outline, parse_opml, write_opml
from digests.ingest.web import FetchPolicy, WebClient
from tests.fakes.web import PAGES, FakeWeb, render_page

LOCAL = FetchPolicy(allow_private=True, host_delay=0, timeout=2.0, max_bytes=1024 * 1024)


@pytest.fixture
async def fake_web():
    async with FakeWeb(slow_seconds=5) as web:
        yield web


async def test_conditional_requests_make_an_unchanged_feed_a_304(fake_web: FakeWeb) -> None:
    url = fake_web.add_feed("news", "rss", ["ferry-electric", "library-robots"])
    async with WebClient(LOCAL) as client:
        first = await client.get(url)
        again = await client.get(url, etag=first.etag, last_modified=first.last_modified)
    assert first.status == 200 and first.data and first.etag
    assert again.not_modified and again.data is None
    assert any(ua.startswith("newsbot/") for ua in fake_web.user_agents)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/status/404", "HTTP 404 (not found; check the address)"),
        ("/status/500", "HTTP 500"),
        ("/slow", "timed out after 2 s"),
        ("/huge", "too large (more than the 1.0 MB limit)"),
        ("/loop", "too many redirects"),
    ],
)
async def test_hostile_answers_are_clear_errors(fake_web: FakeWeb, path: str, reason: str) -> None:
    async with WebClient(LOCAL) as client:
        with pytest.raises(FetchError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            await client.get(fake_web.url(path))
    if path == "/huge":  # streamed and dropped at the cap, not read to the end
        await asyncio.sleep(0.05)
        assert fake_web.huge_sent < 8 * 1024 * 1024
    if path == "/loop":
        assert fake_web.counts["/loop"] == LOCAL.max_redirects + 1


async def test_private_addresses_are_refused_without_connecting(fake_web: FakeWeb) -> None:
    url = fake_web.add_feed("news", "rss", ["ferry-electric"])
    async with WebClient(FetchPolicy(host_delay=0)) as client:
        with pytest.raises(FetchError, match="loopback address; set NEWSBOT_ALLOW_PRIVATE_URLS"):
            await client.get(url)
    assert fake_web.hits == []


async def test_name_resolving_to_a_private_address_is_refused_at_connect_time() -> None:
    """The connector's resolver refuses the address it was about to connect to (a stub
    answers 10.0.0.7 for the name), so no connection is attempted."""
    from tests.digests.test_urlguard import _StubResolver

    stub = _StubResolver({"feeds.example": ["10.0.0.7"]})
    async with WebClient(FetchPolicy(host_delay=0), resolver=stub) as client:
        with pytest.raises(FetchError, match=r"feeds.example \(10.0.0.7\) is a private address"):
            await client.get("http://feeds.example/rss")


async def test_per_host_concurrency_and_delay(fake_web: FakeWeb) -> None:
    url = fake_web.add_feed("news", "rss", ["ferry-electric"])
    policy = FetchPolicy(allow_private=True, host_delay=0.15, per_host=1)
    async with WebClient(policy) as client:
        start = time.monotonic()
        await asyncio.gather(*(client.get(url) for _ in range(4)))
        elapsed = time.monotonic() - start
    assert elapsed >= 0.45  # four starts, 0.15 s apart


async def test_full_text_replaces_the_teaser_with_the_page(fake_web: FakeWeb) -> None:
    url = fake_web.add_feed("news", "atom", ["ferry-electric", "tram-strike"])
    async with WebClient(LOCAL) as client:
        res = await client.get(url)
        feed = parse_feed(res.data or b"", url)
        full = FullText(client)
        items = [await full.enrich(a) for a in feed.articles]
        again = await full.enrich(feed.articles[0])
    ferry = next(a for a in items if "ferries" in a.title)
    assert "winter storm on open water" in ferry.text  # only on the page
    assert "Accept all cookies" not in ferry.text and "Related stories" not in ferry.text
    assert ferry.author == "Maren Okafor" and ferry.extra["full_text"] == "page"
    assert again.text == feed.articles[0].text or full.cache_hits == 1
    assert fake_web.counts["/robots.txt"] == 1  # once per host


async def test_full_text_falls_back_to_the_feed_text(fake_web: FakeWeb) -> None:
    url = fake_web.add_feed("news", "rss", ["ferry-electric"])
    feed_item = fake_web.feeds["news"].items[0]
    async with WebClient(LOCAL) as client:
        full = FullText(client)
        for link, why in [
            (fake_web.url("/gallery.html"), "no article text"),
            (fake_web.url("/status/404"), "HTTP 404"),
            (fake_web.url("/private-area/ferry-electric.html"), "robots.txt"),
        ]:
            feed_item.link = link
            res = await client.get(url)
            article = parse_feed(res.data or b"", url).articles[0]
            kept = await full.enrich(article)
            assert kept.text == article.text
            assert why in kept.extra["full_text_error"]
    assert "/private-area/ferry-electric.html" not in fake_web.hits


async def test_item_linking_to_loopback_keeps_feed_text_when_private_urls_are_off(
    fake_web: FakeWeb,
) -> None:
    """The feed is read from bytes; its item links to 127.0.0.1, which a bot with private
    URLs off must not fetch — and the fake web sees no request."""
    fake_web.add_feed("news", "rss", ["ferry-electric"])
    from tests.fakes.web import render_feed

    data = render_feed(fake_web.feeds["news"], fake_web.base).encode()
    article = parse_feed(data, "https://news.example/rss").articles[0]
    async with WebClient(FetchPolicy(host_delay=0)) as client:
        kept = await FullText(client).enrich(article)
    assert kept.text == article.text
    assert "loopback" in kept.extra["full_text_error"]
    assert fake_web.hits == []


def test_extract_page_reads_byline_date_and_quotes() -> None:
    page = extract_page(render_page(PAGES["bridge-delay"]), "https://news.example/a.html")
    assert page is not None
    assert page.author == "Colm Adeyemi" and page.published and page.published.day == 2
    assert "takings are down by a third" in page.text
    assert "Sign up for our free newsletter" not in page.text


def test_discovery_finds_advertised_feeds(fake_web: FakeWeb) -> None:
    from tests.fakes.web import HTML_HOME

    links = feed_links(HTML_HOME, "https://gazette.example/home.html")
    assert [(f.url, f.kind) for f in links] == [
        ("https://gazette.example/rss.xml", "RSS"),
        ("https://news.invalid/tech.atom", "Atom"),
    ]
    assert looks_like_html(HTML_HOME.encode())
    assert not looks_like_html(b'<?xml version="1.0"?><rss/>', "application/rss+xml")


def test_opml_round_trip_and_errors() -> None:
    data = write_opml(
        {
            "": [Outline("https://a.example/rss", "A & B news")],
            "slack:T1:C1": [Outline("https://c.example/atom", "C")],
        }
    )
    got = parse_opml(data)
    assert [(o.url, o.title) for o in got] == [
        ("https://a.example/rss", "A & B news"),
        ("https://c.example/atom", "C"),
    ]
    assert got[1].categories == ("slack:T1:C1",)
    with pytest.raises(OPMLError, match="lists no feeds"):
        parse_opml(b"<opml><body><outline text='folder'/></body></opml>", "x.opml")
    with pytest.raises(OPMLError, match="lists no feeds"):
        parse_opml(b"not xml at all", "x.opml")


def test_word_filters() -> None:
    assert matches("ai", "New AI rules") and matches("AI", "the ai's plan")
    assert not matches("ai", "Thailand said so")
    assert matches("machine learning", "Machine\n  Learning at scale")
    fs = [WordFilter(INCLUDE, "ferry"), WordFilter(INCLUDE, "tram"), WordFilter(EXCLUDE, "strike")]
    assert passes(fs, "Harbour ferry news", "")
    assert not passes(fs, "Tram drivers", "vote for a strike")
    assert not passes(fs, "Bridge repairs", "delayed")
    assert passes([], "anything", "")


async def test_robots_can_be_ignored_for_ones_own_sites(fake_web: FakeWeb) -> None:
    page = fake_web.url("/private-area/ferry-electric.html")
    own = FetchPolicy(allow_private=True, host_delay=0, robots_ignore=frozenset({"127.0.0.1"}))
    async with WebClient(own) as client:
        res = await client.get(page, check_robots=True)
    assert res.status == 200 and "/robots.txt" not in fake_web.hits
