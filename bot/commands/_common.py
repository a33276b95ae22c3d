"""Helpers shared by several subcommands (not a subcommand itself)."""

from __future__ import annotations

import re

from digests.models import Story

from .context import CommandContext
from .registry import UsageError

_REF = re.compile(r"^[0-9a-zA-Z_-]{2,64}$")


async def resolve_story(ctx: CommandContext, ref: str) -> Story:
    """The story a short ref names, or a UsageError saying what went wrong."""
    ref = ref.strip().strip("`[]#")
    if not _REF.match(ref):
        raise UsageError(f"{ref!r} is not a story ref (the 6-character code shown with each story)")
    found = ctx.catalog.by_ref(ref)
    if not found:
        raise UsageError(f"no current story has ref {ref!r}")
    if len(found) > 1:
        raise UsageError(f"ref {ref!r} matches {len(found)} stories; type more of it")
    return found[0]


MAX_TOPIC_CHARS = 60  # the database keeps up to 255; no real topic is this long
MAX_TOPICS = 25


def split_topics(args: list[str]) -> list[str]:
    """``ai, rust "machine learning"`` → normalised topics, in order, without repeats."""
    from digests.topics import normalize_topic

    raw = [part for arg in args for part in arg.split(",")]
    topics = list(dict.fromkeys(t for t in (normalize_topic(p) for p in raw) if t))
    for topic in topics:
        if len(topic) > MAX_TOPIC_CHARS:
            raise UsageError(f"topic {topic[:20]!r}… is too long; keep a topic under {MAX_TOPIC_CHARS} characters")
    if len(topics) > MAX_TOPICS:
        raise UsageError(f"{len(topics)} topics at once is too many; name at most {MAX_TOPICS}")
    return topics
