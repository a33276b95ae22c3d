"""The poller: a watched folder that changes under it, and feeds that fail and recover."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.poller import Poller, PollResult, backoff
from bot.storage.sources import FAILING_AFTER
from digests.models import Article

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class CountingParser:
    """Stands in for digests.ingest.parse_file: records which files were parsed."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, path: str) -> Article:
        self.calls.append(os.path.basename(path))
        text = Path(path).read_text(encoding="utf-8")
        if text.startswith("BROKEN"):
            raise ValueError("no title line")
        return Article(id=os.path.basename(path), title=text.splitlines()[0], text=text, path=path)


def stored_scan(poller: Poller) -> PollResult:
    """One scan whose articles the store then took (a file counts as seen only once stored)."""
    result = poller.scan_files()
    poller.confirm()
    return result


async def stored_feeds(poller: Poller) -> PollResult:
    """One feed poll whose entries the store then took."""
    result = await poller.poll_feeds()
    poller.confirm()
    return result


def write(path: Path, text: str, *, mtime: int | None = None) -> None:
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, ns=(mtime, mtime))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "sub").mkdir()
    for i in range(5):
        write(tmp_path / "news" / f"a{i}.md", f"Title {i}\n\nbody", mtime=1_000_000_000 * (i + 1))
    write(tmp_path / "news" / "sub" / "b.txt", "Nested\n\nbody")
    write(tmp_path / "news" / "notes.json", "{}")  # not an article file
    (tmp_path / "news" / ".hidden").mkdir()
    write(tmp_path / "news" / ".hidden" / "c.md", "Hidden\n\nbody")
    return tmp_path / "news"


def test_folder_changing_under_the_poller(folder: Path) -> None:
    parse = CountingParser()
    poller = Poller([str(folder)], clock=Clock(), parse_file=parse)

    first = stored_scan(poller)
    assert sorted(parse.calls) == ["a0.md", "a1.md", "a2.md", "a3.md", "a4.md", "b.txt"]
    assert len(first.articles) == 6 and first.deleted == []

    parse.calls.clear()
    again = stored_scan(poller)
    assert parse.calls == [] and again.articles == [] and again.deleted == []

    # edit one file in place keeping its size (only mtime moves), grow another,
    # delete one, add one, and add a broken one
    write(folder / "a1.md", "Title X\n\nbody", mtime=9_000_000_000)
    write(folder / "a2.md", "Title 2\n\nbody, longer now", mtime=3_000_000_000)
    (folder / "a3.md").unlink()
    write(folder / "sub" / "new.md", "Fresh\n\nbody")
    write(folder / "bad.md", "BROKEN")
    third = stored_scan(poller)
    assert sorted(parse.calls) == ["a1.md", "a2.md", "bad.md", "new.md"]
    assert sorted(a.title for a in third.articles) == ["Fresh", "Title 2", "Title X"]
    assert third.deleted == [os.path.realpath(folder / "a3.md")]
    assert [(Path(e.path).name, e.error) for e in third.errors] == [("bad.md", "no title line")]
    assert poller.statuses()[0].items == 7

    parse.calls.clear()
    assert stored_scan(poller).articles == [] and parse.calls == []


def test_deleting_everything_is_noticed(folder: Path) -> None:
    poller = Poller([str(folder)], clock=Clock(), parse_file=CountingParser())
    stored_scan(poller)
    for p in folder.rglob("*"):
        if p.is_file():
            p.unlink()
    assert len(stored_scan(poller).deleted) == 6


def test_globs_and_single_files(folder: Path) -> None:
    parse = CountingParser()
    poller = Poller(
        [str(folder / "a*.md"), str(folder / "sub" / "b.txt")], clock=Clock(), parse_file=parse
    )
    assert len(stored_scan(poller).articles) == 6
    assert [s.kind for s in poller.statuses()] == ["glob", "file"]


def test_missing_folder_is_reported_not_dropped(tmp_path: Path) -> None:
    clock = Clock()
    poller = Poller([str(tmp_path / "nope")], clock=clock, parse_file=CountingParser())
    for _ in range(FAILING_AFTER):
        result = stored_scan(poller)
    assert "does not exist" in result.errors[0].error
    [status] = poller.failing()
    assert status.source == str(tmp_path / "nope") and status.failures == FAILING_AFTER
    (tmp_path / "nope").mkdir()
    stored_scan(poller)
    assert poller.failing() == [] and poller.statuses()[0].last_error is None


