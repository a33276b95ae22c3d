"""Benchmark: ``newsbot digest`` on the hostile-input zoo plus real articles (issue 11).

Builds, in a temporary folder, the whole zoo of ``tests/zoo.py`` in its big form (YAML
alias bombs, impossible dates, a FIFO, a socket, a device when allowed, symlink loops,
links to ``/dev/zero`` and out of the folder, a non-UTF-8 name, 400k nested divs in
4.4 MB, a 5 MB file…) next to ``--count`` good articles copied from the corpus, then
runs ``newsbot digest --format json --no-cache`` on it in a subprocess and prints its
wall time and peak RSS. The baseline, measured in the same run, is the same command on
the good articles alone. Checks: every good article kept (in a story, or reported as a
duplicate of one that is), every hostile file named in an error.

    .venv/bin/python bench/bench_hostile.py [--corpus ../shared/corpus/articles] [--count 500]

Targets: ≤ 60 s and ≤ 600 MB on the zoo. Run it a second time with
``--corpus ../shared/corpus/articles-more`` for an independent set of good articles.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.zoo import build_zoo  # noqa: E402

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "articles"
CLI = [sys.executable, "-c", "from bot.cli import main; main()"]


def copy_good(corpus: Path, folder: Path, count: int) -> list[str]:
    """``count`` corpus articles (cycled with a distinct source URL per copy when the
    corpus is smaller) written under ``folder``; returns their paths."""
    files = sorted(corpus.glob("*.md"))
    if not files:
        raise SystemExit(f"no articles in {corpus}")
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        src = files[i % len(files)]
        text = src.read_text(encoding="utf-8", errors="replace")
        if i >= len(files):  # a further copy: its own id, so it is an article of its own
            text = text.replace("\nsource: ", f"\nsource: https://copy{i}.example/a?x=", 1)
        path = folder / f"good-{i:05d}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def run_digest(folder: Path, out: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of ``newsbot digest --format json`` on ``folder``."""
    env = {**os.environ, "XDG_CACHE_HOME": str(out.parent / "cache")}
    with out.open("wb") as stdout, (out.parent / (out.name + ".err")).open("wb") as stderr:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [*CLI, "digest", "--format", "json", "--no-cache", str(folder)],
            stdout=stdout,
            stderr=stderr,
            cwd=REPO,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsbot-hostile-") as tmp:
        root = Path(tmp)
        baseline_dir = root / "baseline"
        copy_good(args.corpus, baseline_dir / "good", args.count)
        zoo_dir = root / "zoo"
        zoo = build_zoo(zoo_dir, good=3, big=True)
        shutil.copytree(baseline_dir / "good", zoo_dir / "good")
        good_paths = {
            str((zoo_dir / "good" / p.name).resolve()) for p in (zoo_dir / "good").iterdir()
        }
        good_paths |= {str((zoo_dir / n).resolve()) for n in [*zoo.good, *zoo.read_ok]}
        zoo_bytes = sum(
            os.lstat(p).st_size for p in zoo_dir.iterdir() if p.is_file() and not p.is_symlink()
        )

        base_wall, base_rss, base_rc = run_digest(baseline_dir, root / "baseline.json")
        wall, rss, rc = run_digest(zoo_dir, root / "zoo.json")
        if rc != 0 or base_rc != 0:
            err = (root / "zoo.json.err").read_text(errors="replace")[-3000:]
            raise SystemExit(f"newsbot digest failed (zoo rc={rc}, baseline rc={base_rc}):\n{err}")

        payload = json.loads((root / "zoo.json").read_bytes())
        kept = {a["path"] for s in payload["stories"] for a in s["articles"] if a["path"]}
        errors = {e["path"]: e["error"] for e in payload["errors"]}
        duplicates = {p for p, e in errors.items() if e.startswith("duplicate of")}
        lost = sorted(good_paths - kept - duplicates)
        named = {os.path.basename(p): e for p, e in errors.items()}
        unnamed = sorted(
            n for n, fragment in zoo.hostile.items() if fragment not in named.get(n, "")
        )

    print(
        f"zoo: {len(zoo.hostile)} hostile entries ({zoo_bytes / 1048576:.1f} MB of files), "
        f"{len(good_paths)} good articles ({args.count} from {args.corpus})"
    )
    print(f"baseline (good articles alone): {base_wall:6.2f} s  peak RSS {base_rss:6.0f} MB")
    print(
        f"good articles + zoo:            {wall:6.2f} s  peak RSS {rss:6.0f} MB  "
        f"(targets ≤ 60 s, ≤ 600 MB)"
    )
    print(
        f"good articles kept: {len(good_paths) - len(lost)}/{len(good_paths)} "
        f"({len(duplicates & good_paths)} of them as duplicates of a kept copy)"
    )
    print(
        f"hostile entries named in an error: {len(zoo.hostile) - len(unnamed)}/{len(zoo.hostile)}"
    )
    if lost:
        print("LOST:", *lost[:10], sep="\n  ")
    if unnamed:
        print("NOT NAMED:", *unnamed, sep="\n  ")
    verdict = wall <= 60 and rss <= 600 and not lost and not unnamed
    print("result:", "within targets" if verdict else "MISSED A TARGET")
    if not verdict:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
