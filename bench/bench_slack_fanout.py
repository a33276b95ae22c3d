"""Benchmark: one 6-message digest (header + 5 stories) fanned out to 200 Slack channels.

The fake Slack enforces 1 message/s per channel (429 + Retry-After otherwise), as
Slack does. The rate limit alone means a channel needs (6 - 1) × 1 s = 5 s, so the
lower bound for the whole fan-out is 5 s however many channels run concurrently.
Prints total time ÷ that bound (target ≤ 1.2), 429s seen, and duplicates after a
second, crash-recovery-style re-send of every delivery with the same keys (must be 0).

    .venv/bin/python bench/bench_slack_fanout.py [--channels 200] [--stories 5]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import ChannelRef, CommandRequest, ReactionEvent, Reply
from adapters.slack import SlackAdapter, SlackConfig
from digests.models import Article, Digest, Quote, Story
from tests.fakes.slack import BOT_TOKEN, TEAM_ID, FakeSlack


def make_digest(n: int) -> Digest:
    stories = []
    for i in range(n):
        a = Article(id=f"story{i:03d}xyz", title=f"Bench story {i}: harbour expansion approved",
                    text="x", url=f"https://example.org/{i}", source="example.org",
                    published=datetime(2026, 11, 21, 8, i, tzinfo=UTC))
        stories.append(Story(id=a.id, primary=a, summary="A summary sentence of moderate length. " * 4,
                             quotes=(Quote("We are delighted with the outcome today", "Port chief", key=True),)))
    return Digest("Morning digest", tuple(stories), datetime(2026, 11, 20, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC))


async def _ignore_command(request: CommandRequest) -> Reply:
    return Reply("unused")


async def _ignore_reaction(event: ReactionEvent) -> None:
    return None


async def main(channels: int, stories: int, interval: float) -> int:
    digest = make_digest(stories)
    parts = stories + 1
    async with FakeSlack(rate_interval=interval) as fake:
        config = SlackConfig(bot_token=BOT_TOKEN, api_url=fake.api_url, min_interval=interval)
        adapter = SlackAdapter(config, _ignore_command, _ignore_reaction)
        await adapter.start()
        refs = [ChannelRef("slack", TEAM_ID, f"C{i:04d}") for i in range(channels)]
        try:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(adapter.send(ref, digest, idempotency_key=f"{ref.channel}@slot1") for ref in refs),
                return_exceptions=True,
            )
            total = time.perf_counter() - started
            failures = [r for r in results if isinstance(r, BaseException)]
            posted_first = sum(len(fake.posted(ref.channel)) for ref in refs)
            # crash recovery: every delivery is sent again with the same key
            again = time.perf_counter()
            await asyncio.gather(*(adapter.send(ref, digest, idempotency_key=f"{ref.channel}@slot1") for ref in refs))
            resend = time.perf_counter() - again
        finally:
            await adapter.aclose()
    keys = Counter(
        (ref.channel, m["metadata"]["event_payload"]["part"]) for ref in refs for m in fake.posted(ref.channel)
    )
    duplicates = sum(c - 1 for c in keys.values())
    bound = (parts - 1) * interval
    print(f"channels={channels} messages/channel={parts} rate=1 msg/{interval:g}s/channel")
    print(f"messages posted: {posted_first} (expected {channels * parts}); failed deliveries: {len(failures)}")
    print(f"total {total:.2f}s; rate-limit lower bound {bound:.2f}s; ratio {total / bound:.3f} (target <= 1.2)")
    print(f"429 responses from the fake: {fake.rate_limited}")
    print(f"re-send of all {channels} deliveries with the same keys: {resend:.2f}s, "
          f"new posts {sum(keys.values()) - posted_first}, duplicates {duplicates} (must be 0)")
    ok = not failures and duplicates == 0 and posted_first == channels * parts and total / bound <= 1.2
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--stories", type=int, default=5)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds per message per channel")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.channels, args.stories, args.interval)))
