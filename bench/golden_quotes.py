"""Golden check: does the quote engine give the same output as at another git revision?

A refactor of ``digests/quotes`` must not change a single quote, speaker, key flag or
score.  This script extracts quotes from every corpus article (``articles``,
``articles-more``, ``seeds``) and every written labelled article, once with the current
tree and once with ``--rev`` checked out in a temporary worktree, and prints the
differences (exit 1 when there are any).  Nothing derived from the corpus is written into
the repository: the dumps live in a temporary directory and are deleted.

Usage::

    .venv/bin/python bench/golden_quotes.py --rev main
    .venv/bin/python bench/golden_quotes.py --rev HEAD~1 --show 20
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

# Run inside the tree under test (its own digests package first on sys.path).  Text comes
# from the current tree's ingest so that both sides see identical input.
_DUMP = r"""
import json, sys
tree, files_json, out = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, tree)
import digests.quotes
from digests.quotes import extract_quotes
assert digests.quotes.__file__.startswith(tree), digests.quotes.__file__
docs = json.load(open(files_json, encoding="utf-8"))
rows = {}
for name, title, text in docs:
    rows[name] = [[q.text, q.speaker, q.key, q.score] for q in extract_quotes(text, title=title)]
json.dump(rows, open(out, "w", encoding="utf-8"))
"""


def corpus_files(corpus: Path) -> list[Path]:
    """Every article the check runs on: corpus folders and the written labelled sets."""
    files: list[Path] = []
    for sub in ("articles", "articles-more", "seeds"):
        folder = corpus / sub
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file())
    written = REPO / "tests" / "digests" / "data" / "written"
    files += sorted(p for p in written.glob("*/*") if p.suffix in (".md", ".txt", ".html"))
    return files


def prepare(files: list[Path], dest: Path) -> None:
    """Parse each file with the current tree's ingest into (name, title, text) rows."""
    sys.path.insert(0, str(REPO))
    from digests.ingest import parse_file

    docs = []
    for p in files:
        art = parse_file(p)  # an ingest failure stops the check: it must not go unseen
        docs.append((str(p), art.title, art.text))
    dest.write_text(json.dumps(docs), encoding="utf-8")


def dump(tree: Path, docs: Path, out: Path) -> dict[str, list[list[object]]]:
    """Run the extractor of ``tree`` over ``docs`` in a fresh interpreter."""
    subprocess.run(
        [sys.executable, "-c", _DUMP, str(tree), str(docs), str(out)],
        check=True,
        cwd=tree,
    )
    rows: dict[str, list[list[object]]] = json.loads(out.read_text(encoding="utf-8"))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default="main", help="git revision to compare against")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--show", type=int, default=10, help="differences to print")
    args = ap.parse_args()
    files = corpus_files(args.corpus)
    with tempfile.TemporaryDirectory(prefix="golden-") as tmp_s:
        tmp = Path(tmp_s)
        docs = tmp / "docs.json"
        prepare(files, docs)
        old_tree = tmp / "old"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(old_tree), args.rev],
            check=True,
        )
        try:
            old = dump(old_tree, docs, tmp / "old.json")
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(old_tree)],
                check=True,
            )
        new = dump(REPO, docs, tmp / "new.json")
    diffs = [name for name in old if old[name] != new.get(name)]
    n_quotes = sum(len(v) for v in old.values())
    print(f"articles={len(old)} quotes_at_{args.rev}={n_quotes} differing_articles={len(diffs)}")
    for name in diffs[: args.show]:
        print(f"--- {name}")
        a, b = old[name], new[name]
        for row in a:
            if row not in b:
                print(f"  - {row}")
        for row in b:
            if row not in a:
                print(f"  + {row}")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
