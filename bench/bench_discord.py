"""Discord adapter benchmarks against the fake Discord (real discord.py, 127.0.0.1).

1. Interaction latency: N concurrent ``/news`` commands dispatched as INTERACTION_CREATE;
   time from dispatch to the interaction response (Discord's 3 s deadline) and to the
   answer. The adapter answers a quick core directly (response = answer, one request);
   a second run with ``defer_after=0`` shows the acknowledge-then-follow-up path that a
   core slower than 1.5 s takes.
2. Fan-out: one digest (header + S stories) to C channels with per-channel buckets of
   L messages per W seconds and a global limit of G requests/s. The lower bound is the
   time those limits force; the ratio total / lower bound should stay ≤ 1.2. Re-sending
   with the same idempotency keys must create no message (duplicates 0), both from the
   same process and from a restarted one (Discord's nonce).

Run: .venv/bin/python bench/bench_discord.py [--commands 200] [--channels 200]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import multiprocessing
import os
import statistics
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import ChannelRef, CommandRequest, Reply
from adapters.discord import DiscordAdapter, DiscordConfig
from tests.adapters.discord.conftest import make_digest
from tests.fakes.discord import TOKEN, FakeDiscord

GUILDS = 4


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


def config(fake: Any, **extra: Any) -> DiscordConfig:
    return DiscordConfig(
        token=TOKEN,
        api_url=fake.api_url,
        gateway_url=fake.gateway_url,
        guild_ready_timeout=0.01,
        topics_provider=lambda: ["ai", "climate"],
        **extra,
    )


async def _ignore(_: object) -> None:
    return None


class RemoteFake:
    """The fake Discord in its own process, as Discord is another machine: the bot's
    event loop then only pays for the bot's side. Driven over a pipe."""

    def __init__(self, **kwargs: object) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, kwargs), daemon=True)
        self._proc.start()
        self.api_url, self.gateway_url = self._conn.recv()

    async def call(self, *command: object) -> Any:
        self._conn.send(command)
        return await asyncio.get_running_loop().run_in_executor(None, self._conn.recv)

    def close(self) -> None:
        self._conn.send(("close",))
        self._proc.join(10)


def _latencies_ms(record: Any) -> tuple[float, float]:
    """Dispatch → interaction response, and dispatch → the answer itself (both set once answered)."""
    return (
        (record.first_callback_at - record.dispatched_at) * 1000,
        (record.answered_at - record.dispatched_at) * 1000,
    )


def _serve(conn: Connection, kwargs: dict[str, Any]) -> None:
    asyncio.run(_serve_async(conn, kwargs))


async def _serve_async(conn: Connection, kwargs: dict[str, Any]) -> None:
    logging.basicConfig(level=logging.ERROR)
    loop = asyncio.get_running_loop()
    async with FakeDiscord(**kwargs) as fake:
        conn.send((fake.api_url, fake.gateway_url))
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "close":
                return
            if command[0] == "connected":
                await fake.wait_until(lambda: fake.connected, within=30)
                conn.send(True)
            elif command[0] == "invoke":
                _, count, channels = command
                bursts = []
                for _burst in (
                    "cold",
                    "warm",
                ):  # warm: connections already open, as in a running bot
                    start = time.perf_counter()
                    records = await asyncio.gather(
                        *(
                            fake.invoke(
                                "topic",
                                {"query": f"topic {i}"},
                                channel_id=channels[i % len(channels)],
                                user_id=1000 + i,
                            )
                            for i in range(count)
                        )
                    )
                    await fake.wait_until(lambda: all(r.answered for r in records), within=60)  # noqa: B023
                    wall = time.perf_counter() - start
                    bursts.append((wall, [_latencies_ms(r) for r in records]))
                conn.send(bursts)
            elif command[0] == "stats":
                conn.send(
                    {
                        "messages": sum(len(c.messages) for c in fake.channels.values()),
                        "rate_limited": len(fake.rate_limited),
                        "violations": len(fake.violations),
                        "unsuppressed": len(fake.unsuppressed),
                        "nonce_hits": fake.nonce_hits,
                    }
                )


