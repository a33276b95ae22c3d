"""Benchmark: ``newsbot digest --format json`` on ≥ 10,000 articles vs bare frontmatter loading.

Builds a temporary folder of copies of ``../shared/corpus/articles`` (each copy
gets its own ``source`` URL, so its own article id), then measures

* the wall time of ``newsbot digest --format json FOLDER`` in a subprocess
  (start-up, ingest, clustering, summaries, quotes, JSON included),
* the wall time of merely ``frontmatter.loads`` on the same files in this process,
* articles/s, the ratio of the two, and the peak RSS of the digest subprocess.

Targets (issue 2): ratio ≤ 4, peak RSS ≤ 400 MB.

    .venv/bin/python bench/bench_digest.py [--corpus ../shared/corpus/articles] [--count 10000]
"""

from __future__ import annotations

import argparse
import math
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "articles"
_SOURCE_LINE = re.compile(r"^source:\s*(?:>-?\s*\n\s+)?['\"]?(\S+?)['\"]?\s*$", re.MULTILINE)


def _with_copy_url(text: str, copy: int, stem: str) -> str:
    """The same article under its own URL, so ingest gives it its own id."""
    if not text.startswith("---"):
        return text
    match = _SOURCE_LINE.search(text)
    if match:
        url = match.group(1)
        sep = "&" if "?" in url else "?"
        new = f"source: '{url}{sep}copy={copy}'"
        return text[: match.start()] + new + text[match.end() :]
    end = text.find("\n", 3)
    return (
        text[: end + 1] + f"source: 'https://bench.example/{stem}?copy={copy}'\n" + text[end + 1 :]
    )


def build_folder(corpus: Path, count: int, dest: Path) -> list[Path]:
    sources = sorted(corpus.glob("*.md"))
    if not sources:
        sys.exit(f"no .md files in {corpus}; pass --corpus PATH to the articles folder")
    copies = math.ceil(count / len(sources))
    files: list[Path] = []
    for copy in range(copies):
        for src in sources:
            text = src.read_text(encoding="utf-8")
            out = dest / f"{src.stem}--{copy:03d}.md"
            out.write_text(_with_copy_url(text, copy, src.stem), encoding="utf-8")
            files.append(out)
    return files


def time_frontmatter(files: list[Path]) -> float:
    import frontmatter

    started = time.perf_counter()
    for path in files:
        frontmatter.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


def time_digest(folder: Path) -> tuple[float, int, int]:
    """Seconds, number of stories in the JSON, exit status."""
    newsbot = Path(sys.executable).with_name("newsbot")
    cmd = [str(newsbot), "digest", "--format", "json", str(folder)]
    if not newsbot.exists():
        cmd = [sys.executable, "-c", "from bot.cli import main; main()", *cmd[1:]]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    stories = proc.stdout.count(b'"summary"')
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
    return elapsed, stories, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    try:
        files = build_folder(args.corpus, args.count, tmp)
        n = len(files)
        # warm the page cache so neither side pays for first reads
        time_frontmatter(files[:200])
        load_s = time_frontmatter(files)
        digest_s, stories, status = time_digest(tmp)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        ratio = digest_s / load_s
        print(f"articles:            {n}")
        print(f"frontmatter.loads:   {load_s:6.2f} s  ({n / load_s:,.0f} articles/s)")
        print(
            f"newsbot digest json: {digest_s:6.2f} s  ({n / digest_s:,.0f} articles/s), "
            f"{stories} stories, exit {status}"
        )
        print(f"ratio:               {ratio:6.2f}  (target ≤ 4)")
        print(f"peak RSS (digest):   {peak_mb:6.0f} MB (target ≤ 400)")
        if status != 0:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
