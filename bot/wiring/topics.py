"""Known topics from the bot's story catalog, for completion in any adapter (cached)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from adapters.base import CommandHandler

TOPICS_TTL = 60.0  # completion runs per keystroke; recompute known topics at most once a minute


def catalog_topics(on_command: CommandHandler) -> Callable[[], Iterable[str]] | None:
    """Known topics from the catalog of the bot that owns ``on_command`` (cached), if any."""
    catalog = getattr(getattr(on_command, "__self__", None), "catalog", None)
    if catalog is None or not hasattr(catalog, "stories"):
        return None
    cache: dict[str, object] = {"at": float("-inf"), "topics": []}

    def provider() -> list[str]:
        now = time.monotonic()
        if now - float(cache["at"]) > TOPICS_TTL:  # type: ignore[arg-type]
            cache["topics"] = sorted({t for story in catalog.stories for t in story.topics})
            cache["at"] = now
        return cache["topics"]  # type: ignore[return-value]

    return provider
