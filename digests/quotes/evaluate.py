"""Scoring the quote extractor against hand-labelled articles (importable; the command line is
``bench/eval_quotes.py``).

A label set is a ``.jsonl`` file, one line per article:
``{"file": <path relative to a folder>, "quotes": [{"start": <first words>, "speaker": ...}]}``.
Only short prefixes are stored (third-party text stays outside the repo), so a predicted
quote matches a label when their normalised first words agree.  Article text comes from
:func:`digests.ingest.parse_file`, the same path the bot uses; a file it cannot read fails
the evaluation (:class:`EvaluationError`) rather than being scored on some other text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digests.ingest import parse_file
from digests.quotes.extract import extract_quotes

REPO = Path(__file__).resolve().parents[2]
LABELS = REPO / "tests" / "digests" / "data" / "quote_labels.jsonl"
# Our own fictional articles, each folder with its labels.jsonl (see its README.md).
WRITTEN = LABELS.parent / "written"


class EvaluationError(Exception):
    """An article of a label set could not be read: the score would not mean anything."""


def article_text(path: Path) -> tuple[str, str]:
    """(title, text) of one labelled article, through the real ingest."""
    try:
        art = parse_file(path)
    except Exception as exc:
        raise EvaluationError(
            f"{path}: ingest failed ({exc}); fix the file or the label set"
        ) from exc
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
    # rule id -> [speakers right, quotes matched] ("-": no speaker)
    by_rule: dict[str, list[int]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.tp if self.tp else 1.0


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate(corpus: Path, labels: list[dict[str, Any]] | None = None) -> Score:
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
            right = same_speaker(lab["speaker"], got[hit].speaker)
            tally = score.by_rule.setdefault(got[hit].how or "-", [0, 0])
            tally[0] += right
            tally[1] += 1
            if right:
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
                    f"got {got[hit].speaker!r} [{got[hit].how or '-'}]"
                )
        for i, q in enumerate(got):
            if not used[i]:
                score.fp += 1
                score.problems.append(
                    f"FP   {row['file']}: {q.text[:60]!r} ({q.speaker}) [{q.how or '-'}]"
                )
    return score
