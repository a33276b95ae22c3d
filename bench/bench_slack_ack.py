"""Benchmark: 200 concurrent /news slash commands over Socket Mode — how fast is each acked?

Slack drops a command not acknowledged within 3 s. The fake Slack pushes 200
slash-command envelopes at once over the websocket and times each one until the
adapter's ack comes back; the command handler itself is deliberately slow
(``--handler-ms``, like a busy database) because ack must not wait for it.
Prints ack latency p50/p99/max (target p99 <= 100 ms) and checks every command
was answered through its response_url.

    .venv/bin/python bench/bench_slack_ack.py [--commands 200] [--handler-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.slack import SlackAdapter, SlackConfig
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, FakeSlack


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(commands: int, handler_ms: float) -> int:
    async def slow_handler(request: CommandRequest) -> Reply:
        await asyncio.sleep(handler_ms / 1000)  # the bench's stand-in for database + engine work
        return Reply(f"answer to {request.text}")

    async def ignore(event: ReactionEvent) -> None:
        return None

    async with FakeSlack() as fake:
        for i in range(commands):
            fake.add_user(f"U{i}")
        config = SlackConfig(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=fake.api_url)
        adapter = SlackAdapter(config, slow_handler, ignore)
        await adapter.start()
        try:
            await fake.wait_connected()
            started = time.perf_counter()
            envelopes = await asyncio.gather(*(
                fake.push("slash_commands", fake.command_payload(f"topic {i}", user_id=f"U{i}", channel_id=f"C{i % 20}"))
                for i in range(commands)
            ))
            await asyncio.wait_for(asyncio.gather(*(e.acked for e in envelopes)), 10)
            acked_all = time.perf_counter() - started
            await fake.wait_for(lambda: len(fake.responses) >= commands, within=30)
            answered_all = time.perf_counter() - started
        finally:
            await adapter.aclose()
    latencies = [e.ack_latency * 1000 for e in envelopes if e.ack_latency is not None]
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    print(f"commands={commands} handler={handler_ms:g}ms (Socket Mode, real slack_bolt + slack_sdk)")
    print(f"ack latency ms: p50 {p50:.1f}  p99 {p99:.1f}  max {max(latencies):.1f}  mean {statistics.mean(latencies):.1f}"
          "  (target p99 <= 100; Slack's limit 3000)")
    print(f"all {len(latencies)} acked after {acked_all * 1000:.0f} ms; all {len(fake.responses)} answered "
          f"through response_url after {answered_all * 1000:.0f} ms")
    return 0 if len(latencies) == commands and p99 <= 100 and len(fake.responses) >= commands else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--handler-ms", type=float, default=200.0)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.commands, args.handler_ms)))
