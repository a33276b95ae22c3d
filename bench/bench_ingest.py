"""Benchmark: ingest (``digests.ingest.load_paths``) vs bare ``frontmatter.loads``.

Builds a temporary folder of ≥ 10,000 copies of ``../shared/corpus/articles``
(each copy gets its own ``source`` URL, so its own article id), warms the page
cache, then times in this process:

* bare loading: read each file and ``frontmatter.loads`` it (nothing else),
* ingest: ``load_paths([folder])`` (front matter, cleaning, ids, dedupe), with its
  default of one worker process per CPU for large folders, and in one process,

and prints articles/s and the ratio of the two. Our own budget: ingest ≤ 2× bare
loading, inside the issue's target of ≤ 4× for the whole ``newsbot digest``.

    .venv/bin/python bench/bench_ingest.py [--corpus ../shared/corpus/articles] [--count 10000]

``--distinct`` reads distinct synthetic articles instead (see ``bench_digest.py``).
The folder builders are shared with ``bench_digest.py``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_digest import (  # noqa: E402
    DEFAULT_CORPUS,
    build_distinct_folder,
    build_folder,
    time_frontmatter,
)


def time_ingest(folder: Path, workers: int | None = None) -> tuple[float, int, int]:
    from digests.ingest import load_paths

    started = time.perf_counter()
    result = load_paths([folder], workers=workers)
    return time.perf_counter() - started, len(result.articles), len(result.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="best of N for each side")
    parser.add_argument(
        "--distinct", action="store_true", help="distinct synthetic articles instead of copies"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-ingest-"))
    try:
        build = build_distinct_folder if args.distinct else build_folder
        files = build(args.corpus, args.count, tmp)
        n = len(files)
        time_frontmatter(files)  # warm the page cache and imports
        load_s = min(time_frontmatter(files) for _ in range(args.rounds))
        runs = [time_ingest(tmp) for _ in range(args.rounds)]
        ingest_s = min(r[0] for r in runs)
        _, articles, errors = runs[0]
        one_s = min(time_ingest(tmp, workers=1)[0] for _ in range(args.rounds))
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"files:              {n}")
        print(f"frontmatter.loads:  {load_s:6.2f} s  ({n / load_s:,.0f} files/s)")
        print(
            f"ingest load_paths:  {ingest_s:6.2f} s  ({articles / ingest_s:,.0f} articles/s), "
            f"{articles} articles, {errors} errors"
        )
        print(f"ratio:              {ingest_s / load_s:6.2f}  (budget ≤ 2; {os.cpu_count()} CPUs)")
        print(
            f"one process:        {one_s:6.2f} s  ({articles / one_s:,.0f} articles/s), "
            f"ratio {one_s / load_s:.2f}"
        )
        print(f"peak RSS (process): {peak_mb:6.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
