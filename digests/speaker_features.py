"""Candidate speakers for one quote, each described by a small sparse feature vector.

The rules in :mod:`digests.quotes` and :mod:`digests.attribution` each propose one
speaker; a learned ranker (:mod:`digests.speaker_rank`) needs *all* plausible speakers
side by side so it can weigh the cues against each other.  This module gathers them:

- the rules' own answer and how it was found (tail, head, inherit, implicit, context);
- every cue-scored candidate from :func:`digests.attribution.candidates`;
- the person or organisation opening the quote's own sentence and the sentence before;
- the last person mentioned before the quote, the article's organisation, its main person;
- "no speaker".

Features are plain ``dict[str, float]`` (names are stable strings, so the trained weights
in :mod:`digests.speaker_model` stay readable).  Everything is regex and dict look-ups:
a few microseconds per quote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from digests.attribution import candidates as cue_candidates
from digests.attribution import sentence_start
from digests.speakers import NAME_SEQ, ROLE_NOUNS, STOP_CAPS, is_personlike

_ROLE_SET = frozenset(ROLE_NOUNS)
_QUOTE_MARK = re.compile(r"[“”\"]")
_RULE_HOWS = ("tail", "head", "inherit", "implicit", "context")


@dataclass
class SpeakerCandidate:
    """One possible speaker (None = nobody) and the evidence for it."""

    name: str | None
    features: dict[str, float] = field(default_factory=dict)

    def add(self, key: str, value: float = 1.0) -> None:
        self.features[key] = max(self.features.get(key, value), value)


def speaker_key(name: str) -> str:
    """Candidates naming the same speaker merge: case, apostrophes and 'the' do not matter."""
    s = name.lower().replace("’", "'").strip()
    s = re.sub(r"^(?:a|an|the)\s+", "", s)
    return re.sub(r"'s\b", "", s)


def kind_of(art: Any, name: str) -> str:
    """person, role (a lower-case description such as 'a Meta spokesperson') or org."""
    if art.names.person(name) or is_personlike(name):
        return "person"
    words = name.lower().replace("’", "'").split()
    if name[:1].islower() or any(w in _ROLE_SET for w in words):
        return "role"
    return "org"


def build_candidates(art: Any, spans: Sequence[Any], i: int) -> list[SpeakerCandidate]:
    """Every candidate speaker for ``spans[i]`` (after the rules ran), with features."""
    sp = spans[i]
    text = art.text
    found: dict[str, SpeakerCandidate] = {}

    def cand(name: str | None) -> SpeakerCandidate | None:
        if not name or not name.strip():
            return None
        key = speaker_key(name)
        c = found.get(key)
        if c is None:
            c = found[key] = SpeakerCandidate(name)
        elif len(name) > len(c.name or ""):
            c.name = name  # the fuller form of the same speaker
        return c

    if sp.speaker:
        c = cand(sp.speaker)
        if c:
            how = sp.how if sp.how in _RULE_HOWS else "other"
            # its own attribution (tail/head) vs a rule's guess from the context
            c.add(f"own:{how}" if how in ("tail", "head") else f"rule:{how}")
    for cc in cue_candidates(art, spans, i):
        c = cand(cc.name)
        if c:
            c.add(f"cue:{cc.cue}")
            c.add("cue_score", max(-2.0, min(2.0, cc.score - 2.5)))

    lo = sp.para_start
    if i > 0 and spans[i - 1].para_start == sp.para_start:
        lo = max(lo, spans[i - 1].end)
    s0 = sentence_start(text, max(lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    if not _QUOTE_MARK.search(head):
        first = _first_entity(art, head)
        if first:
            c = cand(first[0])
            if c:
                c.add("sent_subject" if first[1] == 0 else "sent_entity")
    if s0 > sp.para_start:
        p0 = sentence_start(text, max(sp.para_start, s0 - 300), s0 - 1)
        prev = text[p0:s0]
        if not _QUOTE_MARK.search(prev):
            first = _first_entity(art, prev)
            if first and first[1] == 0:
                c = cand(first[0])
                if c:
                    c.add("prev_subject")
    last = art.names.last_person_before(sp.start, floor=max(0, sp.start - 1500))
    c = cand(last)
    if c:
        c.add("last_person")
    c = cand(art.org())
    if c:
        c.add("article_org")
    main = _main_person(art)
    c = cand(main)
    if c:
        c.add("main_person")

    whole = not head.strip(" (•—–-") and sp.text.lstrip()[:1].isupper()
    words = len(sp.text.split())
    voice = _voice(sp.text)
    cue_near = bool(_SPEECH_NOUN.search(head)) or bool(
        _SPEECH_NOUN.search(text, sp.end, sp.end + 40)
    )
    title = art.title if hasattr(art, "title") else ""
    out = list(found.values())
    strong = _strong_people(art)
    for c in out:
        name = c.name or ""
        kind = kind_of(art, name)
        c.add(f"kind:{kind}")
        if kind == "person" and name not in strong:
            c.add("weak_person")  # two capitalised words never seen acting as a person
        if voice:
            c.add(f"{voice}&kind:{kind}")
        n = _mentions(text, name)
        c.add("log_mentions", math.log1p(n))
        if n == 0:
            c.add("never_named")
        if name and name.split()[-1] in title:
            c.add("in_title")
        c.add(f"dist:{_distance(text, name, sp.start, sp.para_start)}")
        if not whole:
            for k in (
                "sent_subject",
                "sent_entity",
                "article_org",
                "rule:context",
                "rule:implicit",
            ):
                if k in c.features:
                    c.add(f"frag&{k}")
            c.add(f"frag&kind:{kind}")
        if kind == "role" and any(k.startswith(("own:", "rule:")) for k in c.features):
            c.add("chosen&role")
    none = SpeakerCandidate(None, {"none": 1.0})
    if not sp.speaker:
        none.add("none&rule_none")
    if not whole:
        none.add("none&fragment")
    if words <= 8:
        none.add("none&short")
    if sp.text.lstrip()[:1].islower():
        none.add("none&lower_start")
    if voice:
        none.add(f"none&{voice}")
    if cue_near:
        none.add("none&speech_word_near")
    out.append(none)
    return out


_I = re.compile(r"(?<![\w’'])(?:I|I’m|I'm|I’ve|I've|I’d|I'd|me|my|myself)(?![\w’'])")
_WE = re.compile(r"(?<![\w’'])(?:we|We|our|Our|us|we’re|we're|We’re|We're|we’ve|we've)(?![\w’'])")
_SPEECH_NOUN = re.compile(
    r"\b(?:said|says|say|told|tells|wrote|writes|according|statement|announcement|post|"
    r"reads|read|explained|added|noted|stated|claimed|argued|called|describ\w*)\b",
    re.I,
)


def _voice(quote: str) -> str:
    """'I' or 'we' when the quote speaks in the first person (someone is speaking), else ''."""
    if _I.search(quote):
        return "voice_i"
    if _WE.search(quote):
        return "voice_we"
    return ""


def _distance(text: str, name: str, start: int, para_start: int) -> str:
    """Where the candidate was last named before the quote: para, prev (400 chars), far, none."""
    if not name:
        return "none"
    last = name.split()[-1] if name[:1].isupper() else name
    at = text.rfind(last, 0, start)
    if at < 0:
        return "none" if text.find(last, start) < 0 else "after"
    if at >= para_start:
        return "para"
    return "near" if start - at <= 400 else "far"


def _first_entity(art: Any, s: str) -> tuple[str, int] | None:
    """The first named speaker in ``s`` and whether it opens it (0) or comes later (1)."""
    for m in NAME_SEQ.finditer(s):
        raw = m.group(0)
        if raw.split()[0].lower() in STOP_CAPS and " " not in raw:
            continue
        who = art.name_speaker(raw)
        if not who:
            continue
        lead = s[: m.start()].strip(" •(—–-,")
        opens = not lead or re.fullmatch(r"(?i)(?:and|but|so|then|still|yet|also|the|now)", lead)
        return who, 0 if opens else 1
    return None


def _strong_people(art: Any) -> set[str]:
    """People the name index saw in a person's context (title, speech verb, appositive)."""
    return {
        name for name, weak in zip(art.names.mentions, art.names.handles, strict=True) if not weak
    }


def _main_person(art: Any) -> str | None:
    """The person the article names most often (at least three times)."""
    counts: dict[str, int] = {}
    for name, handle in zip(art.names.mentions, art.names.handles, strict=True):
        if not handle:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return None
    name = max(counts, key=lambda k: counts[k])
    return name if counts[name] >= 3 else None


def _mentions(text: str, name: str) -> int:
    """How often the name (or, for a person, its last word) occurs in the text."""
    if not name or name[:1].islower():
        return 0
    last = name.split()[-1]
    return text.count(last) if len(last) > 2 else text.count(name)
