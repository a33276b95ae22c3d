"""A fake web on 127.0.0.1: RSS 2.0, Atom and RDF feeds whose items link to article pages.

The pages are real-looking: a byline, a dateline, quotes, and the junk real sites
wrap around an article (navigation, a cookie banner, share buttons, a related-links
box, a footer). Hostile cases: a feed that is really an HTML page (advertising its
feeds with ``<link rel="alternate">``), 404, 500, a response slower than any timeout,
a 50 MB page (streamed), a redirect loop, a page with no main text, robots.txt
forbidding a folder. Feeds answer ETag / Last-Modified conditional requests with 304.

Tests change ``web.feeds[...]`` (the items) between polls and read ``web.hits`` (what
was requested, in order) to assert on the traffic the bot made.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from aiohttp import web


@dataclass
class Item:
    """One feed entry; ``slug`` names its page under /articles/ unless ``link`` is given."""

    slug: str
    title: str
    description: str
    published: datetime
    link: str | None = None
    author: str = ""


@dataclass
class Feed:
    kind: str  # rss | atom | rdf
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class Page:
    """An article page: paragraphs of the story proper, plus who wrote it and when."""

    title: str
    byline: str
    date: str
    paragraphs: tuple[str, ...]


CHROME_TOP = """<header class="site-header"><nav class="main-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/tech">Technology</a></li>
<li><a href="/business">Business</a></li><li><a href="/climate">Climate</a></li><li><a href="/subscribe">Subscribe</a></li>
</ul></nav><form class="search"><input name="q" placeholder="Search the Harbour Gazette"></form></header>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience and to show
personalised advertising. By continuing to browse you agree to our cookie policy.</p>
<button>Accept all cookies</button><button>Manage preferences</button></div>
<div class="breadcrumbs"><a href="/">Home</a> › <a href="/tech">Technology</a></div>"""

CHROME_BOTTOM = """<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a>
<a href="#">Email this story</a> <a href="#">Copy link</a></div>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a/1">Ten gadgets our editors loved this year</a></li>
<li><a href="/a/2">Opinion: why the harbour needs a new bridge, and soon</a></li>
<li><a href="/a/3">Weekend weather: showers clearing by Sunday afternoon</a></li>
</ul></aside>
<div class="newsletter"><h3>Get the morning briefing</h3><p>Sign up for our free newsletter and
never miss a story.</p><input placeholder="Your email"><button>Sign up</button></div>
<footer class="site-footer"><p>© 2026 Harbour Gazette Media Ltd. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/privacy">Privacy policy</a></li>
<li><a href="/terms">Terms of use</a></li><li><a href="/careers">Careers</a></li></ul></footer>"""


def render_page(page: Page) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in page.paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(page.title)} | Harbour Gazette</title>
<meta name="author" content="{escape(page.byline)}">
<meta property="article:published_time" content="{page.date}">
<link rel="alternate" type="application/rss+xml" title="Harbour Gazette" href="/rss.xml">
</head><body>{CHROME_TOP}
<main><article><h1>{escape(page.title)}</h1>
<p class="byline">By <span class="author">{escape(page.byline)}</span> · <time datetime="{page.date}">{page.date[:10]}</time></p>
{body}
</article></main>
{CHROME_BOTTOM}</body></html>"""


