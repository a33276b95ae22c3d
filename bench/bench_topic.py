"""Benchmark: ``/news <topic>`` on a real corpus — latency, and whether the order means anything.

Ingests ``../shared/corpus/articles`` (and ``articles-more`` with ``--more``) into a
temporary SQLite bot, gives the channel some reactions (so the feedback boost is
computed, as in a channel in use), then answers ``/news <topic>`` for each query
``--runs`` times through the command handler, with

* ``baseline``: the handler as it was (rank every match by recency + outlets +
  feedback; kept here verbatim), and
* ``current``: ``bot.commands.topic`` as shipped,

interleaved in the same process. Prints p50/p95 per query and implementation, the
number of matches, and for the top stories how many of their articles carry the
topic and whether the topic word is in the title — the "is it about the topic" check.

    .venv/bin/python bench/bench_topic.py [--corpus ../shared/corpus/articles] [--more] [--runs 40]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import (
    ChannelRef,
    CommandRequest,
    PostedMessage,
    ReactionEvent,
    Reply,
)
from bot.commands._common import count_of
from bot.commands.context import CommandContext
from bot.commands.registry import UsageError
from bot.commands.topic import topic as current_topic
from digests.models import Story
from digests.topics import matches

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
QUERIES = ("ai", "climate", "security", "apple", "openai")
CHANNEL = ChannelRef("console", "bench", "general")


async def baseline_topic(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    """``bot/commands/topic.py`` before the relevance ranking, for comparison."""
    from digests.engine import rank

    query = " ".join(args).strip()
    if not query:
        raise UsageError("name a topic")
    found = await ctx.catalog.search(query)
    if not found:
        return Reply(text=f"No stories about “{query}” right now.")
    scores = await ctx.feedback(req.channel)
    ranked = rank(found, now=ctx.now(), boost=scores.boost)[: ctx.settings.newsbot_digest_size]
    found_n = count_of(len(found), "story", "stories")
    heading = found_n if len(ranked) == len(found) else f"Top {len(ranked)} of {found_n}"
    return Reply(text=f"{heading} on “{query}”:", stories=tuple(ranked))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def aboutness(stories: tuple[Story, ...], query: str) -> str:
    """``carrying/members`` and T (topic word in the title) for each shown story."""
    out = []
    for s in stories:
        carrying = sum(1 for a in s.articles if matches(a.tags, query))
        in_title = query.lower() in {w.lower() for w in re.findall(r"\w+", s.title)}
        out.append(f"{carrying}/{len(s.articles)}{'T' if in_title else ''}")
    return " ".join(out)


async def main(sources: list[str], runs: int) -> None:
    from bot.app import NewsBot
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{tmp}/bench.db",
            newsbot_sources=sources,
            newsbot_console_history="",
        )
        bot = NewsBot(settings)
        await bot.open()
        try:
            started = time.perf_counter()
            await bot.ingest()
            print(
                f"corpus: {', '.join(sources)}: {len(bot.catalog)} stories "
                f"(ingest {time.perf_counter() - started:.1f} s)"
            )
            await _react(bot)
            ctx = bot.ctx
            req = CommandRequest(channel=CHANNEL, user_id="u1", text="")
            print(f"{runs} runs per query and implementation, interleaved; ms")
            total: dict[str, list[float]] = {"baseline": [], "current": []}
            for query in QUERIES:
                times: dict[str, list[float]] = {"baseline": [], "current": []}
                replies: dict[str, Reply] = {}
                for _ in range(runs):
                    for name, handler in (("baseline", baseline_topic), ("current", current_topic)):
                        t0 = time.perf_counter()
                        replies[name] = await handler(ctx, req, [query])
                        times[name].append((time.perf_counter() - t0) * 1000)
                found = len(await ctx.catalog.search(query))
                print(f"/news {query}: {found} matching stories")
                for name in ("baseline", "current"):
                    t = times[name]
                    total[name] += t
                    print(
                        f"  {name:8} p50 {statistics.median(t):7.2f}  p95 {percentile(t, 0.95):7.2f}"
                        f"   top: {aboutness(replies[name].stories, query)}"
                    )
            for name, t in total.items():
                print(
                    f"all queries {name:8} p50 {statistics.median(t):7.2f}  p95 {percentile(t, 0.95):7.2f}"
                )
            print("top: articles carrying the topic / articles in the story, T = topic in title")
        finally:
            await bot.storage.aclose()


async def _react(bot: object) -> None:
    """A few reactions in the channel, so ranking computes a real feedback boost."""
    catalog = bot.catalog  # type: ignore[attr-defined]
    posted = [PostedMessage(CHANNEL, f"m{i}", s.id, 0) for i, s in enumerate(catalog.stories[:30])]
    for i, message in enumerate(posted):
        await bot.storage.record_posted([message], delivery_key=f"bench:{i}")  # type: ignore[attr-defined]
    for i in range(len(posted)):
        await bot.handle_reaction(  # type: ignore[attr-defined]
            ReactionEvent(CHANNEL, f"m{i}", f"u{i % 5}", "thumbsup", True, event_id=f"e{i}")
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(CORPUS / "articles"))
    parser.add_argument("--more", action="store_true", help="also read articles-more")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    chosen = [args.corpus] + ([str(CORPUS / "articles-more")] if args.more else [])
    asyncio.run(main(chosen, args.runs))
