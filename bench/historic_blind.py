"""A truly blind comparison: rules vs learned ranker on a set the rules had never seen.

Usage::

    .venv/bin/python bench/historic_blind.py e91e08a quotes_blind4.jsonl
    .venv/bin/python bench/historic_blind.py e91e08a quotes_blind4.jsonl -vv   # with features
    .venv/bin/python bench/historic_blind.py --all      # all six blind sets, pooled (~40 s)

Cross-validation over sets the rules were tuned on keeps the learned *weights* honest but
not the rules that generate candidates and features.  This script goes back to a commit
where a label set had been written but the rules had not yet been changed for it
(``git archive`` into a temporary folder, the current repository untouched), adds today's
candidate features (:mod:`digests.speaker_features`) on top of that commit's rules, trains
the ranker on every *other* label set, and scores both the old rules and the ranker on the
blind set.  The rules' figure must reproduce the blind number noted when the set was made.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The interface the current trainer needs, added to an old quotes.py.
_ADDON = """

from digests.speaker_features import SpeakerCandidate as _SC  # noqa: E402
from digests.speaker_features import build_candidates as _build  # noqa: E402


def _rule_spans(text, title):
{pipeline}
    return art, merged


@dataclass(frozen=True)
class QuoteChoice:
    text: str
    rule_speaker: str | None
    candidates: tuple[_SC, ...]


def speaker_choices(text, *, title=None):
    found = _rule_spans(text, title)
    if found is None:
        return []
    art, merged = found
    out = []
    for i, sp in enumerate(merged):
{filters}
        out.append(QuoteChoice(body, sp.speaker, tuple(_build(art, merged, i))))
    return out
"""


_NO_ATTRIBUTION = """
from digests.quotes import _sentence_start as sentence_start  # noqa: F401


def candidates(art, spans, i):
    return []
"""


def patch_quotes(src: str) -> str:
    """Add ``speaker_choices`` to an old quotes.py, reusing its own pipeline and filters."""
    body = src[src.index("def extract_quotes") :]
    lines = body.split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("if not text"))
    out_at = next(i for i, ln in enumerate(lines) if ln.startswith("    out: list[tuple"))
    loop_at = next(i for i, ln in enumerate(lines) if ln.startswith("    for sp in merged:"))
    append_at = next(
        i for i in range(loop_at, len(lines)) if lines[i].startswith("        out.append(")
    )
    pipeline = "\n".join(lines[start:out_at]).replace("return ()", "return None")
    filters = "\n".join("    " + ln if ln.strip() else ln for ln in lines[loop_at + 1 : append_at])
    filters = "\n".join(ln[4:] if ln.startswith("    ") else ln for ln in filters.split("\n"))
    return src + _ADDON.format(pipeline=pipeline, filters=filters)


def prepare(commit: str, into: Path) -> None:
    """Old digests/ and labels from ``commit``; today's feature, ranker and trainer code."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, "digests", "tests/digests/data"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    for rel in (
        "digests/speaker_features.py",
        "digests/speaker_rank.py",
        "digests/speaker_model.py",
        "bench/train_speakers.py",
        "bench/eval_quotes.py",
    ):
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, into / rel)
    if not (into / "digests" / "attribution.py").exists():
        # before the context scorer existed: no cue candidates, the old sentence splitter
        (into / "digests" / "attribution.py").write_text(_NO_ATTRIBUTION, encoding="utf-8")
    quotes = into / "digests" / "quotes.py"
    quotes.write_text(patch_quotes(quotes.read_text(encoding="utf-8")), encoding="utf-8")
    # today's label sets (an old commit may predate some; blind ones must match)
    for p in (REPO / "tests" / "digests" / "data").glob("quote*.jsonl"):
        shutil.copy(p, into / "tests" / "digests" / "data" / p.name)