# Fictional articles written for these tests. Each lead is quote-free, so the key quotes
# (found further down) are the page's own words, never in the feed's one-line description.
PAGES: dict[str, Page] = {
    "ferry-electric": Page(
        "Harbour ferries switch to battery power next spring",
        "Maren Okafor",
        "2026-12-01T08:00:00+00:00",
        (
            "The city's four harbour ferries will run on batteries from next April, after the "
            "transport board approved a conversion contract worth 38 million euros on Monday.",
            "The ferries carry about nine thousand passengers a day between the old town and "
            "the northern islands, and currently burn marine diesel on every crossing.",
            "“Every crossing we electrify takes a lorry's worth of exhaust out of the harbour "
            "air each week,” said Ilse Brandvold, who chairs the transport board.",
            "Charging stations will be built at both ends of the route, drawing power from the "
            "regional grid overnight and topping up for ten minutes at each stop.",
            "Not everyone is convinced. “The batteries have never been tested in a winter "
            "storm on open water, and the crews know it,” said Tomas Reyes, a spokesman for "
            "the seafarers' union.",
            "The board said the first converted ferry would sail in trials from February.",
        ),
    ),
    "library-robots": Page(
        "Public library lends robots to schools for coding classes",
        "Priya Lindqvist",
        "2026-12-01T10:30:00+00:00",
        (
            "The central library has started lending small programmable robots to primary "
            "schools, with forty kits booked for the spring term already.",
            "Each kit holds six wheeled robots, a set of tablets and lesson plans written by "
            "teachers from three local schools.",
            "“Children who would never open a textbook on logic will spend an hour making a "
            "robot find its way out of a cardboard maze,” said Hanne Solberg, the library's "
            "head of learning.",
            "The scheme is paid for by a grant from the regional education fund and costs "
            "schools nothing beyond the time to collect the kits.",
            "“We expect demand to outstrip the kits we have by the summer,” Solberg said.",
        ),
    ),
    "bridge-delay": Page(
        "North bridge repairs delayed until autumn",
        "Colm Adeyemi",
        "2026-12-02T07:15:00+00:00",
        (
            "Repairs to the north bridge will not finish before the autumn, the roads "
            "department said on Tuesday, blaming a shortage of specialist steel.",
            "The bridge has been limited to one lane in each direction since cracks were "
            "found in two of its supports during an inspection in March.",
            "“We will not reopen a single lane until the engineers are certain it is safe, "
            "whatever that does to the timetable,” said Odile Marchetti, the department's "
            "chief engineer.",
            "Traders on the northern side say the closures have cost them customers. “Our "
            "takings are down by a third since the spring,” said Ravi Castellanos, who runs "
            "a bakery on the bridge approach.",
        ),
    ),
    "market-hall": Page(
        "Old market hall to reopen as a food court",
        "Maren Okafor",
        "2026-12-02T12:00:00+00:00",
        (
            "The old market hall, closed for six years, will reopen in June as a food court "
            "with thirty stalls, the city council confirmed on Wednesday.",
            "The restoration kept the hall's iron roof and tiled floor, which are protected "
            "as part of the old town's heritage listing.",
            "“We wanted a place where a fishmonger and a noodle stall can trade side by side "
            "under the same roof again,” said deputy mayor Jonas Whitfield.",
            "Stall rents will be capped for the first two years to help small traders.",
        ),
    ),
    "tram-strike": Page(
        "Tram drivers vote for strike over rosters",
        "Colm Adeyemi",
        "2026-12-03T09:00:00+00:00",
        (
            "Tram drivers have voted to strike for two days later this month in a dispute "
            "over new shift rosters, their union said on Thursday.",
            "The operator says the rosters are needed to run more trams in the evening.",
            "“Drivers are being asked to work split shifts that leave them no life outside "
            "the depot,” said Agnes Mbeki, the union's branch secretary.",
        ),
    ),
}

EMPTY_PAGE = f"""<!doctype html><html><head><title>Gallery</title></head><body>{CHROME_TOP}
<main><div class="gallery"><img src="/1.jpg"><img src="/2.jpg"><img src="/3.jpg"></div></main>
{CHROME_BOTTOM}</body></html>"""

HTML_HOME = """<!doctype html><html><head><title>Harbour Gazette</title>
<link rel="alternate" type="application/rss+xml" title="Harbour Gazette — all news" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" title="Technology" href="https://news.invalid/tech.atom">
<link rel="stylesheet" href="/style.css">
</head><body><h1>Harbour Gazette</h1><p>Today's news.</p></body></html>"""

ROBOTS = "User-agent: *\nDisallow: /private-area/\n"


def default_items(base: str, slugs: list[str], start: datetime) -> list[Item]:
    """Feed items for pages in :data:`PAGES`, with one-line descriptions (no quotes)."""
    items = []
    for i, slug in enumerate(slugs):
        page = PAGES[slug]
        items.append(
            Item(
                slug=slug,
                title=page.title,
                description=page.paragraphs[0].split(",")[0] + ".",
                published=start + timedelta(hours=i),
                author=page.byline,
            )
        )
    return items


def _link(base: str, item: Item) -> str:
    return item.link or f"{base}/articles/{item.slug}.html"


def render_feed(feed: Feed, base: str) -> str:
    items = sorted(feed.items, key=lambda i: i.published, reverse=True)
    if feed.kind == "atom":
        entries = "".join(
            f"""<entry><title>{escape(i.title)}</title><link href="{escape(_link(base, i))}"/>
<id>{escape(_link(base, i))}</id><updated>{i.published.isoformat()}</updated>
<author><name>{escape(i.author)}</name></author><summary>{escape(i.description)}</summary></entry>"""
            for i in items
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(feed.title)}</title>
<link href="{base}/"/><id>{base}/atom</id><updated>{datetime(2026, 12, 3, tzinfo=UTC).isoformat()}</updated>
{entries}</feed>"""
    if feed.kind == "rdf":
        seq = "".join(f'<rdf:li resource="{escape(_link(base, i))}"/>' for i in items)
        entries = "".join(
            f"""<item rdf:about="{escape(_link(base, i))}"><title>{escape(i.title)}</title>
