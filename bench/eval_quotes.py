"""Score ``digests.quotes.extract_quotes`` against the hand-labelled DEV set.

Usage::

    .venv/bin/python bench/eval_quotes.py [--corpus ../shared/corpus] [--verbose] [--speed]
    .venv/bin/python bench/eval_quotes.py --labels tests/digests/data/quotes_test.jsonl -v
    .venv/bin/python bench/eval_quotes.py --all     # one line per label set

Labels live in ``tests/digests/data/quote_labels.jsonl``: one line per article,
``{"file": <corpus-relative path>, "quotes": [{"start": <first words>, "speaker": ...}]}``.
Only short prefixes are stored (the corpus is third-party text and stays outside the repo),
so a predicted quote matches a label when their normalised starts agree.

Prints precision, recall and speaker accuracy (over matched quotes; a speaker is right when
it equals the label after normalisation or names the same entity more or less fully, see
:func:`same_speaker`); ``--speed`` also
times extraction over every corpus article.  The scoring itself
lives in :mod:`digests.quotes.evaluate`; an article the ingest cannot read fails the run.
With ``-v`` every problem line carries the id of the rule that gave the speaker
(``[tail.verb-subject]``, see ``digests/quotes/RULES.md``) and a per-rule table follows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digests.quotes import extract_quotes  # noqa: E402
from digests.quotes.evaluate import (  # noqa: E402
    LABELS,
    WRITTEN,
    EvaluationError,
    Score,
    article_text,
    evaluate,
    load_labels,
)

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


def print_rules(s: Score) -> None:
    """Speaker accuracy per rule id, most used first."""
    for rule, (ok, n) in sorted(s.by_rule.items(), key=lambda kv: -kv[1][1]):
        print(f"  {rule:28} {ok:4}/{n:<4} {ok / n:.2f}")


def speed(corpus: Path) -> tuple[int, float]:
    """(articles, mean ms per article) for extraction only, texts prepared beforehand."""
    files = sorted((corpus / "articles").glob("*.md")) + sorted((corpus / "seeds").glob("*"))
    docs = [article_text(p) for p in files]
    t0 = time.perf_counter()
    for title, text in docs:
        extract_quotes(text, title=title)
    return len(docs), (time.perf_counter() - t0) * 1000 / max(len(docs), 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument(
        "--verbose", "-v", action="store_true", help="list misses, false hits, wrong speakers"
    )
    ap.add_argument("--speed", action="store_true", help="also time extraction over the corpus")
    ap.add_argument(
        "--labels", type=Path, default=LABELS, help="a labels .jsonl (default: DEV set)"
    )
    ap.add_argument(
        "--articles",
        type=Path,
        help="folder the labels' files are relative to (default: the corpus, or the labels"
        " file's folder for a written/*/labels.jsonl set)",
    )
    ap.add_argument(
        "--all", action="store_true", help="score every tests/digests/data/quote*.jsonl set"
    )
    ap.add_argument(
        "--blind",
        action="store_true",
        help="with --all: score the written blind_* sets instead of dev_* (measure, never tune)",
    )
    args = ap.parse_args()
    if not (args.corpus / "articles").is_dir():
        print(f"corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    if args.all:
        sets = [(p, args.corpus) for p in sorted(LABELS.parent.glob("quote*.jsonl"))]
        pattern = "blind_*/labels.jsonl" if args.blind else "dev_*/labels.jsonl"
        sets += [(p, p.parent) for p in sorted(WRITTEN.glob(pattern))]
        for path, base in sets:
            rows = load_labels(path)
            try:
                s = evaluate(base, rows)
            except EvaluationError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            name = path.name if base == args.corpus else f"written/{path.parent.name}"
            if args.verbose and s.problems:
                print("\n".join(s.problems))
            n = sum(len(r["quotes"]) for r in rows)
            print(
                f"{name:26} articles={len(rows):3} quotes={n:3} precision={s.precision:.3f} "
                f"recall={s.recall:.3f} speaker_accuracy={s.speaker_accuracy:.3f} "
                f"(speaker misses: {s.missing} empty, {s.wrong} other name, {s.spurious} spurious)"
            )
        if args.speed:
            count, ms = speed(args.corpus)
            print(f"speed: {count} articles, {ms:.3f} ms/article (extraction only)")
        return 0
    labels = load_labels(args.labels)
    base = args.articles or (args.labels.parent if args.labels.name == "labels.jsonl" else None)
    try:
        s = evaluate(base or args.corpus, labels)
    except EvaluationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.verbose:
        print("\n".join(s.problems))
        print_rules(s)
    n = sum(len(r["quotes"]) for r in labels)
    print(f"articles={len(labels)} labelled_quotes={n} tp={s.tp} fp={s.fp} fn={s.fn}")
    print(
        f"precision={s.precision:.3f} recall={s.recall:.3f} speaker_accuracy={s.speaker_accuracy:.3f}"
        f" (speaker misses: {s.missing} empty, {s.wrong} other name, {s.spurious} spurious)"
    )
    if args.speed:
        count, ms = speed(args.corpus)
        print(f"speed: {count} articles, {ms:.3f} ms/article (extraction only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
