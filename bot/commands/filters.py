"""``/news filter add include|exclude <words or "phrase">``, ``list``, ``remove <n>``.

Word filters on what this channel's feeds post (see :mod:`digests.filters` for the
rules: case-insensitive, whole words, title and summary; an item posts when it
matches any include filter — if there are any — and no exclude filter). A filter
applies to all the channel's feeds, or to one with ``--feed <n|url>``.
"""

from __future__ import annotations

from adapters.base import CommandRequest, Reply
from bot.feeds.store import FeedStore
from digests.filters import EXCLUDE, INCLUDE

from .context import CommandContext
from .feed import _denied, resolve_feed
from .registry import UsageError, command

MAX_FILTERS = 50
MAX_PHRASE = 100
RULES = (
    "Filters ignore case and match whole words in the title and summary; an item is posted "
    "when it matches an include filter (if there are any) and no exclude filter."
)


def _take_feed_option(args: list[str]) -> tuple[list[str], str | None]:
    if "--feed" not in args:
        return args, None
    i = args.index("--feed")
    if i + 1 >= len(args):
        raise UsageError("`--feed` needs a feed number or URL")
    return args[:i] + args[i + 2 :], args[i + 1]


async def filter_add(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    args, feed_ref = _take_feed_option(args)
    if len(args) < 2 or args[0].lower() not in (INCLUDE, EXCLUDE):
        raise UsageError(
            'say include or exclude, then the words: `/news filter add exclude "sponsored post"`'
        )
    mode = args[0].lower()
    phrases = [" ".join(a.split()) for a in args[1:] if a.strip()]
    if any(len(p) > MAX_PHRASE for p in phrases):
        raise UsageError(f"keep each filter under {MAX_PHRASE} characters")
    store = FeedStore(ctx.storage)
    feed = await resolve_feed(store, req.channel, feed_ref) if feed_ref else None
    cid = await ctx.storage.channel_id(req.channel)
    existing = await store.filters(cid)
    if len(existing) + len(phrases) > MAX_FILTERS:
        raise UsageError(f"a channel may have at most {MAX_FILTERS} filters")
    have = {(f.filter.mode, f.filter.phrase.lower(), f.feed_id) for f in existing}
    added = []
    for phrase in phrases:
        key = (mode, phrase.lower(), feed.id if feed else None)
        if key not in have:
            await store.add_filter(req.channel, mode, phrase, feed_id=key[2], now=ctx.now())
            have.add(key)
            added.append(f'"{phrase}"')
    where = f"feed {feed.name}" if feed else "this channel's feeds"
    if not added:
        return Reply(text=f"Those {mode} filters are already set on {where}.")
    return Reply(
        text=f"Added {mode} filter {', '.join(added)} on {where}. {RULES}", ephemeral=False
    )


async def filter_list(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`filter list` takes no arguments")
    store = FeedStore(ctx.storage)
    cid = await ctx.storage.channel_id(req.channel)
    filters = await store.filters(cid)
    if not filters:
        return Reply(
            text="No filters: every new item of this channel's feeds is posted. "
            '`/news filter add include ai "machine learning"` narrows them.'
        )
    feeds = {f.id: n for n, f in enumerate(await store.for_channel(req.channel), start=1)}
    lines = ["This channel's filters:"]
    for n, f in enumerate(filters, start=1):
        scope = f" (feed {feeds.get(f.feed_id, '?')})" if f.feed_id else ""
        lines.append(f'{n}. {f.filter.mode} "{f.filter.phrase}"{scope}')
    lines.append(RULES)
    return Reply(text="\n".join(lines))


async def filter_remove(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if len(args) != 1 or not args[0].lstrip("#").isdigit():
        raise UsageError(
            "name the filter's number from `/news filter list`, e.g. `/news filter remove 2`"
        )
    store = FeedStore(ctx.storage)
    filters = await store.filters(await ctx.storage.channel_id(req.channel))
    n = int(args[0].lstrip("#"))
    if not 1 <= n <= len(filters):
        raise UsageError(f"no filter number {n}; `/news filter list` shows {len(filters)}")
    gone = filters[n - 1]
    await store.remove_filter(gone.id)
    return Reply(
        text=f'Removed the {gone.filter.mode} filter "{gone.filter.phrase}".', ephemeral=False
    )


@command(
    "filter",
    usage='/news filter add include|exclude <words or "phrase"> [--feed <n>] | list | remove <n>',
    summary="words that decide which feed items post here (whole words, any case; add/remove: channel admins)",
    examples=('/news filter add exclude "sponsored post"', "/news filter list"),
    order=31,
)
async def filter_(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    verbs = ("add", "list", "remove")
    if not args or args[0].lower() not in verbs:
        raise UsageError("say what to do: add, list or remove")
    verb, rest = args[0].lower(), args[1:]
    if verb == "list":
        return await filter_list(ctx, req, rest)
    denied = _denied(ctx, req, f"use `/news filter {verb}`")
    if denied is not None:
        return denied
    if verb == "add":
        return await filter_add(ctx, req, rest)
    return await filter_remove(ctx, req, rest)
