"""Benchmark: re-scan an unchanged watched folder of 12,763 files (target ≤ 0.5 s).

Generates small Markdown files in a temporary folder (spread over sub-folders like a
real archive), lets the poller's FileWatcher see them once, then times re-scans of
the unchanged folder: ``os.scandir`` + one stat per file compared with the in-memory
``(mtime_ns, size)`` cache — no parsing and no database queries.

    .venv/bin/python bench/bench_rescan.py [--files 12763] [--rounds 7]
"""

from __future__ import annotations

import argparse
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
    print(f"unchanged rescan over {args.rounds} rounds: median {median:.3f} s, worst {worst:.3f} s "
          f"(target ≤ 0.5 s) — files parsed: {parsed}")
    return 0 if worst <= 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
