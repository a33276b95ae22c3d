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
times extraction over every corpus article.  The article text comes from
``digests.ingest.parse_file`` when it is available, else from a crude local cleaner so the
evaluation does not depend on the ingest engineer's progress.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digests.quotes import extract_quotes  # noqa: E402

LABELS = REPO / "tests" / "digests" / "data" / "quote_labels.jsonl"
# Our own fictional articles, each folder with its labels.jsonl (see its README.md).
WRITTEN = LABELS.parent / "written"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"

_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|div|blockquote|ul|ol)>|<br\s*/?>", re.I)
_LI = re.compile(r"<li[^>]*>", re.I)
_DROP = re.compile(r"<(figure|figcaption|script|style)[^>]*>.*?</\1>", re.I | re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"(\*\*|__|^#+\s*|^>\s*)", re.M)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")


def crude_text(path: Path) -> tuple[str, str]:
    """(title, plain text) of a corpus file: good enough for quote evaluation only."""
    raw = path.read_text(encoding="utf-8-sig", errors="replace").replace("\r\n", "\n")
    title = ""
    body = raw
    if raw.startswith("---"):
        end = raw.find("\n---", 3)
        front, body = raw[3:end], raw[end + 4 :]
        m = re.search(r"^title:\s*(?:>-?\s*)?(.*?)(?=^\w+:)", front, re.M | re.S)
        if m:
            title = " ".join(m.group(1).split()).strip("'\"")
    else:
        first, _, body = raw.strip().partition("\n")
        title = first.strip()
    if "<p" in body or "</" in body:
        body = _DROP.sub(" ", body)
        body = _LI.sub("\n\n• ", body)
        body = _BLOCK_END.sub("\n\n", body)
        body = _TAG.sub(" ", body)
    else:
        body = _MD_LINK.sub(r"\1", body)
        body = _MD_MARK.sub("", body)
        body = re.sub(r"^\s*[-*]\s+", "• ", body, flags=re.M)
    body = html.unescape(body)
    paras: list[str] = []
    for block in re.split(r"\n\s*\n", body):
        lines = [_WS.sub(" ", ln).strip() for ln in block.split("\n")]
        if any(ln.startswith("• ") for ln in lines[1:]):
            paras.extend(ln for ln in lines if ln)  # a list: one paragraph per item
        else:
            text = " ".join(ln for ln in lines if ln)
            if text:
                paras.append(text)
    return html.unescape(title), "\n\n".join(paras)


def article_text(path: Path) -> tuple[str, str]:
    """Prefer the real ingest; fall back to :func:`crude_text`."""
    try:
        from digests.ingest import parse_file  # type: ignore[attr-defined]
    except ImportError:
        return crude_text(path)
    try:
        art = parse_file(path)
    except Exception:  # an ingest failure should not stop the evaluation
        return crude_text(path)
    return art.title, art.text


_NORM = re.compile(r"[^\w]+")


def norm_words(s: str, n: int = 6) -> list[str]:
    s = s.replace("’", "'").replace("‘", "'").lower()
    return [w for w in _NORM.split(s) if w][:n]


def prefix_match(label_start: str, quote_text: str) -> bool:
    """A label's first words must equal the prediction's first words (up to 4 compared)."""
    a = norm_words(label_start)
    b = norm_words(quote_text, len(a))
    k = min(len(a), 4)
    return k > 0 and a[:k] == b[:k]


def same_speaker(label: str | None, got: str | None) -> bool:
    """How quote-attribution systems are usually scored, and no looser.

    Equal after normalisation (case, curly apostrophes, a leading a/an/the, a trailing
    possessive), an acronym and the name it stands for ("ESA" ~ "European Space Agency"),
    or the same entity named more or less fully: one name's tokens appear
    contiguously, as whole tokens, in the other ("Sarandos" ~ "Ted Sarandos", "the
    Pentagon" ~ "Pentagon", "spokesperson" ~ "Meta spokesperson").  A role against a
    name is a miss even when it contains the name ("Meta" vs "a Meta spokesperson").
    """
    if label is None or got is None:
        return label is None and got is None
    a, b = _speaker_key(label).split(), _speaker_key(got).split()
    if a == b or _initials_of(a, b) or _initials_of(b, a):
        return True
    if _is_role(a) != _is_role(b):
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _initials_of(short: list[str], long_: list[str]) -> bool:
    """'esa' ~ 'european space agency': an acronym and the name it stands for."""
    words = [w for w in long_ if w not in ("of", "for", "and", "&")]
    return len(short) == 1 and len(words) > 1 and short[0] == "".join(w[0] for w in words)


def _speaker_key(s: str) -> str:
    """Case, curly apostrophes, punctuation, a leading article and a possessive do not matter."""
    s = s.lower().replace("’", "'").strip()
    s = re.sub(r"^(?:a|an|the)\s+", "", s)
    s = re.sub(r"'s\b", "", s)
    return " ".join(re.findall(r"[\w'.&@/-]+", s)).replace(".", "")


def _is_role(tokens: list[str]) -> bool:
    """A role or document ("spokesperson", "the company", "officials") rather than a name."""
    return any(t in _ROLE_TOKENS for t in tokens)


_ROLE_TOKENS = frozenset(
    """spokesperson spokespeople spokesman spokeswoman representative representatives
    executive executives official officials source sources engineer engineers researcher
    researchers analyst analysts user users employee employees founder company firm startup
    lawsuit complaint filing report statement memo letter post announcement release headline
    team agency department government court judge lawyer lawyers attorney attorneys person
    people critics critic experts expert developer developers owner owners manager managers
    staff staffer worker workers leader leaders investor investors member members ceo cto cfo
    president director chief head officer""".split()
)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    speaker_ok: int = 0
    # speaker misses by kind: left empty though labelled / named though unattributed / other name
    missing: int = 0
    spurious: int = 0
    wrong: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.tp if self.tp else 1.0


def load_labels(path: Path = LABELS) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(corpus: Path, labels: list[dict] | None = None) -> Score:
    """Score against ``labels``; a row's ``file`` is relative to ``corpus``."""
    score = Score()
    for row in labels if labels is not None else load_labels():
        title, text = article_text(corpus / row["file"])
        got = list(extract_quotes(text, title=title))
        used = [False] * len(got)
        for lab in row["quotes"]:
            cands = [
                i for i, q in enumerate(got) if not used[i] and prefix_match(lab["start"], q.text)
            ]
            hit = next((i for i in cands if same_speaker(lab["speaker"], got[i].speaker)), None)
            if hit is None and cands:
                hit = cands[0]
            if hit is None:
                score.fn += 1
                score.problems.append(f"MISS {row['file']}: {lab['start']!r} ({lab['speaker']})")
                continue
            used[hit] = True
            score.tp += 1
            if same_speaker(lab["speaker"], got[hit].speaker):
                score.speaker_ok += 1
            else:
                if got[hit].speaker is None:
                    score.missing += 1
                elif lab["speaker"] is None:
                    score.spurious += 1
                else:
                    score.wrong += 1
                score.problems.append(
                    f"SPKR {row['file']}: {lab['start']!r} want {lab['speaker']!r} "
                    f"got {got[hit].speaker!r}"
                )
        for i, q in enumerate(got):
            if not used[i]:
                score.fp += 1
                score.problems.append(f"FP   {row['file']}: {q.text[:60]!r} ({q.speaker})")
    return score


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
            s = evaluate(base, rows)
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
    s = evaluate(base or args.corpus, labels)
    if args.verbose:
        print("\n".join(s.problems))
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
