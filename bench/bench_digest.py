"""Benchmark: ``newsbot digest --format json`` on ≥ 10,000 articles vs bare frontmatter loading.

Builds a temporary folder of copies of ``../shared/corpus/articles`` (each copy
gets its own ``source`` URL, so its own article id), then measures

* the wall time of ``newsbot digest --format json FOLDER`` in a subprocess
  (start-up, ingest, clustering, summaries, quotes, JSON included),
* the wall time of merely ``frontmatter.loads`` on the same files in this process,
* articles/s, the ratio of the two, and the peak RSS of the digest subprocess.

Targets (issue 2): ratio ≤ 4, peak RSS ≤ 400 MB.

    .venv/bin/python bench/bench_digest.py [--corpus ../shared/corpus/articles] [--count 10000]

``--summaries`` instead compares our summaries with the lead-3 baseline on the
corpus (complete sentences, within 320 characters, free of junk).
"""

from __future__ import annotations

import argparse
import math
import os
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


_JUNK = re.compile(
    r"what'?s your reaction|internal links|\bfaqs?\b|read the full story|getty images|"
    r"image credit|photo credit|\| image:|subscribe to|sign up for|paid content|ad content|"
    r"(?-i:^By [A-Z][a-z]+ [A-Z])|^updated\b|^posted\b|tech home|share this|•|https?://",
    re.IGNORECASE,
)
_COMPLETE = re.compile(r"""[.!?]["'”’)\]]*$""")


def _summary_stats(name: str, summaries: list[str], titles: list[str], limit: int) -> None:
    n = len(summaries)

    def share(flags: list[bool]) -> str:
        return f"{100 * sum(flags) / n:5.1f}%"

    complete = [bool(_COMPLETE.search(s)) for s in summaries]
    fits = [len(s) <= limit for s in summaries]
    junk = [bool(_JUNK.search(s)) for s in summaries]
    headline = [
        bool(s) and s.split(". ")[0].rstrip(".").lower() == t.rstrip(".").lower()
        for s, t in zip(summaries, titles, strict=True)
    ]
    empty = [not s for s in summaries]
    good = [
        c and f and not j and not h
        for c, f, j, h in zip(complete, fits, junk, headline, strict=True)
    ]
    print(
        f"{name:<22} complete {share(complete)}  fits {share(fits)}  junk {share(junk)}  "
        f"headline {share(headline)}  empty {share(empty)}  all-good {share(good)}"
    )


def summaries(corpus: Path, limit: int = 320) -> None:
    """Our summaries vs lead-3 on the corpus articles (plus seeds when present)."""
    from digests.ingest import load_paths
    from digests.sentences import split_sentences
    from digests.summary import summarize

    specs = [str(corpus)] + (
        [str(corpus.parent / "seeds")] if (corpus.parent / "seeds").is_dir() else []
    )
    articles = load_paths(specs).articles
    titles = [a.title for a in articles]
    ours = [summarize(a, max_chars=limit) for a in articles]
    lead3 = [" ".join(split_sentences(a.text)[:3]) for a in articles]
    cut = [s if len(s) <= limit else s[: limit - 1].rsplit(" ", 1)[0] + "…" for s in lead3]
    print(f"{len(articles)} articles, limit {limit} characters")
    _summary_stats("lead-3", lead3, titles, limit)
    _summary_stats("lead-3 cut to limit", cut, titles, limit)
    _summary_stats("newsbot summarize", ours, titles, limit)
    same_start = sum(1 for o, l3 in zip(ours, lead3, strict=True) if o and l3.startswith(o[:60]))
    print(
        f"newsbot summary starts like lead-3 in {100 * same_start / len(articles):.1f}% of articles"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--summaries", action="store_true", help="compare summaries with lead-3")
    args = parser.parse_args()
    if args.summaries:
        summaries(args.corpus)
        return

    tmp = Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
    try:
        files = build_folder(args.corpus, args.count, tmp)
        n = len(files)
        # warm the page cache so neither side pays for first reads
        time_frontmatter(files[:200])
        load_s = time_frontmatter(files)
        digest_s, stories, status = time_digest(tmp)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb = children.ru_maxrss / 1024  # KiB on Linux
        cpu_s = children.ru_utime + children.ru_stime
        ratio = digest_s / load_s
        print(f"articles:            {n}")
        print(f"frontmatter.loads:   {load_s:6.2f} s  ({n / load_s:,.0f} articles/s)")
        print(
            f"newsbot digest json: {digest_s:6.2f} s  ({n / digest_s:,.0f} articles/s), "
            f"{stories} stories, exit {status}"
        )
        print(f"digest CPU time:     {cpu_s:6.2f} s  (all processes; reading uses a process pool)")
        print(f"ratio:               {ratio:6.2f}  (target ≤ 4)")
        print(f"peak RSS (digest):   {peak_mb:6.0f} MB (target ≤ 400)")
        print(
            f"load average:        {os.getloadavg()[0]:6.2f}  on {os.cpu_count()} CPUs (busy = noisy)"
        )
        if status != 0:
            sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
