"""Key quotes: how many start mid-sentence or have no speaker (issue 14 targets: ≤ 5 % each).

A key quote should be a statement a reader can take alone, with its speaker.  Prints, over
every corpus article (``articles``, ``articles-more``, ``seeds``), the share of key quotes
that start with a lower-case letter (a fragment woven into the writer's sentence) and the
share with no speaker — for the current tree and, with ``--rev``, for another git revision
in the same run (its extractor run on the same ingest text, as bench/golden_quotes.py does).

Usage::

    .venv/bin/python bench/bench_key_quotes.py                 # current tree
    .venv/bin/python bench/bench_key_quotes.py --rev main      # and main, side by side
    .venv/bin/python bench/bench_key_quotes.py --set articles-more
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_quotes import DEFAULT_CORPUS, REPO, dump, prepare

Rows = dict[str, list[list[object]]]


def shares(rows: Rows) -> tuple[int, int, float, float, int]:
    """(articles with a key quote, key quotes, lower-case share, no-speaker share, articles
    with quotes but no key quote)."""
    keys = [q for qs in rows.values() for q in qs if q[2]]
    with_key = sum(1 for qs in rows.values() if any(q[2] for q in qs))
    none = sum(1 for qs in rows.values() if qs and not any(q[2] for q in qs))
    lower = sum(1 for q in keys if str(q[0])[:1].islower())
    nobody = sum(1 for q in keys if q[1] is None)
    n = max(len(keys), 1)
    return with_key, len(keys), lower / n, nobody / n, none


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rev", help="also measure this git revision, in the same run")
    ap.add_argument(
        "--set",
        action="append",
        help="corpus folder(s) to use (default: articles, articles-more, seeds)",
    )
    args = ap.parse_args()
    folders = args.set or ["articles", "articles-more", "seeds"]
    files = sorted(p for f in folders for p in (args.corpus / f).glob("*") if p.is_file())
    if not files:
        print(f"no articles under {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="keyq-") as tmp_s:
        tmp = Path(tmp_s)
        docs = tmp / "docs.json"
        prepare(files, docs)
        results = [("current", dump(REPO, docs, tmp / "new.json"))]
        if args.rev:
            old_tree = tmp / "old"
            git = ["git", "-C", str(REPO), "worktree"]
            subprocess.run([*git, "add", "--detach", "-q", str(old_tree), args.rev], check=True)
            try:
                results.insert(0, (args.rev, dump(old_tree, docs, tmp / "old.json")))
            finally:
                subprocess.run([*git, "remove", "--force", str(old_tree)], check=True)
    print(f"articles={len(files)} ({', '.join(folders)})")
    for name, rows in results:
        with_key, n, lower, nobody, none = shares(rows)
        print(
            f"{name:10} key_quotes={n:5} articles_with_key={with_key:4} "
            f"start_mid_sentence={lower:6.1%} no_speaker={nobody:6.1%} "
            f"articles_with_quotes_but_no_key={none}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
