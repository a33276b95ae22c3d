"""Benchmark: 200 chat feeds × 50 items on a fake web, polled by ``ChatFeeds``.

The fake web runs in a child process (so the CPU figures are the bot's alone) on
127.0.0.1: 200 RSS feeds of 50 items each, every item linking to its own article
page. Items and pages are derived from ``../shared/corpus/articles`` and
``articles-more`` (read in place): the feed item carries the article's title and a
one-sentence teaser; its page wraps the article's paragraphs in a real site's junk
(navigation, cookie banner, share bar, related links, newsletter box, footer).

Printed, each measured in this run:

* first poll (200 feeds imported: every feed fetched and parsed, its 50 items
  recorded as seen — no page fetched, old items are not posted): wall, CPU, requests;
* steady-state poll (nothing changed): conditional requests make it 200 × 304;
* a poll after one new item in each feed: 200 feeds + 200 pages fetched, extracted;
* peak RSS;
* per page: trafilatura extraction (``extract_page``) vs the plain cleaner
  (``digests.clean.clean_html``) on the same pages — what full text costs in CPU.

    .venv/bin/python bench/bench_feeds.py [--feeds 200] [--items 50] [--offset 0]

``--offset`` shifts which corpus articles are used: run it with another value to
check the figures on an independent set.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CORPUS = Path(os.environ.get("NEWSBOT_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_articles(offset: int) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every readable corpus article, rotated by ``offset``."""
    from digests.ingest import parse_file

    out = []
    for folder in ("articles", "articles-more"):
        for path in sorted((CORPUS / folder).glob("*.md")):
            try:
                a = parse_file(str(path))
            except Exception:
                continue
            paras = [p for p in a.text.split("\n\n") if p.strip()]
            if len(paras) >= 3:
                out.append((a.title, paras))
    if not out:
        sys.exit(f"no corpus articles under {CORPUS} (set NEWSBOT_CORPUS)")
    offset %= len(out)
    return out[offset:] + out[:offset]


def page_html(title: str, paras: list[str], n: int) -> bytes:
    from tests.fakes.web import Page, render_page

    page = Page(
        title,
        f"Staff writer {n % 97}",
        "2026-12-01T08:00:00+00:00",
        tuple(escape(p) for p in paras),
    )
    return render_page(page).encode()


def feed_xml(base: str, feed: int, items: list[tuple[int, str, str]]) -> bytes:
    start = datetime(2026, 12, 1, tzinfo=UTC)
    entries = "".join(
        f"<item><title>{escape(title)}</title><link>{base}/p/{n}.html</link>"
        f"<guid>{base}/p/{n}.html</guid><pubDate>{format_datetime(start + timedelta(minutes=n))}</pubDate>"
        f"<description>{escape(teaser)}</description></item>"
        for n, title, teaser in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"<link>{base}/</link><description>bench</description>{entries}</channel></rss>"
    ).encode()


def serve(conn: Any, n_feeds: int, n_items: int, offset: int) -> None:
    """The fake web, in its own process: feeds and pages pre-rendered, ETag answered."""
    import hashlib

    from aiohttp import web

    arts = corpus_articles(offset)
    feeds: dict[int, list[tuple[int, str, str]]] = {}
    pages: dict[int, tuple[str, list[str]]] = {}
    n = 0
    for f in range(n_feeds + 1):
        feeds[f] = []
        for _ in range(n_items):
            title, paras = arts[n % len(arts)]
            title = f"{title} ({n // len(arts)})" if n >= len(arts) else title
            feeds[f].append((n, title, paras[0].split(". ")[0][:200] + "."))
            pages[n] = (title, paras)
            n += 1
    rendered: dict[int, tuple[bytes, str]] = {}
    hits = {"feed": 0, "feed304": 0, "page": 0, "robots": 0}
    base_holder: list[str] = []

    def render(f: int) -> tuple[bytes, str]:
        if f not in rendered:
            body = feed_xml(base_holder[0], f, feeds[f][-n_items:])
            rendered[f] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
        return rendered[f]

    async def feed(request: web.Request) -> web.Response:
        f = int(request.match_info["f"])
        body, etag = render(f)
        if request.headers.get("If-None-Match") == etag:
            hits["feed304"] += 1
            return web.Response(status=304, headers={"ETag": etag})
        hits["feed"] += 1
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def page(request: web.Request) -> web.Response:
        hits["page"] += 1
        title, paras = pages[int(request.match_info["n"])]
        return web.Response(body=page_html(title, paras, 1), content_type="text/html")

    async def robots(request: web.Request) -> web.Response:
        hits["robots"] += 1
        return web.Response(text="User-agent: *\nDisallow: /private/\n")

    async def control(request: web.Request) -> web.Response:
        cmd = request.match_info["cmd"]
        if cmd == "one-new-each":  # one more item per feed (its oldest drops out)
            nonlocal n
            for f in range(n_feeds):
                title, paras = arts[n % len(arts)]
                feeds[f].append((n, f"{title} (new {n})", paras[0].split(". ")[0][:200] + "."))
                pages[n] = (title, paras)
                n += 1
            rendered.clear()
        out = dict(hits)
        if cmd == "reset":
            for k in hits:
                hits[k] = 0
        return web.json_response(out)

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/f/{f}.xml", feed)
        app.router.add_get("/p/{n}.html", page)
        app.router.add_get("/robots.txt", robots)
        app.router.add_get("/control/{cmd}", control)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        base_holder.append(f"http://127.0.0.1:{port}")
        conn.send(base_holder[0])
        await asyncio.Event().wait()

    asyncio.run(main())


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