_RUNNER = """
import sys
sys.argv = ["train_speakers"]
sys.path.insert(0, {root!r})
sys.path.insert(0, {root!r} + "/bench")
import train_speakers as ts
from pathlib import Path
blind_name = {blind!r}
arts = ts.load_articles(Path({corpus!r}))
if {drop!r}:
    ts.drop_features(arts, tuple({drop!r}))
by_set = {{}}
for path in sorted(ts.LABELS.parent.glob("quote*.jsonl")):
    for row in ts.load_labels(path):
        by_set[row["file"]] = path.name
test = [a for a in arts if by_set[a.file] == blind_name]
train = [a for a in arts if by_set[a.file] != blind_name]
l2 = ts.pick_l2(train, 5, 0)
w = ts.train(ts.flat(train), l2)
res = ts.CVResult()
for a in test:
    res.tp += len(a.examples); res.fp += a.fp; res.fn += a.fn
    for ex in a.examples:
        res.n += 1; res.reachable += bool(ex.gold)
        res.rules_ok += ts.right(ex, None)
        ok = ts.right(ex, w); res.learned_ok += ok
        if {verbose} and (not ok or not ts.right(ex, None)):
            print(f"  {{a.file[9:60]}}: {{ex.choice.text[:35]!r}} want {{ex.label!r}} "
                  f"learned {{ts.choose(ex.choice.candidates, w)!r}} rules {{ex.choice.rule_speaker!r}}")
            if {verbose} > 1:
                for c in ex.choice.candidates:
                    print(f"      {{ts.score(c.features, w):6.2f}} {{c.name!r}} {{sorted(c.features)}}")
print(res.line(blind_name[:10]) + f" train_quotes={{len(ts.flat(train))}} l2={{l2}}")
"""


# Each label set and the last commit before any rule was changed for it (the blind
# figure noted at the time in parentheses; today's scorer and ingest may differ slightly).
BLIND_POINTS = (
    ("e042e31", "quotes_test.jsonl"),  # 0.60
    ("344b0a7", "quotes_holdout.jsonl"),  # 0.64
    ("64b84ce", "quotes_fresh.jsonl"),  # 0.73
    ("6e41786", "quotes_final.jsonl"),  # 0.53
    ("e86269d", "quotes_blind3.jsonl"),  # 0.71 (0.75 with today's speaker match)
    ("e91e08a", "quotes_blind4.jsonl"),  # 0.68
)
_LINE = re.compile(
    r"quotes=\s*(\d+).*rules=([\d.]+) learned=([\d.]+) \(a right candidate exists for ([\d.]+)"
)


def run_one(commit: str, blind: str, corpus: Path, verbose: int, drop: list[str]) -> str:
    """Print and return the runner's output for one (commit, blind set) pair."""
    with tempfile.TemporaryDirectory(prefix="newsbot-blind-") as tmp:
        root = Path(tmp)
        prepare(commit, root)
        code = _RUNNER.format(
            root=str(root),
            blind=blind,
            corpus=str(corpus.resolve()),
            verbose=verbose,
            drop=drop,
        )
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"{commit} {blind}: runner failed\n{done.stderr}")
        print(done.stdout, end="", flush=True)
        return done.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commit", nargs="?", help="a commit where the blind set was not tuned on")
    ap.add_argument("blind", nargs="?", help="label file name, e.g. quotes_blind4.jsonl")
    ap.add_argument("--all", action="store_true", help="every set in BLIND_POINTS, pooled")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--verbose", "-v", action="count", default=0)
    ap.add_argument("--drop", action="append", default=[], help="ablation, as in train_speakers")
    args = ap.parse_args()
    if not args.all and not (args.commit and args.blind):
        ap.error("give COMMIT BLIND_SET, or --all")
    pairs = BLIND_POINTS if args.all else ((args.commit, args.blind),)
    n = rules = learned = oracle = 0.0
    for commit, blind in pairs:
        for m in _LINE.finditer(run_one(commit, blind, args.corpus, args.verbose, args.drop)):
            k = int(m.group(1))
            n += k
            rules += k * float(m.group(2))
            learned += k * float(m.group(3))
            oracle += k * float(m.group(4))
    if args.all and n:
        print(
            f"pooled blind: quotes={n:.0f} speaker rules={rules / n:.3f} "
            f"learned={learned / n:.3f} (a right candidate exists for {oracle / n:.3f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
