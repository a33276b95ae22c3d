"""Cross-validate quote speaker choice (rules vs a learned ranker) and train the ranker.

Usage::

    .venv/bin/python bench/train_speakers.py            # 5-fold CV: rules vs learned
    .venv/bin/python bench/train_speakers.py -v         # also list the learned model's misses
    .venv/bin/python bench/train_speakers.py --write    # train on everything, regenerate
                                                        # digests/speaker_model.py

Every labelled quote in ``tests/digests/data/quote*.jsonl`` is used; folds group whole
articles (an article's quotes are never split between training and test).  For each
extracted quote :func:`digests.quotes.speaker_choices` lists candidate speakers with
features; the model is a conditional logit (softmax over one quote's candidates) with an
L2 penalty, fitted by full-batch gradient descent in pure Python.  The L2 strength is
picked by an inner CV on the training folds only, so the outer figure stays held out.

Caveat printed with the figures: the candidate generator and its features are the
hand-written rules, which were tuned on these same articles; CV keeps the *weights*
honest, not the rules underneath.  The comparison that is fair on this data is learned CV
against rules on the same quotes; the truly blind figures for the rules (each set scored
before anyone looked at it) were 0.60-0.73.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from eval_quotes import (  # noqa: E402
    DEFAULT_CORPUS,
    LABELS,
    article_text,
    load_labels,
    prefix_match,
    same_speaker,
)

from digests.quotes import QuoteChoice, speaker_choices  # noqa: E402
from digests.speaker_rank import choose, score  # noqa: E402

MODEL_PATH = REPO / "digests" / "speaker_model.py"
L2_GRID = (0.003, 0.01, 0.03, 0.1, 0.3)


@dataclass
class Example:
    """One labelled quote the extractor found, with its candidates."""

    file: str
    label: str | None
    choice: QuoteChoice

    @property
    def gold(self) -> list[int]:
        """Indexes of the candidates that name the labelled speaker."""
        return [k for k, c in enumerate(self.choice.candidates) if same_speaker(self.label, c.name)]


@dataclass
class Article:
    file: str
    examples: list[Example]
    fp: int  # extracted quotes with no label
    fn: int  # labelled quotes not extracted


def load_articles(corpus: Path) -> list[Article]:
    """Every labelled article, its quotes matched to the extractor's by their first words."""
    out: list[Article] = []
    for path in sorted(LABELS.parent.glob("quote*.jsonl")):
        for row in load_labels(path):
            title, text = article_text(corpus / row["file"])
            got = speaker_choices(text, title=title)
            used = [False] * len(got)
            examples: list[Example] = []
            fn = 0
            for lab in row["quotes"]:
                hit = next(
                    (
                        k
                        for k, q in enumerate(got)
                        if not used[k] and prefix_match(lab["start"], q.text)
                    ),
                    None,
                )
                if hit is None:
                    fn += 1
                    continue
                used[hit] = True
                examples.append(Example(row["file"], lab["speaker"], got[hit]))
            out.append(Article(row["file"], examples, used.count(False), fn))
    return out


# -- the model ------------------------------------------------------------------------


def train(examples: list[Example], l2: float, iters: int = 200, lr: float = 0.1) -> dict:
    """Softmax over each quote's candidates; maximise the gold candidates' probability."""
    data = []
    for ex in examples:
        gold = ex.gold
        if gold:  # a quote none of whose candidates is right teaches nothing
            data.append(([c.features for c in ex.choice.candidates], set(gold)))
    w: dict[str, float] = {}
    m: dict[str, float] = {}
    v: dict[str, float] = {}
    n = max(len(data), 1)
    for t in range(1, iters + 1):
        grad: dict[str, float] = {}
        for feats, gold in data:
            scores = [sum(val * w.get(k, 0.0) for k, val in f.items()) for f in feats]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            z = sum(exps)
            zg = sum(exps[k] for k in gold)
            for k, f in enumerate(feats):
                # d(-log P(gold))/d score_k = p_k - p_k|gold
                coef = exps[k] / z - (exps[k] / zg if k in gold else 0.0)
                if coef:
                    for key, val in f.items():
                        grad[key] = grad.get(key, 0.0) + coef * val / n
        for key in set(grad) | set(w):
            g = grad.get(key, 0.0) + l2 * w.get(key, 0.0)
            m[key] = 0.9 * m.get(key, 0.0) + 0.1 * g
            v[key] = 0.999 * v.get(key, 0.0) + 0.001 * g * g
            mh = m[key] / (1 - 0.9**t)
            vh = v[key] / (1 - 0.999**t)
            w[key] = w.get(key, 0.0) - lr * mh / (math.sqrt(vh) + 1e-8)
    return w


def right(ex: Example, weights: dict | None) -> bool:
    """Is the speaker right: the learned choice with ``weights``, the rules' with None."""
    got = ex.choice.rule_speaker if weights is None else choose(ex.choice.candidates, weights)
    return same_speaker(ex.label, got)


def folds(articles: list[Article], k: int, seed: int) -> list[list[Article]]:
    order = sorted(articles, key=lambda a: a.file)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def flat(arts: list[Article]) -> list[Example]:
    return [ex for a in arts for ex in a.examples]


def pick_l2(train_arts: list[Article], k: int, seed: int) -> float:
    """The L2 strength with the best inner-CV speaker accuracy on the training articles."""
    parts = folds(train_arts, k, seed + 1)
    best = (-1.0, L2_GRID[0])
    for l2 in L2_GRID:
        ok = total = 0
        for i, test in enumerate(parts):
            rest = [a for j, p in enumerate(parts) if j != i for a in p]
            w = train(flat(rest), l2)
            ok += sum(right(ex, w) for ex in flat(test))
            total += len(flat(test))
        acc = ok / max(total, 1)
        if acc > best[0]:
            best = (acc, l2)
    return best[1]