async def bench(args: argparse.Namespace) -> None:
    import aiohttp

    from adapters.base import ChannelRef
    from bot.feeds.runner import ChatFeeds
    from bot.feeds.store import FeedStore
    from bot.settings import Settings
    from bot.storage import Storage

    parent, child = mp.Pipe()
    server = mp.Process(
        target=serve, args=(child, args.feeds, args.items, args.offset), daemon=True
    )
    server.start()
    base = parent.recv()
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-feeds-"))
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp / 'bench.db'}",
        newsbot_allow_private_urls=True,  # the fake web is on 127.0.0.1
        newsbot_fetch_delay=0,  # one host serves all 200 feeds here; real feeds are spread out
        newsbot_poll_interval=60,
    )
    now = [datetime(2026, 12, 3, tzinfo=UTC)]
    storage = Storage(settings.database_url.get_secret_value())
    await storage.upgrade()
    store = FeedStore(storage)
    for f in range(args.feeds):
        channel = ChannelRef("slack", "T1", f"C{f % 20}")
        await store.add(channel, f"{base}/f/{f}.xml", title=f"Feed {f}", now=now[0])
    chat = ChatFeeds(storage, settings, clock=lambda: now[0])

    async with aiohttp.ClientSession() as http:

        async def control(cmd: str) -> dict:
            async with http.get(f"{base}/control/{cmd}") as resp:
                return await resp.json()

        async def poll(label: str) -> None:
            await control("reset")
            before = chat.web.requests
            cpu0, wall0 = time.process_time(), time.perf_counter()
            articles = await chat.poll(now[0])
            wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
            hits = await control("stats")
            enriched = sum(1 for a in articles if a.extra.get("full_text") == "page")
            print(
                f"{label:<34} wall {wall:6.2f} s  CPU {cpu:6.2f} s  requests {chat.web.requests - before:5d} "
                f"(feeds 200: {hits['feed']}, 304: {hits['feed304']}, pages: {hits['page']}, "
                f"robots: {hits['robots']})  articles out {len(articles)} (full text {enriched})  "
                f"RSS {rss_mb():.0f} MB"
            )
            now[0] += timedelta(minutes=2)

        print(f"{args.feeds} feeds × {args.items} items, fake web in a child process at {base}")
        await poll(f"first poll (record {args.items} items each)")
        await poll("steady state (nothing new)")
        await control("one-new-each")
        await poll("one new item per feed (+ pages)")
        await poll("steady state again")

    await chat.aclose()
    await storage.aclose()
    server.kill()
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def extraction_cost(args: argparse.Namespace) -> None:
    """Per page, in this process: trafilatura vs the plain cleaner, same pages."""
    from digests.clean import clean_html
    from digests.ingest.fulltext import extract_page

    arts = corpus_articles(args.offset)[: args.pages]
    pages = [page_html(t, p, i).decode() for i, (t, p) in enumerate(arts)]
    extract_page(pages[0], "https://news.example/warm-up")  # first-use set-up
    t0 = time.process_time()
    got = [extract_page(p, f"https://news.example/{i}.html") for i, p in enumerate(pages)]
    t_extract = (time.process_time() - t0) / len(pages)
    t0 = time.process_time()
    for p in pages:
        clean_html(p)
    t_clean = (time.process_time() - t0) / len(pages)
    kept = sum(1 for g in got if g is not None)
    markers = (
        "Ten gadgets our editors loved",
        "never miss a story",
        "Share on Facebook",
        "cookies",
    )
    junk = sum(1 for g in got if g is not None and any(m in g.text for m in markers))
    junk_plain = sum(1 for p in pages if any(m in clean_html(p) for m in markers))
    avg_kb = sum(len(p) for p in pages) / len(pages) / 1024
    print(
        f"per page ({len(pages)} pages, {avg_kb:.0f} KB avg): trafilatura {t_extract * 1000:.1f} ms CPU, "
        f"plain clean_html {t_clean * 1000:.1f} ms CPU (ratio {t_extract / t_clean:.1f}×); "
        f"main text found on {kept}; pages with nav/cookie/related/newsletter junk left: {junk} (plain cleaner: {junk_plain})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--pages", type=int, default=300, help="pages for the per-page cost")
    parser.add_argument("--offset", type=int, default=0, help="rotate the corpus (second set)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    import trafilatura  # noqa: F401

    print(f"importing trafilatura: {time.perf_counter() - t0:.2f} s (once per process)")
    asyncio.run(bench(args))
    extraction_cost(args)


if __name__ == "__main__":
    main()
