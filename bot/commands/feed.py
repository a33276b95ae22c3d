"""``/news feed add|list|remove|pause|resume``: the channel's own RSS/Atom feeds.

What MonitoRSS and Slack's RSS app users reach for first. A feed added here is read
with the operator's sources on every poll, and its new items are posted to this
channel once each (items already in the feed when it was added are not: they are
old news). Adding checks the feed by fetching it once, so a mistyped URL, a page
that is not a feed or a feed that is too big is an answer now, not a silent
failure later; given a web page, the reply lists the feeds the page advertises.
"""

from __future__ import annotations

from datetime import datetime

from adapters.base import ChannelRef, CommandRequest, Reply
from bot.feeds.reader import NotAFeed, as_feed_items, read_feed
from bot.feeds.runner import policy_from
from bot.feeds.store import ChatFeed, FeedStore
from digests.ingest.fetch import FetchError
from digests.ingest.urlguard import BlockedURL, check_url
from digests.ingest.web import WebClient

from ._common import split_topics
from .context import CommandContext
from .registry import UsageError, command

PREVIEW_ITEMS = 3
VERBS = ("add", "list", "remove", "pause", "resume")


def _ago(when: datetime | None, now: datetime) -> str:
    if when is None:
        return "never"
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds // 60} min ago"
    if seconds < 36 * 3600:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def _teaser(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _denied(ctx: CommandContext, req: CommandRequest, what: str) -> Reply | None:
    if ctx.may_change_settings(req):
        return None
    return Reply(
        text=(
            f"Only channel admins can {what} here (or user ids listed in NEWSBOT_ADMINS; yours "
            f"is {req.user_id}). `/news feed list` is open to all."
        ),
        error=True,
    )


async def resolve_feed(store: FeedStore, channel: ChannelRef, ref: str) -> ChatFeed:
    """The channel's feed named by its number in ``/news feed list`` or by its URL."""
    feeds = await store.for_channel(channel)
    if not feeds:
        raise UsageError("this channel has no feeds; add one with `/news feed add <url>`")
    ref = ref.strip().strip("<>")
    if ref.lstrip("#").isdigit():
        n = int(ref.lstrip("#"))
        if 1 <= n <= len(feeds):
            return feeds[n - 1]
        raise UsageError(f"no feed number {n} here; `/news feed list` numbers them 1–{len(feeds)}")
    for feed in feeds:
        if feed.url.rstrip("/") == ref.rstrip("/"):
            return feed
    raise UsageError(f"this channel has no feed {ref}; `/news feed list` shows its feeds")


async def feed_add(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if not args:
        raise UsageError("give the feed's address, e.g. `/news feed add https://example.com/rss`")
    url, topics = args[0].strip("<>"), split_topics(args[1:])
    settings = ctx.settings
    store = FeedStore(ctx.storage)
    limit = settings.newsbot_feeds_per_workspace
    if await store.count_in_workspace(req.channel.platform, req.channel.workspace) >= limit:
        return Reply(
            text=f"This workspace already has {limit} feeds, the most it may have "
            "(NEWSBOT_FEEDS_PER_WORKSPACE); remove one with `/news feed remove <n>` first.",
            error=True,
        )
    try:
        await check_url(url, allow_private=settings.newsbot_allow_private_urls)
    except BlockedURL as exc:
        return Reply(text=f"Cannot add {url}: {exc}.", error=True)
    async with WebClient(policy_from(settings)) as web:
        try:
            read = await read_feed(web, url, want_title=True)
        except FetchError as exc:
            return Reply(text=f"Cannot add {url}: {str(exc).replace(f'{url}: ', '')}.", error=True)
        except NotAFeed as exc:
            text = f"Cannot add {url}: {exc.reason}"
            if exc.alternates:
                text += ":\n" + "\n".join(
                    f"• `/news feed add {a.url}` — {a.title or a.kind} ({a.kind})"
                    for a in exc.alternates[:10]
                )
            else:
                text += ". Look for an RSS or Atom link on the site and add that."
            return Reply(text=text, error=True)
    items = as_feed_items(read.articles, url, tuple(topics))
    feed = await store.add(
        req.channel,
        url,
        title=read.title,
        topics=topics,
        added_by=req.user_id,
        now=ctx.now(),
        item_ids=[a.id for a in items],
        etag=read.etag,
        last_modified=read.last_modified,
    )
    if feed is None:
        return Reply(text=f"This channel already has {url}; `/news feed list` shows it.")
    n = len(await store.for_channel(req.channel))
    latest = sorted(
        items, key=lambda a: (a.published is not None, a.published or ctx.now()), reverse=True
    )[:PREVIEW_ITEMS]
    lines = [
        f"Added feed {n}: {read.title or url} ({url})"
        + (f", tagged {', '.join(topics)}" if topics else "")
        + f". New items will be posted here; the {len(items)} it holds now are not."
    ]
    if latest:
        lines.append(f"Its latest {len(latest)}, as they would look:")
        lines += [f"• {a.title} — {_teaser(a.text)}" for a in latest]
    else:
        lines.append("It has no items yet.")
    lines.append("`/news filter add include <words>` narrows what is posted.")
    return Reply(text="\n".join(lines), ephemeral=False)


async def feed_list(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`feed list` takes no arguments")
    feeds = await FeedStore(ctx.storage).for_channel(req.channel)
    if not feeds:
        return Reply(text="This channel has no feeds. Add one: `/news feed add <url>`.")
    now = ctx.now()
    lines = [
        f"This channel's feeds ({len(feeds)}; a workspace may have {ctx.settings.newsbot_feeds_per_workspace}):"
    ]
    for n, f in enumerate(feeds, start=1):
        state = " [paused]" if f.paused else ""
        health = f"failures {f.failures}"
        if f.failures:
            health += f" ({f.last_error})"
        lines.append(
            f"{n}. {f.name}{state} — {f.url} · last fetched {_ago(f.last_fetched, now)} · "
            f"last new item {_ago(f.last_new_item, now)} · {health}"
        )
    return Reply(text="\n".join(lines))


async def feed_remove(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if len(args) != 1:
        raise UsageError("name one feed: `/news feed remove 2` or its URL")
    store = FeedStore(ctx.storage)
    feed = await resolve_feed(store, req.channel, args[0])
    await store.remove(feed.id)
    return Reply(
        text=f"Removed feed {feed.name} ({feed.url}); nothing more from it will post here.",
        ephemeral=False,
    )


async def feed_pause(
    ctx: CommandContext, req: CommandRequest, args: list[str], *, paused: bool
) -> Reply:
    verb = "pause" if paused else "resume"
    if len(args) != 1:
        raise UsageError(f"name one feed: `/news feed {verb} 2` or its URL")
    store = FeedStore(ctx.storage)
    feed = await resolve_feed(store, req.channel, args[0])
    if feed.paused == paused:
        return Reply(text=f"Feed {feed.name} is already {'paused' if paused else 'running'}.")
    values: dict[str, object] = {"paused": paused}
    if not paused:
        values["next_attempt"] = None  # read it at the next poll
    await store.update(feed.id, **values)
    text = (
        f"Paused feed {feed.name}; `/news feed resume {feed.url}` starts it again."
        if paused
        else f"Resumed feed {feed.name}; it is read at the next poll."
    )
    return Reply(text=text, ephemeral=False)


@command(
    "feed",
    usage="/news feed add <url> [topic...] | list | remove <n|url> | pause <n|url> | resume <n|url>",
    summary=(
        "this channel's own RSS/Atom feeds, new items posted here (at most 200 per workspace, "
        "or NEWSBOT_FEEDS_PER_WORKSPACE; add/remove/pause/resume: channel admins)"
    ),
    examples=("/news feed add https://example.com/rss ai", "/news feed list"),
    order=30,
)
async def feed(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if not args or args[0].lower() not in VERBS:
        raise UsageError("say what to do: " + ", ".join(VERBS))
    verb, rest = args[0].lower(), args[1:]
    if verb == "list":
        return await feed_list(ctx, req, rest)
    denied = _denied(ctx, req, f"use `/news feed {verb}`")
    if denied is not None:
        return denied
    if verb == "add":
        return await feed_add(ctx, req, rest)
    if verb == "remove":
        return await feed_remove(ctx, req, rest)
    return await feed_pause(ctx, req, rest, paused=verb == "pause")
