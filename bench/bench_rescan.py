"""Benchmark: re-scan an unchanged watched folder of 12,763 files (target ≤ 0.5 s).

Generates small Markdown files in a temporary folder (spread over sub-folders like a
real archive), lets the poller's FileWatcher see them once, then times re-scans of
the unchanged folder: ``os.scandir`` + one stat per file compared with the in-memory
``(mtime_ns, size)`` cache — no parsing and no database queries.

Then, with ``--tick`` (the default), the whole delivery step a running bot repeats
every poll interval, on a SQLite database holding one article per file: poll the
folder, store what changed (nothing), save source status, give new articles their
first-seen time and look for pending alerts (none) — what an idle bot pays.

    .venv/bin/python bench/bench_rescan.py [--files 12763] [--rounds 7] [--no-tick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.poller import FileWatcher
from digests.models import Article


def generate(root: Path, n: int, per_dir: int = 500) -> None:
    for i in range(n):
        d = root / f"batch{i // per_dir:03d}"
        if i % per_dir == 0:
            d.mkdir()
        (d / f"article-{i:05d}.md").write_text(
            f"---\ntitle: Article {i}\n---\n\nBody of article {i}.\n", encoding="utf-8"
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=12_763)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument(
        "--tick",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time an idle delivery tick with a database",
    )
    args = ap.parse_args()

    parsed = 0

    def parse(path: str) -> Article:
        nonlocal parsed
        parsed += 1
        return Article(id=path, title=path, text="")

    with tempfile.TemporaryDirectory(prefix="newsbot-rescan-") as tmp:
        root = Path(tmp)
        generate(root, args.files)
        watcher = FileWatcher(str(root), parse=parse)
        t = time.perf_counter()
        first = watcher.scan(datetime.now(UTC))
        watcher.confirm()
        first_s = time.perf_counter() - t
        assert len(first.articles) == args.files, len(first.articles)
        parsed = 0
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            result = watcher.scan(datetime.now(UTC))
            times.append(time.perf_counter() - t)
            assert not result.articles and not result.deleted
        assert parsed == 0, "an unchanged rescan must parse nothing"
    median, worst = statistics.median(times), max(times)
    print(f"files: {args.files}  first scan (stat + trivial parse): {first_s:.3f} s")
    print(
        f"unchanged rescan over {args.rounds} rounds: median {median:.3f} s, worst {worst:.3f} s "
        f"(target ≤ 0.5 s) — files parsed: {parsed}"
    )
    ok = worst <= 0.5
    if args.tick:
        tick_median, tick_worst = asyncio.run(bench_tick(args.files, args.rounds))
        print(
            f"idle delivery tick with database ({args.files} stored articles): "
            f"median {tick_median:.3f} s, worst {tick_worst:.3f} s (target ≤ 0.5 s)"
        )
        ok = ok and tick_worst <= 0.5
    return 0 if ok else 1


async def bench_tick(files: int, rounds: int) -> tuple[float, float]:
    """Time ``DeliveryLoop.poll`` + ``queue_alerts`` on an unchanged folder with a database."""
    from datetime import timedelta

    from bot.catalog import Catalog
    from bot.commands import CommandContext
    from bot.poller import Poller
    from bot.scheduler import DeliveryLoop
    from bot.settings import load_settings
    from bot.storage import Storage
    from bot.storage.delivery_store import DeliveryStore

    with tempfile.TemporaryDirectory(prefix="newsbot-tick-") as tmp:
        root = Path(tmp) / "news"
        root.mkdir()
        generate(root, files)
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bot.db'}"
        storage = Storage(url)
        await storage.upgrade()
        try:
            now = datetime.now(UTC)
            paths = sorted(str(p) for p in root.rglob("*.md"))
            await storage.upsert_articles(
                Article(
                    id=f"a{i:05d}",
                    title=f"Article {i}",
                    text=f"Body of article {i}.",
                    path=p,
                    published=now,
                )
                for i, p in enumerate(paths)
            )
            store = DeliveryStore(storage)
            await store.mark_seen(now)
            await store.alerts_done(await store.alerts_pending())
            clock = [now]
            settings = load_settings(database_url=url, newsbot_sources=[str(root)])
            ctx = CommandContext(
                settings=settings,
                storage=storage,
                catalog=Catalog(storage),
                publisher=None,
                clock=lambda: clock[0],
            )  # type: ignore[arg-type]
            poller = Poller([str(root)], clock=lambda: clock[0], interval=60)
            poller.prime()
            loop = DeliveryLoop(ctx, {}, poller=poller)
            times = []
            for _ in range(rounds):
                clock[0] += timedelta(seconds=61)
                t = time.perf_counter()
                report = await loop.poll()
                queued = await loop.queue_alerts()
                times.append(time.perf_counter() - t)
                assert report.articles_changed == 0 and queued == 0
            return statistics.median(times), max(times)
        finally:
            await storage.aclose()


if __name__ == "__main__":
    raise SystemExit(main())
