"""What the bot does around an adapter's partial delivery, shared by the Slack and Discord
per-part tests (their database is the ``storage`` fixture in tests/adapters/conftest.py):
an ``on_posted`` that records each part at once (and can "die" after N parts), and the set
of parts recorded for a key."""

from __future__ import annotations

from adapters.base import PostedHandler, PostedMessage
from bot.storage import Storage


class Died(BaseException):
    """The process died right after this point."""


def recording(storage: Storage, key: str, *, die_after: int | None = None) -> PostedHandler:
    """The bot's ``on_posted``: record the part at once; optionally die after ``die_after`` parts."""
    seen: list[PostedMessage] = []

    async def on_posted(message: PostedMessage) -> None:
        await storage.record_posted([message], delivery_key=key)
        seen.append(message)
        if die_after is not None and len(seen) == die_after:
            raise Died

    return on_posted


async def recorded_parts(storage: Storage, key: str) -> frozenset[int]:
    return frozenset(m.part for m in await storage.posted_parts(key))