async def bench_interactions(commands: int, defer_after: float) -> None:
    channels = list(range(10_000, 10_000 + 20))
    fake = RemoteFake(guilds={1 << 22: channels})

    async def answer(request: CommandRequest) -> Reply:
        return Reply(text=f"Top stories on {request.text}")

    adapter = DiscordAdapter(config(fake, defer_after=defer_after), answer, _ignore)  # type: ignore[arg-type]
    try:
        await adapter.start()
        bursts = await fake.call("invoke", commands, channels)
    finally:
        await adapter.aclose()
        fake.close()
    mode = "answered directly" if defer_after else "deferred, then followed up (defer_after=0)"
    print(f"interactions: {commands} concurrent /news commands, {mode}")
    for name, (wall, latencies) in zip(("cold", "warm"), bursts, strict=True):
        ack = [a for a, _ in latencies]
        done = [d for _, d in latencies]
        print(f"  {name} burst, {wall * 1000:.0f} ms in all")
        print(
            f"    response     p50 {statistics.median(ack):6.1f} ms   p99 {percentile(ack, 0.99):6.1f} ms   max {max(ack):6.1f} ms"
            "   (Discord allows 3000 ms)"
        )
        print(
            f"    answer       p50 {statistics.median(done):6.1f} ms   p99 {percentile(done, 0.99):6.1f} ms   "
            f"max {max(done):6.1f} ms   (target p99 ≤ 100 ms)"
        )


async def bench_fanout(
    channels: int, stories: int, limit: int, window: float, global_limit: int
) -> None:
    per_guild = math.ceil(channels / GUILDS)
    ids = list(range(20_000, 20_000 + channels))
    guilds = {(g + 1) << 22: ids[g * per_guild : (g + 1) * per_guild] for g in range(GUILDS)}
    messages = stories + 1
    total_messages = channels * messages
    per_channel_bound = (math.ceil(messages / limit) - 1) * window
    global_bound = (math.ceil(total_messages / global_limit) - 1) * 1.0
    bound = max(per_channel_bound, global_bound)
    digest = make_digest(stories)
    fake = RemoteFake(
        guilds=guilds, channel_limit=limit, channel_window=window, global_limit=global_limit
    )
    adapter = DiscordAdapter(config(fake), _ignore, _ignore)  # type: ignore[arg-type]
    refs = [ChannelRef("discord", str(g), str(c)) for g, cs in guilds.items() for c in cs]
    try:
        await adapter.start()
        start = time.perf_counter()
        results = await asyncio.gather(
            *(
                adapter.send(ref, digest, idempotency_key=f"digest:{ref.channel}:slot-1")
                for ref in refs
            )
        )
        elapsed = time.perf_counter() - start
        first = await fake.call("stats")
        again = await asyncio.gather(
            *(
                adapter.send(ref, digest, idempotency_key=f"digest:{ref.channel}:slot-1")
                for ref in refs
            )
        )
        second = await fake.call("stats")
        await adapter.aclose()
        adapter = DiscordAdapter(config(fake), _ignore, _ignore)  # type: ignore[arg-type]  # a restart
        await adapter.start()
        restarted = await asyncio.gather(
            *(
                adapter.send(ref, digest, idempotency_key=f"digest:{ref.channel}:slot-1")
                for ref in refs
            )
        )
        third = await fake.call("stats")
    finally:
        await adapter.aclose()
        fake.close()
    duplicates = second["messages"] - total_messages
    duplicates_restarted = third["messages"] - total_messages
    same_ids = all(
        [p.message_id for p in a] == [p.message_id for p in b] == [p.message_id for p in c]
        for a, b, c in zip(results, again, restarted, strict=True)
    )
    print(
        f"fan-out: digest of {messages} messages to {channels} channels = {total_messages} messages "
        f"(bucket {limit}/{window:g}s per channel, global {global_limit}/s)"
    )
    print(
        f"  total {elapsed:.2f} s, lower bound {bound:.2f} s, ratio {elapsed / bound if bound else float('nan'):.2f} (target ≤ 1.2)"
    )
    print(
        f"  created {first['messages']}, 429s seen {first['rate_limited']}, limit violations {first['violations']}, "
        f"unsuppressed mentions {first['unsuppressed']}"
    )
    print(
        f"  re-send with the same keys: duplicates {duplicates} (same process, "
        f"{second['nonce_hits']} nonce hits); after a restart duplicates {duplicates_restarted} "
        f"({third['nonce_hits']} nonce hits); same message ids: {same_ids}"
    )


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} CPUs")
    await bench_interactions(args.commands, defer_after=1.5)
    await bench_interactions(args.commands, defer_after=0)
    await bench_fanout(args.channels, args.stories, args.limit, args.window, args.global_limit)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--stories", type=int, default=5)
    parser.add_argument("--limit", type=int, default=5, help="messages per channel bucket window")
    parser.add_argument("--window", type=float, default=2.0, help="channel bucket window, seconds")
    parser.add_argument(
        "--global-limit", type=int, default=1000, help="requests per second, all channels"
    )
    asyncio.run(main(parser.parse_args()))
