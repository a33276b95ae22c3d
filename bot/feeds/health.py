"""What ``/news why`` and ``newsbot status`` say about feeds added from chat."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from .store import ChatFeed, FeedStore

if TYPE_CHECKING:
    from adapters.base import ChannelRef
    from bot.storage import Storage


def failing(feeds: list[ChatFeed], threshold: int) -> list[ChatFeed]:
    return [f for f in feeds if f.failures >= threshold]


def _when(value: datetime | None) -> str:
    return value.strftime("%a %d %b %H:%M UTC") if value else "never"


async def why_lines(storage: Storage, channel: ChannelRef, threshold: int) -> list[str]:
    """One line per failing feed of the channel (with the reason), or a one-line summary."""
    feeds = await FeedStore(storage).for_channel(channel)
    if not feeds:
        return []
    bad = failing(feeds, threshold)
    lines = [
        f"Feed failing: {f.name} — {f.last_error} ({f.failures} times in a row; last worked "
        f"{_when(f.last_ok)}; next try {_when(f.next_attempt)})."
        for f in bad
    ]
    paused = sum(f.paused for f in feeds)
    if not bad:
        lines.append(
            f"Feeds: {len(feeds)} added here, all reading fine"
            + (f" ({paused} paused)." if paused else ".")
        )
    return lines


async def status_rows(storage: Storage, threshold: int) -> list[dict[str, Any]]:
    """Every chat feed for ``newsbot status`` (``--json`` too)."""
    return [
        {
            "feed": f.url,
            "title": f.title,
            "channel": str(f.channel) if f.channel else None,
            "paused": f.paused,
            "last_fetched": f.last_fetched.isoformat() if f.last_fetched else None,
            "last_new_item": f.last_new_item.isoformat() if f.last_new_item else None,
            "failures": f.failures,
            "failing": f.failures >= threshold,
            "last_error": f.last_error,
            "next_attempt": f.next_attempt.isoformat() if f.next_attempt else None,
        }
        for f in await FeedStore(storage).all()
    ]
