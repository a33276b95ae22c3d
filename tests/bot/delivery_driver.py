"""A small bot process for the crash and PostgreSQL race tests (run with ``python -m``).

It runs the real delivery loop (poller → scheduler → outbox) on a fixed clock with
a recording adapter that appends each post to a shared file and fsyncs it, so the
test can count posts made by a process it SIGKILLed. Like Discord with a nonce,
the adapter answers a re-send of a key it has already posted with the existing
message instead of posting again; it says so on stdout (``resend <key> first=0|1``,
where ``first`` is the ``first_attempt`` flag the outbox passed), and the test
reports how often that happened.

    python -m tests.bot.delivery_driver --db URL --log FILE --news DIR --now ISO
        [--setup N [--alerts]] [--lease 60] [--worker NAME] [--idempotent/--no-idempotent]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import sys
import time
from datetime import datetime, timedelta

from adapters.base import ChannelRef, PostedMessage
from bot.catalog import Catalog
from bot.commands import CommandContext
from bot.outbox import CLAIMED, PENDING, Outbox
from bot.poller import Poller
from bot.scheduler import DeliveryLoop
from bot.settings import load_settings
from bot.storage import Storage
from bot.storage.delivery_store import DeliveryStore
from digests.models import Digest, Story


class FileAdapter:
    """Appends ``channel<TAB>key<TAB>worker`` per post to a shared file, fsynced, under a lock."""

    name = "console"

    def __init__(self, path: str, worker: str, *, idempotent: bool, delay: float = 0.0) -> None:
        self.path = path
        self.worker = worker
        self.idempotent = idempotent
        self.delay = delay

    async def start(self) -> None: ...

    async def aclose(self) -> None: ...

    def _append(self, channel: ChannelRef, key: str) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            if self.idempotent:
                with open(self.path, encoding="utf-8") as fh:
                    if any(line.split("\t")[1] == key for line in fh if "\t" in line):
                        return False
            os.write(fd, f"{channel}\t{key}\t{self.worker}\n".encode())
            os.fsync(fd)
            return True
        finally:
            os.close(fd)  # releases the lock

    async def send(
        self,
        channel: ChannelRef,
        content: Digest | Story,
        *,
        idempotency_key: str,
        first_attempt: bool = False,
        skip_parts: frozenset[int] = frozenset(),
        on_posted: object = None,
    ) -> list[PostedMessage]:
        # posts the whole content each time; the bot records its parts when send returns
        await asyncio.sleep(self.delay)
        posted = await asyncio.to_thread(self._append, channel, idempotency_key)
        print(
            ("posted " if posted else "resend ") + f"{idempotency_key} first={int(first_attempt)}",
            flush=True,
        )
        stories = content.stories if isinstance(content, Digest) else (content,)
        return [PostedMessage(channel, f"{idempotency_key}#h")] + [
            PostedMessage(channel, f"{idempotency_key}#{s.id}", s.id) for s in stories
        ]


async def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--schema", default=None)
    ap.add_argument("--log", required=True)
    ap.add_argument("--news", required=True)
    ap.add_argument("--now", required=True)
    ap.add_argument("--setup", type=int, default=0, help="create this many scheduled channels")
    ap.add_argument(
        "--alerts", action="store_true", help="with --setup: odd channels also get AI alerts"
    )
    ap.add_argument("--lease", type=float, default=60)
    ap.add_argument("--worker", default=f"w{os.getpid()}")
    ap.add_argument("--idempotent", action=argparse.BooleanOptionalAction, default=True)
    ap.add_argument("--send-delay", type=float, default=0.0, help="seconds each post takes")
    ap.add_argument("--start-at", type=float, default=0.0, help="wall-clock time.time() to start")
    args = ap.parse_args()

    now = datetime.fromisoformat(args.now)
    clock = lambda: now  # noqa: E731 - a fixed clock: this process lives inside one instant
    storage = Storage(args.db, schema=args.schema)
    await storage.upgrade()
    settings = load_settings(
        database_url=args.db, newsbot_sources=[args.news], newsbot_digest_size=3
    )
    catalog = Catalog(storage)
    await catalog.refresh()
    ctx = CommandContext(
        settings=settings, storage=storage, catalog=catalog, publisher=None, clock=clock
    )  # type: ignore[arg-type]
    if args.setup:
        store = DeliveryStore(storage)
        for i in range(args.setup):
            ref = ChannelRef("console", "crash", f"c{i:03d}")
            await store.set_schedule(ref, "daily 09:00 UTC", since=now - timedelta(days=1))
            if args.alerts and i % 2:
                await store.set_alerts(ref, True, ["ai"], since=now - timedelta(days=1))
        print("setup done", flush=True)
        await storage.aclose()
        return 0
    outbox = Outbox(
        storage, clock=clock, worker_id=args.worker, lease=timedelta(seconds=args.lease)
    )
    adapter = FileAdapter(args.log, args.worker, idempotent=args.idempotent, delay=args.send_delay)
    poller = Poller([args.news], clock=clock, interval=60)
    loop = DeliveryLoop(ctx, {"console": adapter}, poller=poller, outbox=outbox)
    await asyncio.sleep(max(0.0, args.start_at - time.time()))  # start together with the others
    try:
        for _ in range(100):
            report = await loop.tick()
            left = [d for d in await outbox.list(limit=1000) if d.status in (PENDING, CLAIMED)]
            if not left:
                print(f"done sent={len(report.outbox.sent)}", flush=True)
                return 0
            if report.outbox.claimed == 0 and all(d.status == CLAIMED for d in left):
                print(f"blocked: {len(left)} rows claimed by live leases", flush=True)
                return 3
        return 4
    finally:
        await storage.aclose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
