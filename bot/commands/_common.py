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


def count_of(n: int, one: str, many: str | None = None) -> str:
    """``1 story``, ``3 stories``: a count with its noun in the right number."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


MAX_TOPIC_CHARS = 60  # the database keeps up to 255; no real topic is this long
MAX_TOPICS = 25


# "AIs", "LLMs", "GPUs": an acronym with a plural s (too short for the plural folding
# topic matching does, which leaves words of three letters alone)
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")


def split_topics(args: list[str]) -> list[str]:
    """``ai, rust "machine learning"`` → normalised topics, in order, without repeats.

    Each argument is one topic (the dispatcher already grouped quoted words), so
    ``"machine learning"`` is ``machine-learning`` while ``machine learning`` is two.
    """
    from digests.topics import normalize_topic

    raw = [_ACRONYM_PLURAL.sub(r"\1", part) for arg in args for part in arg.split(",")]
    topics = list(dict.fromkeys(t for t in (normalize_topic(p) for p in raw) if t))
    for topic in topics:
        if len(topic) > MAX_TOPIC_CHARS:
            raise UsageError(
                f"topic {topic[:20]!r}… is too long; keep a topic under {MAX_TOPIC_CHARS} characters"
            )
    if len(topics) > MAX_TOPICS:
        raise UsageError(f"{len(topics)} topics at once is too many; name at most {MAX_TOPICS}")
    return topics


def fold_topics(topics: list[str], known: list[str]) -> list[str]:
    """Each topic in the form already in use: ``robot`` → ``robots`` when stories are tagged
    ``robots``, ``ais`` → ``ai``; so singular/plural spellings never make two subscriptions.

    ``known`` lists the forms to prefer, best first (the channel's topics, then the
    current stories' topics, then the keyword topics). Topics matching none stay as typed.
    """
    from digests.topics import matches

    def fold(topic: str) -> str:
        for form in known:
            if matches((form,), topic):
                return form
        if topic.endswith("s") and topic[:-1] in known:  # short plurals matching leaves alone
            return topic[:-1]
        return topic

    return list(dict.fromkeys(fold(t) for t in topics))
