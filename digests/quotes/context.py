"""Speakers for quotes that carry no attribution of their own, from the text around them.

The rules in :mod:`digests.quotes.extract` read a quote's own attribution ("…," Sarandos said;
CEO Ted Sarandos told investors: "…").  Many quotes have none: a second paragraph of the
same speech, "Yuheng Feng explained to me. “Take a video …”", "It goes on to state that
“…”", "Camera companies, in his estimation, are “…”".  Rather than one rule per shape,
this module collects *candidate* speakers from the quote's neighbourhood and scores them
with a few general cues, the way quote-attribution systems do:

- a speech verb attached to the candidate in the sentence before (subject position), or
  a person opening that sentence as its subject;
- a prior attributed quote close by (news quotes in consecutive sentences or paragraphs
  with no new attribution continue the last speaker);
- a possessive pronoun in the quote's own sentence ("in his estimation"), or an owner of
  the words it carries ("Mehta's ruling …", "in the eyes of CEO Dara Khosrowshahi");
- distance (each sentence or paragraph boundary crossed costs), and whether the quote is
  a whole sentence (a fragment woven into a sentence is often the writer's own words).

A candidate is used only when it clears :data:`THRESHOLD` and beats any rival by
:data:`MARGIN`; otherwise the quote stays unattributed, which costs less than a wrong name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from digests.quotes.lexicon import NAME_SEQ, is_participle, speech_verb_re

SENT_END = re.compile(r"[.!?…][”\"’')\]]*\s+(?=[A-Z“\"‘'(•])")
ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Inc|Corp|Co|vs|etc|Gov|Sen|Rep|Prof|No|Gen|Lt|Col|Capt|Sgt|Ft)|\b[A-Z])$"
)
_QUOTE_MARK = re.compile(r"[“”\"]")
# "Altman’s comments", "the claims": the cue word is a noun here, not a verb.
_NOUN_BEFORE = re.compile(
    r"(?:[’']s|\b(?:the|a|an|his|her|their|its|our|these|those|my|your))\s+$", re.I
)
_POSSESSIVE_VIEW = re.compile(
    r"\b(?:in|by|to)\s+(his|her)\s+(?:own\s+)?(?:estimation|view|words|opinion|mind|telling|"
    r"account|eyes|reckoning)\b",
    re.I,
)
# Whose words a sentence carries without a speech verb: a ruling, order or statement
# someone owns, or a view someone holds.
_DOC_WORDS = (
    r"(?:ruling|order|executive\s+order|decision|opinion|statement|letter|memo|post|blog\s+post|"
    r"complaint|lawsuit|filing|proposal|announcement|guidelines|manifesto|essay|op-ed)"
)
_OWNED_WORDS = re.compile(
    rf"(?:(?P<owner>{NAME_SEQ.pattern})[’']s\s+(?:[\w-]+\s+){{0,2}}?{_DOC_WORDS}\b"
    rf"|\bin\s+the\s+(?:eyes|view|words|estimation)\s+of\s+(?:[a-z]+\s+)?"
    rf"(?:[A-Z]{{2,5}}\s+)?(?P<owner2>{NAME_SEQ.pattern}))"
)
_LEAD_PRONOUN = re.compile(r"\s*(?:(?:and|but|so|then|also|later)\s+)?(it|he|she|they)\b", re.I)
_GOES_ON = re.compile(r"\b(?:goes|went|go)\s+on\s+to\s+(?:state|say|note|add|argue|write|claim)")

THRESHOLD = 2.5
MARGIN = 0.5


def sentence_start(text: str, lo: int, hi: int) -> int:
    """Start of the sentence holding ``hi``, not before ``lo`` (abbreviations do not end one)."""
    best = lo
    for m in SENT_END.finditer(text, lo, min(len(text), hi + 1)):
        if m.end() <= hi and not ABBREV.search(text[max(lo, m.start() - 4) : m.start()]):
            best = m.end()
    return best


class ArticleLike(Protocol):
    """What the scorer needs from :class:`digests.quotes.article.Article`."""

    text: str

    def subject_at_end(self, s: str, base: int, para_start: int) -> str | None: ...

    def pronoun(self, word: str, pos: int, para_start: int) -> str | None: ...

    def person_opening(self, lo: int, hi: int) -> str | None: ...

    def name_speaker(self, raw: str) -> str | None: ...


class SpanLike(Protocol):
    start: int
    end: int
    text: str
    para_start: int
    para_end: int
    speaker: str | None


@dataclass(frozen=True)
class Candidate:
    name: str
    score: float
    cue: str


def context_speaker(art: ArticleLike, spans: Sequence[SpanLike], i: int) -> str | None:
    """The best-scoring speaker for ``spans[i]`` from its context, or None when unsure."""
    cands = candidates(art, spans, i)
    if not cands:
        return None
    best: dict[str, float] = {}
    for c in cands:
        best[c.name] = max(best.get(c.name, 0.0), c.score)
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    name, score = ranked[0]
    if score < THRESHOLD or (len(ranked) > 1 and score - ranked[1][1] < MARGIN):
        return None
    return name


def candidates(art: ArticleLike, spans: Sequence[SpanLike], i: int) -> list[Candidate]:
    """Every speaker the neighbourhood of ``spans[i]`` suggests, with its cue score."""
    sp = spans[i]
    text = art.text
    prev_span = spans[i - 1] if i > 0 else None
    lo = sp.para_start
    if prev_span is not None and prev_span.para_start == sp.para_start:
        lo = max(lo, prev_span.end)
    s0 = sentence_start(text, max(lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    whole = not head.strip(" (•—–-") and sp.text.lstrip()[:1].isupper()
    bonus = 1.0 if whole else 0.0
    out: list[Candidate] = []

    m = _POSSESSIVE_VIEW.search(head)  # "Camera companies, in his estimation, are “…”"
    if m:
        pos = s0 + m.start(1)
        who = art.pronoun("he" if m.group(1).lower() == "his" else "she", pos, sp.para_start)
        if who:
            out.append(Candidate(who, 3.0, "possessive"))

    for m in _OWNED_WORDS.finditer(head):  # "Mehta's ruling …", "in the eyes of CEO Dara Ko"
        who = art.name_speaker(m.group("owner") or m.group("owner2"))
        if who:
            out.append(Candidate(who, 2.5 + bonus, "owner of the words"))

    closing = _closing_attribution(art, sp)
    if closing:  # "… may “limit supply,” but Apple plans to ship it, Gurman wrote."
        out.append(Candidate(closing, 3.0, "attribution closing the sentence"))

    last = _last_attributed(spans, i)
    if last is not None:
        gap = text[last.end : sp.start]
        same_para = last.para_start == sp.para_start
        next_para = not same_para and last.para_end + 2 == sp.para_start
        if same_para or next_para:
            score = (2.0 if same_para else 1.5) + bonus
            score -= 0.5 * min(len(SENT_END.findall(gap)), 3)
            lead = _LEAD_PRONOUN.match(head)
            if lead and lead.group(1).lower() == "it" and _GOES_ON.search(head):
                score += 1.5  # "It goes on to state that …": the same letter or statement
            out.append(Candidate(last.speaker or "", score, "continues"))

    for p0, p1, back in _sentences_before(text, s0, sp.para_start):
        prev = text[p0:p1]
        if _QUOTE_MARK.search(prev):
            break  # its quotes carry their own speakers: the "continues" cue covers them
        prev_para = sp.para_start if p0 >= sp.para_start else text.rfind("\n\n", 0, p0) + 2
        found = _speech_subject(art, prev, p0, prev_para)
        if found:
            who, reported = found
            score = 2.0 + bonus - 0.75 * back + (0.5 if reported else 0.0)
            if p1 <= sp.para_start:
                score -= 0.5  # from the paragraph before
            if prev.rstrip().endswith(":"):
                score += 0.5
            out.append(Candidate(who, score, "speech-verb before"))
            break
        if back == 0:
            lead = _LEAD_PRONOUN.match(prev)
            if lead and lead.group(1).lower() in ("he", "she"):
                # "He then analysed it. “I think …”": the person the text is already about
                who = art.pronoun(lead.group(1), p0 + lead.start(1), min(p0, sp.para_start))
                base = 2.0
            else:
                who = art.person_opening(p0, p1) if p1 > sp.para_start else None
                base = 1.5  # "Christian Kroll … foresaw it. “We …”"
            if who:
                cross = 0.5 if p1 <= sp.para_start else 0.0
                out.append(Candidate(who, base + bonus - cross, "subject before"))
    return [c for c in out if c.name]


def _closing_attribution(art: ArticleLike, sp: SpanLike) -> str | None:
    """A ", Gurman wrote." that closes the quote's sentence, with no other quote before it."""
    m = SENT_END.search(art.text, sp.end, sp.para_end)
    end = m.start() + 1 if m else sp.para_end
    rest = art.text[sp.end : end]
    if _QUOTE_MARK.search(rest):
        return None
    c = _CLOSING.search(rest)
    if not c or not speech_verb_re().fullmatch(c.group("verb")):
        return None
    return art.subject_at_end(c.group("subj"), sp.end + c.start("subj"), sp.para_start)