<link>{escape(_link(base, i))}</link><description>{escape(i.description)}</description>
<dc:date>{i.published.isoformat()}</dc:date><dc:creator>{escape(i.author)}</dc:creator></item>"""
            for i in items
        )
        return f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{base}/rdf.xml"><title>{escape(feed.title)}</title><link>{base}/</link>
<description>{escape(feed.title)}</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>
{entries}</rdf:RDF>"""
    entries = "".join(
        f"""<item><title>{escape(i.title)}</title><link>{escape(_link(base, i))}</link>
<guid>{escape(_link(base, i))}</guid><pubDate>{format_datetime(i.published)}</pubDate>
<author>{escape(i.author)}</author><description>{escape(i.description)}</description></item>"""
        for i in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{escape(feed.title)}</title><link>{base}/</link>
<description>{escape(feed.title)}</description>{entries}</channel></rss>"""


class FakeWeb:
    """``async with FakeWeb() as web:`` serves on ``web.base`` (http://127.0.0.1:<port>)."""

    def __init__(self, *, slow_seconds: float = 30.0, huge_bytes: int = 50 * 1024 * 1024) -> None:
        self.feeds: dict[str, Feed] = {}
        self.pages: dict[str, str] = {slug: render_page(p) for slug, p in PAGES.items()}
        self.hits: list[str] = []
        self.slow_seconds = slow_seconds
        self.huge_bytes = huge_bytes
        self.huge_sent = 0
        self.user_agents: Counter[str] = Counter()
        self.base = ""
        self._runner: web.AppRunner | None = None

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.hits)

    async def __aenter__(self) -> FakeWeb:
        app = web.Application()
        app.router.add_get("/robots.txt", self._robots)
        app.router.add_get("/feeds/{name}", self._feed)
        app.router.add_get("/articles/{slug}.html", self._article)
        app.router.add_get("/private-area/{slug}.html", self._article)
        app.router.add_get("/home.html", self._static(HTML_HOME))
        app.router.add_get("/no-feeds.html", self._static("<html><body><p>Hello</p></body></html>"))
        app.router.add_get("/gallery.html", self._static(EMPTY_PAGE))
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/huge", self._huge)
        app.router.add_get("/loop", self._loop)
        app.router.add_get("/redirect-to-feed", self._redirect_to_feed)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return self.base + path

    def add_feed(self, name: str, kind: str, slugs: list[str], *, title: str = "") -> str:
        start = datetime(2026, 12, 1, 6, tzinfo=UTC)
        self.feeds[name] = Feed(
            kind, title or f"Harbour Gazette ({kind})", default_items(self.base, slugs, start)
        )
        return self.url(f"/feeds/{name}")

    def add_item(self, name: str, slug: str, *, when: datetime | None = None) -> None:
        page = PAGES[slug]
        feed = self.feeds[name]
        latest = max((i.published for i in feed.items), default=datetime(2026, 12, 1, tzinfo=UTC))
        feed.items.append(
            Item(
                slug,
                page.title,
                page.paragraphs[0].split(",")[0] + ".",
                when or latest + timedelta(hours=1),
                author=page.byline,
            )
        )

    def _record(self, request: web.Request) -> None:
        self.hits.append(request.path)
        self.user_agents[request.headers.get("User-Agent", "")] += 1

    async def _robots(self, request: web.Request) -> web.Response:
        self._record(request)
        return web.Response(text=ROBOTS, content_type="text/plain")

    async def _feed(self, request: web.Request) -> web.Response:
        self._record(request)
        feed = self.feeds.get(request.match_info["name"])
        if feed is None:
            return web.Response(status=404, text="no such feed")
        body = render_feed(feed, self.base).encode()
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        ctype = {"rss": "application/rss+xml", "atom": "application/atom+xml"}.get(
            feed.kind, "application/rdf+xml"
        )
        return web.Response(body=body, content_type=ctype, headers={"ETag": etag})

    async def _article(self, request: web.Request) -> web.Response:
        self._record(request)
        html = self.pages.get(request.match_info["slug"])
        if html is None:
            return web.Response(status=404, text="not found")
        return web.Response(text=html, content_type="text/html")

    def _static(self, html: str):
        async def handler(request: web.Request) -> web.Response:
            self._record(request)
            return web.Response(text=html, content_type="text/html")

        return handler

    async def _status(self, request: web.Request) -> web.Response:
        self._record(request)
        return web.Response(status=int(request.match_info["code"]), text="error")

    async def _slow(self, request: web.Request) -> web.Response:
        self._record(request)
        await asyncio.sleep(self.slow_seconds)
        return web.Response(text="too late")

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        """50 MB of HTML, streamed without a Content-Length (so only streaming can cap it)."""
        self._record(request)
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        chunk = b"<p>" + b"filler words " * 5000 + b"</p>\n"
        try:
            while self.huge_sent < self.huge_bytes:
                await resp.write(chunk)
                self.huge_sent += len(chunk)
        except (ConnectionResetError, ConnectionError):
            pass
        return resp

    async def _loop(self, request: web.Request) -> web.Response:
        self._record(request)
        raise web.HTTPFound("/loop")

    async def _redirect_to_feed(self, request: web.Request) -> web.Response:
        self._record(request)
        raise web.HTTPMovedPermanently("/feeds/" + request.query.get("to", "news"))
