"""Benchmark: ingest (``digests.ingest.load_paths``) vs bare ``frontmatter.loads``.

Builds a temporary folder of ≥ 10,000 copies of ``../shared/corpus/articles``
(each copy gets its own ``source`` URL, so its own article id), warms the page
cache, then times in this process:

* bare loading: read each file and ``frontmatter.loads`` it (nothing else),
* ingest: ``load_paths([folder])`` (front matter, cleaning, ids, dedupe), with its
  default of one worker process per CPU for large folders, and in one process,

and prints articles/s and the ratio of the two. Target (issue 2): ingest ≤ 2×
bare loading, inside the whole ``newsbot digest`` budget of ≤ 4×.

    .venv/bin/python bench/bench_ingest.py [--corpus ../shared/corpus/articles] [--count 10000]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "articles"
_SOURCE = re.compile(r"^source:\s*(?:>-?\s*\n\s+)?['\"]?(\S+?)['\"]?\s*$", re.M)


def _copy_text(text: str, copy: int, stem: str) -> str:
    """The article under its own URL (``?copy=N``) so each copy has its own id."""
    if not text.startswith("---"):
        return text
    match = _SOURCE.search(text)
    if match:
        url = match.group(1)
        new = f"source: '{url}{'&' if '?' in url else '?'}copy={copy}'"
        return text[: match.start()] + new + text[match.end() :]
    end = text.find("\n", 3)
    return text[: end + 1] + f"source: 'https://bench.example/{stem}?copy={copy}'\n" + text[end + 1 :]


def build_folder(corpus: Path, count: int, dest: Path) -> list[Path]:
    sources = sorted(corpus.glob("*.md"))
    if not sources:
        sys.exit(f"no .md files in {corpus}; pass --corpus PATH to the articles folder")
    files = []
    for copy in range(math.ceil(count / len(sources))):
        for src in sources:
            out = dest / f"{src.stem}--{copy:03d}.md"
            out.write_text(_copy_text(src.read_text(encoding="utf-8"), copy, src.stem), encoding="utf-8")
            files.append(out)
    return files


def time_frontmatter(files: list[Path]) -> float:
    import frontmatter

    started = time.perf_counter()
    for path in files:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


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
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-ingest-"))
    try:
        files = build_folder(args.corpus, args.count, tmp)
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
        print(f"ingest load_paths:  {ingest_s:6.2f} s  ({articles / ingest_s:,.0f} articles/s), "
              f"{articles} articles, {errors} errors")
        print(f"ratio:              {ingest_s / load_s:6.2f}  (target ≤ 2; {os.cpu_count()} CPUs)")
        print(f"one process:        {one_s:6.2f} s  ({articles / one_s:,.0f} articles/s), "
              f"ratio {one_s / load_s:.2f}")
        print(f"peak RSS (process): {peak_mb:6.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
