"""Summaries: how many carry a photo caption, credit or image alt text, or end in "…".

Summarises every corpus article (``articles``, ``articles-more``, ``seeds``; ingest text,
as the bot does) and counts summaries that contain

- caption or credit wording ("(left)", "pictured", "Photo:", "Getty Images", "Name/ZDNET"),
- text that the raw source file holds only as a caption or alt text (``<figcaption>``,
  ``alt="…"``, ``![alt](…)``), 20 characters or more — found from the raw file, not from
  the summariser's own rules,
- and summaries ending in "…" (cut mid-sentence).

With ``--rev`` the same articles are summarised by another git revision in the same run.

Usage::

    .venv/bin/python bench/bench_summaries.py --rev main -v
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

_DUMP = r"""
import json, sys
tree, files_json, out = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, tree)
import digests.summary
assert digests.summary.__file__.startswith(tree), digests.summary.__file__
from digests.ingest import parse_file
from digests.summary import summarize
rows = {}
for path in json.load(open(files_json, encoding="utf-8")):
    rows[path] = summarize(parse_file(path))
json.dump(rows, open(out, "w", encoding="utf-8"))
"""
CAPTION_WORDS = re.compile(
    r"\((?:left|right|centre|center|top|bottom|l|r|pictured)\)|\bpictured\b|\b(?:photo|image|"
    r"photograph|illustration|credit|screenshot)(?:\s+credit)?\s*:|getty\s+images|"
    r"\b(?:photo|image|illustration)\s+by\b|\b[A-Z][a-z]+\s+[A-Z][a-z]+/(?:ZDNET|Getty|"
    r"Reuters|AP|AFP|Bloomberg|CNET|Engadget|The Verge)",
    re.I,
)
_FIGCAPTION = re.compile(r"<figcaption[^>]*>(.*?)</figcaption>", re.I | re.S)
_ALT = re.compile(r"""\balt=(?:"([^"]*)"|'([^']*)')""", re.I)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(")
_TAG = re.compile(r"<[^>]+>")


def caption_texts(raw: str) -> list[str]:
    """Caption and alt texts of a raw source file (20+ characters, whitespace-normalised)."""
    found = [m.group(1) for m in _FIGCAPTION.finditer(raw)]
    found += [m.group(1) or m.group(2) or "" for m in _ALT.finditer(raw)]
    found += [m.group(1) for m in _MD_IMAGE.finditer(raw)]
    out = []
    for t in found:
        t = " ".join(html.unescape(_TAG.sub(" ", t)).split())
        if len(t) >= 20:
            out.append(t)
    return out


def summarise(tree: Path, files: list[Path], tmp: Path) -> dict[str, str]:
    """Summaries by the code in ``tree``, in a fresh interpreter."""
    src = tmp / "files.json"
    src.write_text(json.dumps([str(p) for p in files]), encoding="utf-8")
    out = tmp / f"{tree.name}.json"
    subprocess.run([sys.executable, "-c", _DUMP, str(tree), str(src), str(out)], check=True)
    rows: dict[str, str] = json.loads(out.read_text(encoding="utf-8"))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--rev", help="also measure this git revision, in the same run")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the summaries counted")
    args = ap.parse_args()
    files = sorted(
        p
        for f in ("articles", "articles-more", "seeds")
        for p in (args.corpus / f).glob("*")
        if p.is_file()
    )
    if not files:
        print(f"no articles under {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    captions = {
        str(p): caption_texts(p.read_text(encoding="utf-8", errors="replace")) for p in files
    }
    with tempfile.TemporaryDirectory(prefix="summ-") as tmp_s:
        tmp = Path(tmp_s)
        runs = [("current", summarise(REPO, files, tmp))]
        if args.rev:
            old = tmp / "old"
            git = ["git", "-C", str(REPO), "worktree"]
            subprocess.run([*git, "add", "--detach", "-q", str(old), args.rev], check=True)
            try:
                runs.insert(0, (args.rev, summarise(old, files, tmp)))
            finally:
                subprocess.run([*git, "remove", "--force", str(old)], check=True)
    print(f"articles={len(files)} (articles, articles-more, seeds)")
    for name, rows in runs:
        worded = [p for p, s in rows.items() if CAPTION_WORDS.search(s)]
        from_source = [p for p, s in rows.items() if any(c in s for c in captions[p])]
        cut = [p for p, s in rows.items() if s.rstrip().endswith("…")]
        empty = sum(1 for s in rows.values() if not s)
        print(
            f"{name:8} caption_wording={len(worded):3} caption_or_alt_from_source="
            f"{len(from_source):3} ending_in_ellipsis={len(cut):3} empty={empty}"
        )
        if args.verbose:
            for p in sorted(set(worded) | set(from_source) | set(cut)):
                print(f"   {Path(p).name[:60]}: {rows[p][:140]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