_CLOSING = re.compile(
    r",\s+(?P<subj>[^,;:“”\"]{1,50}?)\s+(?:also\s+)?(?P<verb>[a-z]+)\s*[.!?]?\s*$"
)


def _last_attributed(spans: Sequence[SpanLike], i: int) -> SpanLike | None:
    for j in range(i - 1, -1, -1):
        if spans[j].speaker:
            return spans[j]
        if spans[j].para_end + 2 < spans[i].para_start:
            break
    return None


def _sentences_before(text: str, s0: int, para_start: int) -> list[tuple[int, int, int]]:
    """(start, end, distance) of the sentences that may introduce a quote at ``s0``.

    Up to two sentences before it in its paragraph, nearest first; for a quote opening its
    paragraph, the previous paragraph's last sentence and its opening one ("The executive
    also noted that …"), which sets what that paragraph reports.
    """
    out: list[tuple[int, int, int]] = []
    end = s0
    if end <= para_start:
        if para_start < 2:
            return out
        end = para_start - 2
        prev_start = max(0, text.rfind("\n\n", 0, end) + 2)
        p0 = sentence_start(text, max(prev_start, end - 400), end)
        if end > p0:
            out.append((p0, end, 0))
        if prev_start < p0:
            first_end = next(
                (
                    m.end()
                    for m in SENT_END.finditer(text, prev_start, p0)
                    if not ABBREV.search(text[max(prev_start, m.start() - 4) : m.start()])
                ),
                p0,
            )
            out.append((prev_start, first_end, 0))
        return out
    while end > para_start and len(out) < 2:
        p0 = sentence_start(text, max(para_start, end - 400), end - 1)
        out.append((p0, end, len(out)))
        end = p0
    return out


def _speech_subject(
    art: ArticleLike, sentence: str, base: int, para_start: int
) -> tuple[str, bool] | None:
    """The subject of the first finite speech verb in ``sentence`` ("Feng explained to me"),
    and whether it reports speech ("Waymo says that …"), which the next sentence may go on."""
    low = sentence.lower()
    for m in speech_verb_re().finditer(low):
        if is_participle(m.group(1)) or _NOUN_BEFORE.search(sentence, 0, m.start()):
            continue
        if sentence[m.start()].isupper():
            continue  # a capitalised word is a name or a sentence opener, not a verb
        who = art.subject_at_end(sentence[: m.start()], base, para_start)
        if who:
            return who, bool(_REPORTS.match(low, m.end()))
    return None


_REPORTS = re.compile(r"\s+(?:that|it|he|she|they)\b")
