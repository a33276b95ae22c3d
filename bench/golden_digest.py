"""Golden-output check: the engine's output here is identical to another revision's.

Speed work on the digest must not change what people see. This computes, on every
corpus article (``../shared/corpus/articles``, ``articles-more``, ``seeds``) and every
``tests/digests/data/written`` set:

* per article: summary, every quote (text, speaker, key flag, score), topics, tag topics;
* per folder: cluster membership (article ids per cluster) and every story's summary,
  quotes and topics from ``digests.engine.stories_for``,

once with this checkout's code and once with REV's (checked out into a temporary
``git worktree``, run in a subprocess with that tree first on ``sys.path``), and prints
the differences. Nothing corpus-derived is written into the repository: the baseline
is computed afresh on every run.

    .venv/bin/python bench/golden_digest.py --against main   # or HEAD (your uncommitted edits), a hash

Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
WRITTEN = REPO / "tests" / "digests" / "data" / "written"


def folders() -> list[Path]:
    found = [CORPUS / name for name in ("articles", "articles-more", "seeds")]
    found += sorted(p for p in WRITTEN.iterdir() if p.is_dir()) if WRITTEN.is_dir() else []
    return [p for p in found if p.is_dir()]


def _quotes(quotes: Any) -> list[list[Any]]:
    return [[q.text, q.speaker, q.key, round(q.score, 9), getattr(q, "how", "")] for q in quotes]


def dump(code: Path) -> dict[str, Any]:
    """Everything the engine shows, computed with the ``digests`` package under ``code``."""
    sys.path.insert(0, str(code))
    import digests
    from digests.cluster import cluster
    from digests.engine import stories_for
    from digests.ingest import load_paths
    from digests.quotes import extract_quotes
    from digests.summary import summarize
    from digests.topics import article_topics, tag_topics

    if Path(digests.__file__).resolve().parent.parent != code.resolve():
        sys.exit(f"imported digests from {digests.__file__}, not from {code}")

    out: dict[str, Any] = {}
    for folder in folders():
        articles = load_paths([folder], workers=1).articles
        for a in articles:
            out[f"article {a.path}"] = {
                "summary": summarize(a),
                "quotes": _quotes(extract_quotes(a.text, title=a.title)),
                "topics": list(article_topics(a)),
                "tags": list(tag_topics(a)),
            }
        groups = cluster(articles, workers=1)
        out[f"clusters {folder.name}"] = sorted(sorted(a.id for a in g) for g in groups)
        for story in stories_for(groups, workers=1):
            out[f"story {folder.name} {story.id}"] = {
                "primary": story.primary.id,
                "others": [a.id for a in story.others],
                "summary": story.summary,
                "quotes": _quotes(story.quotes),
                "topics": list(story.topics),
            }
    return out


def _run_dump(code: Path, dest: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--dump", str(dest), "--code", str(code)],
        check=True,
        cwd=code,
    )
    return time.perf_counter() - started


def compare(old: dict[str, Any], new: dict[str, Any], shown: int = 15) -> int:
    keys = sorted(old.keys() | new.keys())
    differ = [k for k in keys if old.get(k) != new.get(k)]
    for key in differ[:shown]:
        print(f"- {key}\n    before: {old.get(key)!r:.600}\n    after:  {new.get(key)!r:.600}")
    if len(differ) > shown:
        print(f"… and {len(differ) - shown} more")
    articles = sum(k.startswith("article ") for k in keys)
    stories = sum(k.startswith("story ") for k in keys)
    print(
        f"{articles} articles, {stories} stories, "
        f"{sum(k.startswith('clusters ') for k in keys)} folders compared: "
        f"{len(differ)} differences"
    )
    return len(differ)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", help="git revision to compare with")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        args.dump.write_text(json.dumps(dump(args.code)), encoding="utf-8")
        return
    if not (CORPUS / "articles").is_dir():
        sys.exit(f"no corpus at {CORPUS}; the check needs it")
    with tempfile.TemporaryDirectory(prefix="newsbot-golden-") as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), args.against],
            check=True,
        )
        try:
            before_s = _run_dump(tree, Path(tmp) / "before.json")
            after_s = _run_dump(REPO, Path(tmp) / "after.json")
            old = json.loads((Path(tmp) / "before.json").read_text(encoding="utf-8"))
            new = json.loads((Path(tmp) / "after.json").read_text(encoding="utf-8"))
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False
            )
    print(
        f"baseline {args.against}: {before_s:.1f} s; this checkout: {after_s:.1f} s (one process)"
    )
    sys.exit(1 if compare(old, new) else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