# --- feeds -------------------------------------------------------------------------


@dataclass
class FakeFetch:
    """A feed server's answers, one per call; records the conditional headers sent."""

    answers: list[object]
    calls: list[dict[str, str | None]]

    async def __call__(
        self,
        url: str,
        *,
        session: object = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> object:
        self.calls.append({"etag": etag, "last_modified": last_modified})
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class Fetched:
    url: str = "https://feeds.example.org/rss"
    status: int = 200
    data: bytes | None = b"<rss/>"
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


@dataclass
class Parsed:
    articles: list[Article]
    errors: list[object]


def feed_parser(*titles: str):
    def parse(data: bytes, source: str) -> Parsed:
        assert source.startswith("https://")
        return Parsed([Article(id=t.lower(), title=t, text=t, source=source) for t in titles], [])

    return parse


async def test_feed_conditional_requests_and_only_new_entries() -> None:
    fetch = FakeFetch(
        [
            Fetched(etag='"v1"', last_modified="Sun, 01 Mar 2026 12:00:00 GMT"),
            Fetched(status=304, data=None, not_modified=True),
            Fetched(etag='"v2"'),
        ],
        [],
    )
    clock = Clock()
    poller = Poller(
        ["https://www.feeds.example.org/rss"],
        clock=clock,
        interval=60,
        fetch_feed=fetch,
        parse_feed=feed_parser("One", "Two"),
    )
    first = await stored_feeds(poller)
    assert [a.title for a in first.articles] == ["One", "Two"]

    assert (await stored_feeds(poller)).articles == []  # not due yet: no request at all
    assert len(fetch.calls) == 1

    clock.now += timedelta(seconds=60)
    assert (await stored_feeds(poller)).articles == []  # 304
    assert fetch.calls[1] == {"etag": '"v1"', "last_modified": "Sun, 01 Mar 2026 12:00:00 GMT"}

    clock.now += timedelta(seconds=60)
    poller.feeds[0].parse = feed_parser("One", "Two", "Three")
    assert [a.title for a in (await stored_feeds(poller)).articles] == ["Three"]
    assert fetch.calls[2]["etag"] == '"v1"'  # a 304 keeps the validators we had


async def test_failing_feed_backs_off_is_reported_and_recovers() -> None:
    fetch = FakeFetch(
        [
            ConnectionRefusedError("connection refused"),
            Fetched(status=503, data=None),
            TimeoutError(),
            Fetched(),
        ],
        [],
    )
    clock = Clock()
    poller = Poller(
        ["https://feeds.example.org/rss"],
        clock=clock,
        interval=60,
        fetch_feed=fetch,
        parse_feed=feed_parser("One"),
    )
    waits = []
    for _ in range(3):
        result = await stored_feeds(poller)
        assert result.errors and result.articles == []
        status = poller.statuses()[0]
        waits.append(status.next_attempt - clock.now)
        assert (await stored_feeds(poller)).errors == []  # backing off: not asked again yet
        clock.now = status.next_attempt
    assert waits == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    [failing] = poller.failing()
    assert failing.last_error == "TimeoutError" and failing.failures == 3
    assert (await stored_feeds(poller)).articles[0].title == "One"
    assert poller.failing() == []


def test_backoff_is_capped() -> None:
    assert backoff(300, 1) == timedelta(minutes=5)
    assert backoff(300, 30) == timedelta(hours=1)


async def test_poll_once_combines_files_and_feeds(folder: Path) -> None:
    fetch = FakeFetch([Fetched()], [])
    poller = Poller(
        [str(folder), "https://feeds.example.org/rss"],
        clock=Clock(),
        interval=60,
        parse_file=CountingParser(),
        fetch_feed=fetch,
        parse_feed=feed_parser("One"),
    )
    result = await poller.poll_once()
    assert len(result.articles) == 7


# --- a real feed server on 127.0.0.1, read with digests.ingest.fetch_feed ---------------

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>
<link>https://feeds.example.org/</link>{items}</channel></rss>"""
ITEM = """<item><title>{title}</title><link>https://feeds.example.org/{slug}</link>
<pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate><description>{title}. Body text.</description></item>"""


async def test_real_feed_server_conditional_get_and_outage() -> None:
    from aiohttp import web

    state = {"items": ["First story"], "down": False, "requests": []}

    async def feed(request: web.Request) -> web.Response:
        etag = f'"v{len(state["items"])}"'
        state["requests"].append(request.headers.get("If-None-Match"))
        if state["down"]:
            return web.Response(status=500)
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        items = "".join(
            ITEM.format(title=t, slug=t.lower().replace(" ", "-")) for t in state["items"]
        )
        return web.Response(
            body=RSS.format(items=items).encode(),
            headers={"ETag": etag},
            content_type="application/rss+xml",
        )

    app = web.Application()
    app.router.add_get("/rss", feed)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        clock = Clock()
        poller = Poller([f"http://127.0.0.1:{port}/rss"], clock=clock, interval=60)
        assert [a.title for a in (await stored_feeds(poller)).articles] == ["First story"]
        clock.now += timedelta(seconds=60)
        assert (await stored_feeds(poller)).articles == []  # 304 Not Modified
        state["items"].append("Second story")
        clock.now += timedelta(seconds=60)
        assert [a.title for a in (await stored_feeds(poller)).articles] == ["Second story"]
        assert state["requests"] == [None, '"v1"', '"v1"']

        state["down"] = True
        for _ in range(FAILING_AFTER):
            clock.now = poller.statuses()[0].next_attempt or clock.now
            assert (await stored_feeds(poller)).errors
        [failing] = poller.failing()
        assert "500" in (failing.last_error or "")
    finally:
        await runner.cleanup()


async def test_a_feed_url_with_credentials_is_never_shown_or_logged_with_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = "https://reader:hunter2@feeds.example.org/rss?tag=ai&access_token=s3cr3t"
    fetch = FakeFetch([ConnectionRefusedError(f"cannot connect to {url}")] * FAILING_AFTER, [])
    clock = Clock()
    poller = Poller(
        [url], clock=clock, interval=60, fetch_feed=fetch, parse_feed=feed_parser("One")
    )
    for _ in range(FAILING_AFTER):
        result = await stored_feeds(poller)
        clock.now = poller.statuses()[0].next_attempt or clock.now
    [failing] = poller.failing()
    shown = f"{failing.source} {failing.last_error} {result.errors} {caplog.text}"
    assert "hunter2" not in shown and "s3cr3t" not in shown
    assert failing.source == "https://reader:***@feeds.example.org/rss?tag=ai&access_token=***"
    assert fetch.calls and poller.feeds[0].url == url  # the real URL is still what is fetched


def test_priming_after_start_up_ingest_still_reads_files_edited_during_it(folder: Path) -> None:
    # the fixture's a*.md files are old (2001-2005); b.txt and this edit are from just now
    write(folder / "a2.md", "Title 2, edited while the start-up ingest ran\n\nbody")
    parse = CountingParser()
    poller = Poller([str(folder)], clock=Clock(), parse_file=parse)
    poller.prime(recent=timedelta(minutes=10))
    assert poller.statuses()[0].items == 4  # the old, untouched files are taken as ingested
    first = stored_scan(poller)
    assert sorted(parse.calls) == ["a2.md", "b.txt"]
    assert "Title 2, edited while the start-up ingest ran" in [a.title for a in first.articles]
    parse.calls.clear()
    assert stored_scan(poller).articles == [] and parse.calls == []


async def test_feed_entries_not_stored_are_fetched_again_without_a_conditional_request() -> None:
    fetch = FakeFetch([Fetched(etag='"v1"'), Fetched(etag='"v1"')], [])
    clock = Clock()
    poller = Poller(
        ["https://feeds.example.org/rss"],
        clock=clock,
        interval=60,
        fetch_feed=fetch,
        parse_feed=feed_parser("One", "Two"),
    )
    first = await poller.poll_feeds()
    assert [a.title for a in first.articles] == ["One", "Two"]
    poller.store_failed("OSError: No space left on device")
    [status] = poller.statuses()
    assert status.storing_failed and "2 new or changed entries" in (status.last_error or "")

    clock.now += timedelta(seconds=60)
    again = await stored_feeds(poller)
    assert fetch.calls[1] == {"etag": None, "last_modified": None}  # a 304 would hide them
    assert [a.title for a in again.articles] == ["One", "Two"]
