"""``newsbot feeds import FILE.opml [--channel REF]`` and ``newsbot feeds export``.

OPML is how people move their subscriptions between feed readers (MonitoRSS, Feedly,
Slack's RSS app exports). Import files each feed under ``--channel`` (its new items
post there), or — without it — under the channel named by its OPML folder when that
folder is a channel reference (what ``export`` writes, so export → import restores
every feed to its channel), else as a global feed read into the catalog but posted
nowhere, like ``NEWSBOT_SOURCES``. Other folder names become the feed's topics.
Items already in an imported feed are not posted: its first poll only records them.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from adapters.base import ChannelRef
    from bot.settings import Settings

PLATFORMS = ("console", "slack", "discord")


def parse_channel(ref: str) -> ChannelRef:
    """``slack:T024BE7LD:C024BE91L`` → ChannelRef; a clear error otherwise."""
    from adapters.base import ChannelRef

    parts = ref.split(":", 2)
    if len(parts) != 3 or parts[0] not in PLATFORMS or not all(parts):
        raise click.BadParameter(
            f"{ref!r} is not a channel reference; write platform:workspace:channel, e.g. "
            "slack:T024BE7LD:C024BE91L, discord:<server id>:<channel id> or console:local:general",
            param_hint="--channel",
        )
    return ChannelRef(*parts)


def _folder_channel(categories: tuple[str, ...]) -> tuple[ChannelRef | None, list[str]]:
    """The channel a folder names (``export``'s layout), and the other folders as topics."""
    channel = None
    topics: list[str] = []
    for cat in categories:
        for part in cat.split("/"):
            try:
                channel = parse_channel(part)
            except click.BadParameter:
                topics.append(part)
    return channel, topics


@click.group("feeds")
def command() -> None:
    """Feeds added from chat: import and export OPML."""


async def _import(settings: Settings, data: bytes, name: str, channel: ChannelRef | None) -> str:
    from bot.commands._common import split_topics
    from bot.commands.registry import UsageError
    from bot.feeds.store import FeedStore
    from bot.storage import Storage
    from digests.ingest.opml import parse_opml
    from digests.ingest.urlguard import BlockedURL, check_host_literal

    outlines = parse_opml(data, name)
    storage = Storage(settings.database_url.get_secret_value())
    try:
        await storage.upgrade()
        store = FeedStore(storage)
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        added, already, refused, over = 0, 0, [], 0
        limit = settings.newsbot_feeds_per_workspace
        for o in outlines:
            target, folders = (channel, []) if channel else _folder_channel(o.categories)
            if channel:
                folders = [p for c in o.categories for p in c.split("/")]
            try:
                check_host_literal(o.url, allow_private=settings.newsbot_allow_private_urls)
            except BlockedURL as exc:
                refused.append(f"{o.url}: {exc}")
                continue
            if target is not None and (
                await store.count_in_workspace(target.platform, target.workspace) >= limit
            ):
                over += 1
                continue
            try:
                topics = split_topics(folders)
            except UsageError:
                topics = []
            feed = await store.add(target, o.url, title=o.title, topics=topics, now=now)
            if feed is None:
                already += 1
            else:
                added += 1
    finally:
        await storage.aclose()
    where = (
        f"into {channel}" if channel else "(each into the channel its folder names, else global)"
    )
    lines = [f"imported {added} of {len(outlines)} feeds from {name} {where}"]
    if already:
        lines.append(f"{already} were already there")
    if over:
        lines.append(f"{over} skipped: the workspace reached NEWSBOT_FEEDS_PER_WORKSPACE ({limit})")
    lines += [f"refused {r}" for r in refused]
    lines.append("they are read at the next poll; items already in them are not posted")
    return "\n".join(lines)


@command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--channel", "channel_ref", help="post new items here: platform:workspace:channel")
def import_(file: Path, channel_ref: str | None) -> None:
    """Add the feeds an OPML file lists."""
    from digests.ingest.opml import OPMLError

    from ._common import settings_or_exit

    channel = parse_channel(channel_ref) if channel_ref else None
    settings = settings_or_exit()
    try:
        click.echo(asyncio.run(_import(settings, file.read_bytes(), str(file), channel)))
    except OPMLError as exc:
        raise click.ClickException(str(exc)) from None


async def _export(settings: Settings, channel: ChannelRef | None) -> bytes:
    from bot.feeds.store import FeedStore
    from bot.storage import Storage
    from digests.ingest.opml import Outline, write_opml

    storage = Storage(settings.database_url.get_secret_value())
    try:
        await storage.upgrade()
        feeds = await FeedStore(storage).all()
    finally:
        await storage.aclose()
    groups: dict[str, list[Outline]] = {}
    for f in feeds:
        if channel is not None and f.channel != channel:
            continue
        key = "" if channel is not None or f.channel is None else str(f.channel)
        groups.setdefault(key, []).append(Outline(f.url, f.title))
    return write_opml(groups)


@command.command("export")
@click.option("--channel", "channel_ref", help="only this channel's feeds")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="file (default: stdout)"
)
def export(channel_ref: str | None, output: Path | None) -> None:
    """Write every feed (or one channel's) as OPML 2.0, one folder per channel."""
    from ._common import settings_or_exit

    channel = parse_channel(channel_ref) if channel_ref else None
    data = asyncio.run(_export(settings_or_exit(), channel))
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