@dataclass
class CVResult:
    rules_ok: int = 0
    learned_ok: int = 0
    reachable: int = 0
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def line(self, name: str) -> str:
        p = self.tp / max(self.tp + self.fp, 1)
        r = self.tp / max(self.tp + self.fn, 1)
        return (
            f"{name:10} quotes={self.n:3} P={p:.3f} R={r:.3f} "
            f"speaker rules={self.rules_ok / max(self.n, 1):.3f} "
            f"learned={self.learned_ok / max(self.n, 1):.3f} "
            f"(a right candidate exists for {self.reachable / max(self.n, 1):.3f})"
        )


def cross_validate(
    articles: list[Article], k: int, seed: int, inner: int, verbose: int
) -> CVResult:
    total = CVResult()
    for i, test in enumerate(folds(articles, k, seed)):
        rest = [a for j, p in enumerate(folds(articles, k, seed)) if j != i for a in p]
        l2 = pick_l2(rest, inner, seed) if inner > 1 else L2_GRID[2]
        w = train(flat(rest), l2)
        res = CVResult()
        for a in test:
            res.tp += len(a.examples)
            res.fp += a.fp
            res.fn += a.fn
            for ex in a.examples:
                res.n += 1
                res.reachable += bool(ex.gold)
                res.rules_ok += right(ex, None)
                ok = right(ex, w)
                res.learned_ok += ok
                if verbose and not ok:
                    got = choose(ex.choice.candidates, w)
                    print(
                        f"  fold {i}: {a.file}: {ex.choice.text[:40]!r} want {ex.label!r} "
                        f"got {got!r} (rules {ex.choice.rule_speaker!r})"
                    )
                    if verbose > 1:
                        for c in ex.choice.candidates:
                            print(
                                f"      {score(c.features, w):6.2f} {c.name!r} {sorted(c.features)}"
                            )
        print(res.line(f"fold {i}") + f" l2={l2}")
        for f in ("rules_ok", "learned_ok", "reachable", "n", "tp", "fp", "fn"):
            setattr(total, f, getattr(total, f) + getattr(res, f))
    return total


def drop_features(articles: list[Article], prefixes: tuple[str, ...]) -> None:
    """Ablation: forget features whose names start with any of ``prefixes``."""
    for ex in flat(articles):
        for c in ex.choice.candidates:
            for key in [k for k in c.features if k.startswith(prefixes)]:
                del c.features[key]


def write_model(weights: dict, l2: float, summary: str) -> None:
    lines = [
        '"""Learned weights for quote speaker choice (generated; do not edit by hand).',
        "",
        "Regenerate with ``.venv/bin/python bench/train_speakers.py --write`` after changing",
        "digests/speaker_features.py or the labels in tests/digests/data/quote*.jsonl.",
        f"Trained on every labelled quote, L2={l2}.  Cross-validation when written:",
        f"{summary}",
        '"""',
        "",
        "# Whether extract_quotes uses these weights (True) or the hand-set rules (False):",
        "# adopt only when the ranker beats the rules on blind data (bench/historic_blind.py),",
        "# not merely on this CV, whose candidates come from rules tuned on the same quotes.",
        "ADOPTED = ADOPTED_PLACEHOLDER",
        "",
        "WEIGHTS: dict[str, float] = {",
    ]
    for key in sorted(weights, key=lambda k: (-abs(weights[k]), k)):
        if abs(weights[key]) >= 1e-4:
            lines.append(f"    {json.dumps(key)}: {weights[key]:.4f},")
    lines.append("}")
    text = "\n".join(lines) + "\n"
    adopted = "True" if "--adopt" in sys.argv else "False"
    MODEL_PATH.write_text(text.replace("ADOPTED_PLACEHOLDER", adopted), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--inner", type=int, default=3, help="inner folds to pick L2 (1: fixed)")
    ap.add_argument("--seeds", type=int, default=1, help="repeat CV with this many shuffles")
    ap.add_argument("--verbose", "-v", action="count", default=0, help="-vv: with features")
    ap.add_argument(
        "--drop",
        action="append",
        default=[],
        help="ablation: ignore features starting with this prefix (repeatable)",
    )
    ap.add_argument("--write", action="store_true", help="train on all data, write the model")
    ap.add_argument("--adopt", action="store_true", help="with --write: ADOPTED = True")
    args = ap.parse_args()
    if not (args.corpus / "articles").is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    articles = load_articles(args.corpus)
    if args.drop:
        drop_features(articles, tuple(args.drop))
    summaries = []
    for seed in range(args.seeds):
        print(f"-- {args.folds}-fold article-grouped CV, shuffle seed {seed}")
        total = cross_validate(articles, args.folds, seed, args.inner, args.verbose)
        summaries.append(total.line("pooled"))
        print(summaries[-1])
    print(
        "note: rules were hand-tuned on all these articles, so 'rules' here is in-sample; "
        "their blind figures were 0.60-0.73."
    )
    if args.write:
        l2 = pick_l2(articles, args.folds, 0)
        w = train(flat(articles), l2)
        write_model(w, l2, "\n".join(summaries))
        print(f"wrote {MODEL_PATH.relative_to(REPO)} ({len(w)} weights, L2={l2})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
