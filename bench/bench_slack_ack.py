"""Benchmark: 200 concurrent /news slash commands — how fast is each acked?

Slack drops a command not acknowledged within 3 s. In Socket Mode the fake Slack
pushes 200 slash-command envelopes at once over the websocket and times each one
until the adapter's ack comes back. In HTTP mode 200 signed requests are POSTed
at once to the adapter's aiohttp endpoint, as Slack's servers would, and each is
timed until its HTTP response (the ack). The command handler itself is
deliberately slow (``--handler-ms``, like a busy database) because the ack must
not wait for it. Prints ack latency p50/p99/max (target p99 <= 100 ms) and checks
every command was answered through its response_url.

HTTP mode is measured twice in the same run: ``http`` as shipped (the adapter acks a
signed command before bolt dispatches it) and ``http-bolt``, the baseline, where the
200 is bolt's own answer after its middleware and listener runner (as before).

    .venv/bin/python bench/bench_slack_ack.py [--mode socket|http|both] [--commands 200] [--handler-ms 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.slack import SlackAdapter, SlackConfig
from tests.fakes.slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack, sign


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _socket_acks(fake: FakeSlack, commands: int) -> list[float]:
    """Push every envelope at once; ms from push to the app's ack on the websocket."""
    await fake.wait_connected()
    envelopes = await asyncio.gather(
        *(
            fake.push(
                "slash_commands",
                fake.command_payload(f"topic {i}", user_id=f"U{i}", channel_id=f"C{i % 20}"),
            )
            for i in range(commands)
        )
    )
    await asyncio.wait_for(asyncio.gather(*(e.acked for e in envelopes)), 10)
    return [e.ack_latency * 1000 for e in envelopes if e.ack_latency is not None]


async def _http_acks(fake: FakeSlack, adapter: SlackAdapter, commands: int) -> list[float]:
    """POST every signed command at once; ms from sending to the 200 (Slack's ack)."""
    url = f"http://127.0.0.1:{adapter.http_port}{adapter.config.http_path}"
    bodies = [
        fake.form(fake.command_payload(f"topic {i}", user_id=f"U{i}", channel_id=f"C{i % 20}"))
        for i in range(commands)
    ]

    async def one(session: aiohttp.ClientSession, body: str) -> float:
        ts = int(time.time())
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts),
        }
        started = time.perf_counter()
        async with session.post(url, data=body, headers=headers) as response:
            await response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} from the adapter")
        return (time.perf_counter() - started) * 1000

    # Slack's servers open many connections; so do we (no pool limit)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        return list(await asyncio.gather(*(one(session, b) for b in bodies)))


class BoltAckAdapter(SlackAdapter):
    """The baseline: every HTTP request answered by bolt's dispatch (no early ack)."""

    def _is_our_command(self, body: object) -> bool:
        return False


async def run(mode: str, commands: int, handler_ms: float) -> bool:
    async def slow_handler(request: CommandRequest) -> Reply:
        await asyncio.sleep(handler_ms / 1000)  # the bench's stand-in for database + engine work
        return Reply(f"answer to {request.text}")

    async def ignore(event: ReactionEvent) -> None:
        return None

    async with FakeSlack() as fake:
        for i in range(commands):
            fake.add_user(f"U{i}")
        if mode == "socket":
            config = SlackConfig(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=fake.api_url)
        else:
            config = SlackConfig(
                bot_token=BOT_TOKEN,
                signing_secret=SIGNING_SECRET,
                api_url=fake.api_url,
                http_host="127.0.0.1",
                http_port=0,
            )
        kind = BoltAckAdapter if mode == "http-bolt" else SlackAdapter
        adapter = kind(config, slow_handler, ignore)
        await adapter.start()
        try:
            started = time.perf_counter()
            if mode == "socket":
                latencies = await _socket_acks(fake, commands)
            else:
                latencies = await _http_acks(fake, adapter, commands)
            acked_all = time.perf_counter() - started
            await fake.wait_for(lambda: len(fake.responses) >= commands, within=30)
            answered_all = time.perf_counter() - started
        finally:
            await adapter.aclose()
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    transport = {
        "socket": "Socket Mode",
        "http": "HTTP mode, signed requests",
        "http-bolt": "HTTP mode, signed requests, baseline: acked by bolt's dispatch",
    }[mode]
    print(
        f"[{mode}] commands={commands} handler={handler_ms:g}ms ({transport}, real slack_bolt + slack_sdk)"
    )
    print(
        f"[{mode}] ack latency ms: p50 {p50:.1f}  p99 {p99:.1f}  max {max(latencies):.1f}  "
        f"mean {statistics.mean(latencies):.1f}  (target p99 <= 100; Slack's limit 3000)"
    )
    print(
        f"[{mode}] all {len(latencies)} acked after {acked_all * 1000:.0f} ms; all {len(fake.responses)} answered "
        f"through response_url after {answered_all * 1000:.0f} ms"
    )
    target_met = p99 <= 100 or mode == "http-bolt"  # the baseline is shown, not held to it
    return len(latencies) == commands and target_met and len(fake.responses) >= commands


async def main(mode: str, commands: int, handler_ms: float) -> int:
    modes = ["socket", "http-bolt", "http"] if mode == "both" else [mode]
    if mode == "http":
        modes = ["http-bolt", "http"]
    results = [await run(m, commands, handler_ms) for m in modes]
    return 0 if all(results) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["socket", "http", "both"], default="both")
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument("--handler-ms", type=float, default=200.0)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(main(args.mode, args.commands, args.handler_ms)))
