"""Benchmark: one 6-message digest (header + 5 stories) fanned out to 200 Slack channels.

The fake Slack enforces 1 message/s per channel (429 + Retry-After otherwise), as
Slack does. The rate limit alone means a channel needs (6 - 1) × 1 s = 5 s, so the
lower bound for the whole fan-out is 5 s however many channels run concurrently.
Prints total time ÷ that bound (target ≤ 1.2), 429s seen and history look-ups
(0: the fan-out's keys are first attempts). Then a second slot's fan-out is
killed half-way, as if the process died, and a fresh adapter re-sends every
delivery with the same keys, checking history first: duplicates must be 0 and
every message of both slots must be in its channel.

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
        a = Article(
            id=f"story{i:03d}xyz",
            title=f"Bench story {i}: harbour expansion approved",
            text="x",
            url=f"https://example.org/{i}",
            source="example.org",
            published=datetime(2026, 11, 21, 8, i, tzinfo=UTC),
        )
        stories.append(
            Story(
                id=a.id,
                primary=a,
                summary="A summary sentence of moderate length. " * 4,
                quotes=(Quote("We are delighted with the outcome today", "Port chief", key=True),),
            )
        )
    return Digest(
        "Morning digest",
        tuple(stories),
        datetime(2026, 11, 20, tzinfo=UTC),
        datetime(2026, 11, 21, tzinfo=UTC),
    )


async def _ignore_command(request: CommandRequest) -> Reply:
    return Reply("unused")


async def _ignore_reaction(event: ReactionEvent) -> None:
    return None


def _adapter(fake: FakeSlack, interval: float) -> SlackAdapter:
    config = SlackConfig(bot_token=BOT_TOKEN, api_url=fake.api_url, min_interval=interval)
    return SlackAdapter(config, _ignore_command, _ignore_reaction)


async def _crash_midway(
    fake: FakeSlack, refs: list[ChannelRef], digest: Digest, interval: float, slot: str
) -> int:
    """Start a fan-out and kill it once about half its messages are in: the process died.

    Requests in flight at that moment may have been posted without the bot ever
    hearing the answer, which is exactly the window the history check must close.
    Returns how many of this fan-out's messages had landed.
    """
    adapter = _adapter(fake, interval)
    await adapter.start()
    expected = len(refs) * (len(digest.stories) + 1)

    def landed() -> int:
        return sum(
            1
            for r in refs
            for m in fake.posted(r.channel)
            if m["metadata"]["event_payload"]["key"].endswith(f"@{slot}")
        )

    tasks = [
        asyncio.create_task(
            adapter.send(r, digest, idempotency_key=f"{r.channel}@{slot}", first_attempt=True)
        )
        for r in refs
    ]
    try:
        await fake.wait_for(lambda: landed() >= expected // 2, within=60)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await adapter.aclose()
    return landed()


async def main(channels: int, stories: int, interval: float) -> int:
    digest = make_digest(stories)
    parts = stories + 1
    refs = [ChannelRef("slack", TEAM_ID, f"C{i:04d}") for i in range(channels)]
    async with FakeSlack(rate_interval=interval) as fake:
        # 1. a fresh scheduled fan-out: every key is new, so no history look-ups at all
        adapter = _adapter(fake, interval)
        await adapter.start()
        try:
            started = time.perf_counter()
            results = await asyncio.gather(
                *(
                    adapter.send(
                        r, digest, idempotency_key=f"{r.channel}@slot1", first_attempt=True
                    )
                    for r in refs
                ),
                return_exceptions=True,
            )
            total = time.perf_counter() - started
        finally:
            await adapter.aclose()
        failures = [r for r in results if isinstance(r, BaseException)]
        posted_first = sum(len(fake.posted(r.channel)) for r in refs)
        history_first, limited_first = fake.history_calls, fake.rate_limited

        # 2. the next slot's fan-out crashes half-way; a new process re-sends every
        #    claimed-but-unconfirmed delivery (first_attempt=False: look at history first)
        landed = await _crash_midway(fake, refs, digest, interval, "slot2")
        history_before = fake.history_calls
        adapter = _adapter(fake, interval)
        await adapter.start()
        try:
            again = time.perf_counter()
            await asyncio.gather(
                *(adapter.send(r, digest, idempotency_key=f"{r.channel}@slot2") for r in refs)
            )
            resend = time.perf_counter() - again
        finally:
            await adapter.aclose()
    keys = Counter(
        (r.channel, m["metadata"]["event_payload"]["key"], m["metadata"]["event_payload"]["part"])
        for r in refs
        for m in fake.posted(r.channel)
    )
    duplicates = sum(c - 1 for c in keys.values())
    complete = len(keys) == 2 * channels * parts
    bound = (parts - 1) * interval
    print(f"channels={channels} messages/channel={parts} rate=1 msg/{interval:g}s/channel")
    print(
        f"1. fan-out: {posted_first} posted (expected {channels * parts}), failed deliveries {len(failures)}, "
        f"conversations.history calls {history_first} (first attempts: must be 0), 429s {limited_first}"
    )
    print(
        f"   total {total:.2f}s; rate-limit lower bound {bound:.2f}s; ratio {total / bound:.3f} (target <= 1.2)"
    )
    print(
        f"2. crash after {landed} of {channels * parts} messages; re-send of all {channels} deliveries "
        f"took {resend:.2f}s with {fake.history_calls - history_before} history calls"
    )
    print(
        f"   every part of both slots in its channel: {complete}; duplicates {duplicates} (must be 0)"
    )
    ok = (
        not failures
        and duplicates == 0
        and complete
        and posted_first == channels * parts
        and history_first == 0
        and total / bound <= 1.2
    )
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--stories", type=int, default=5)
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds per message per channel"
    )
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.channels, args.stories, args.interval)))
