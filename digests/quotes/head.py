"""Rule family *head*: attribution in the quote's own sentence before it ("CEO Ted Sarandos
told investors: '…'", "according to X", "The report found …").
"""

from __future__ import annotations

import re

from digests.quotes.article import Article
from digests.quotes.context import sentence_start
from digests.quotes.documents import NOUN_BEFORE
from digests.quotes.lexicon import NAME_SEQ, SENTENCE_STOP_CAPS, is_participle, speech_verb_re
from digests.quotes.names import is_personlike
from digests.quotes.organisations import GENERIC_CAPS
from digests.quotes.resolve import (
    ASIDE_OPENER,
    PREP_BEFORE,
    QUOTE_MARKS,
    QUOTED,
    TITLED_NAME,
    strip_asides,
)
from digests.quotes.roles import det_phrase_at_end, role_at_start
from digests.quotes.spans import Span, looks_like_title
from digests.quotes.tail import ACCORDING, SAY_VERBS

_NAMING = frozenset({"called", "calls", "calling", "dubbed"})
_NAME_BEFORE_PARTICIPLE = re.compile(rf",\s+({NAME_SEQ.pattern}),\s+$")
_SAID_PRONOUN = re.compile(
    r"\b(?:said|says|told\s+\w+|added|wrote|argued|insisted|claimed)\s+(?:that\s+)?"
    r"(?:it|he|she|they)\s+(?:\w+ly\s+)?$"
)


def head(art: Article, sp: Span, lo: int) -> None:
    """Attribution in the quote's own sentence, before it."""
    text = art.text
    s0 = sentence_start(text, max(lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    if not head.strip():
        return
    cue_verb = None
    for m in speech_verb_re().finditer(head.lower()):
        if NOUN_BEFORE.search(head, 0, m.start()):
            continue
        if head[m.start()].isupper() and head[: m.start()].strip():
            continue  # "the United States", "Notes": a name, not a verb
        if (
            m.group(1) in _NAMING
            and re.match(r"\s+(?:it\s+)?[A-Z0-9“\"‘']", head[m.end() :])
            and (looks_like_title(sp.text) or not _EVALUATED.fullmatch(head, m.end()))
        ):
            continue  # "a model called Nemotron 3", "called it “Smart Reply”" is naming
        if cue_verb is not None and _SAID_PRONOUN.search(head, 0, m.start()):
            continue  # "the institute said it shares …": "it" is the institute, keep "said"
        if (
            cue_verb is not None
            and cue_verb.group(1) in _PLAIN_SAY
            and m.group(1) not in SAY_VERBS
            and not is_participle(m.group(1))
            and not QUOTE_MARKS.search(head, cue_verb.end(), m.start())
        ):
            continue  # "The union said the operator had offered a rise that was ‘…’"
        if _MODAL_BEFORE.search(head, 0, m.start()):
            continue  # "a user can say, “Alexa, …”": a hypothetical, not an attribution
        if cue_verb is not None and _COORDINATED.search(head, 0, m.start()):
            continue  # "SAG-AFTRA said …, but warned that …": said's subject warns too
        cue_verb = m
    if cue_verb is None:
        found = _DOC_FINDS.search(head)
        if found:  # "The report also found that staff were “…”"
            sp.speaker, sp.how = art.role(found.group(1), s0 + found.start(1)), "head"
            sp.rule = "head.document-finds"
            return
    acc = None
    for m in ACCORDING.finditer(head):
        acc = m
    if acc is not None and (cue_verb is None or acc.start() > cue_verb.start()):
        who = art.subject_at_start(head[acc.end() :], s0 + acc.end(), sp.para_start)
        if who:
            sp.speaker, sp.how, sp.rule = who, "head", "head.according"
            return
    if cue_verb is not None:
        v0, v1 = cue_verb.span()
        who = None
        rule = "head.subject-verb"
        if not is_participle(cue_verb.group(1)):
            who = art.subject_at_end(head[:v0], s0, sp.para_start)
            if who is None and cue_verb.group(1) in SAY_VERBS:
                r = det_phrase_at_end(strip_asides(head[:v0].rstrip()))  # "the minister said"
                who = art.role(r, s0 + v0) if r else None
        else:
            before = _NAME_BEFORE_PARTICIPLE.search(head, 0, v0)
            if before and art.is_person(
                before.group(1)
            ):  # "It quotes X's strategy head, Neil Varga, writing"
                who, rule = art.name_speaker(before.group(1)), "head.participle"
        if who is None and not head[:v0].strip():
            who = art.subject_at_start(head[v1:], s0 + v1, sp.para_start)  # "Wrote X on X: …"
            rule = "head.verb-first"
        if who is None:
            who, rule = _clause_subject(art, head[:v0], s0, sp.para_start), "head.clause-subject"
        if who:
            sp.speaker, sp.how, sp.rule = who, "head", rule
            return
    short = head.rstrip().endswith(",") and len(head.split()) <= 8
    if head.rstrip().endswith(":") or short:
        clause = re.split(r"[:.;]\s", head.rstrip()[:-1])[-1]
        # "In his Bluesky post, he was blunt: “…”", "Asked whether …, she was careful: “…”"
        clause = _LEAD_OPENER.sub("", clause)
        named = _ROLE_COMMA_NAME.match(clause)
        if named and art.is_person(named.group(1)):  # "Her neighbor, Jim Tolbert, worried: “…”"
            sp.speaker, sp.how = art.name_speaker(named.group(1)), "head"
            sp.rule = "head.colon"
            return
        off = head.find(clause)
        pronoun = re.match(r"\s*(?:•\s*)?(he|she|they|it)\b", clause, re.I)
        r = role_at_start(clause.strip())
        first = NAME_SEQ.search(clause)
        if pronoun:
            sp.speaker = art.pronoun(pronoun.group(1), s0 + off, sp.para_start)
        elif r and first and clause.strip().startswith(first.group(0)) and len(r) > len(first[0]):
            sp.speaker = art.role(
                r, s0 + off
            )  # "Cupertino marketing executives have branded it: “…”"
        else:
            for nm in NAME_SEQ.finditer(clause):
                who = art.name_speaker(nm.group(0))
                if who:
                    sp.speaker = who
                    break
        if sp.speaker:
            sp.how, sp.rule = "head", "head.colon"


_DOC_FINDS = re.compile(
    r"(?:^|[,;]\s+|\.\s+)((?:[Tt]he|[Aa]n?|[Ii]ts)\s+(?:[\w-]+\s+)?(?:report|study|paper|survey|audit|"
    r"review|analysis|researchers|authors|scientists|inspectors|investigators))\s+(?:also\s+)?"
    r"(?:found|finds|concluded|concludes|showed|shows)\b"
)
_MODAL_BEFORE = re.compile(r"\b(?:can|could|might|may|should|must)\s+(?:simply\s+|just\s+)?$")
_COORDINATED = re.compile(r",?\s+(?:but|and)\s+(?:also\s+)?$")
_PLAIN_SAY = frozenset("said says told tells".split())
# "called Reinholt “…”", "called it “…”": a judgement on someone, not a name for something
_EVALUATED = re.compile(
    r"\s+(?:it|them|him|her|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?(?:[’']s(?:\s+[a-z][\w-]*){1,3})?)\s*"
)
_PERSON_LATER = re.compile(rf",\s+{NAME_SEQ.pattern},")
# "FRANKFURT, March 12 (Meridian Wire) - " / "COPENHAGEN — ": where and who filed, not a subject
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .,/'-]{2,40}(?:,\s+[A-Z][a-z]+\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-–—]+\s+"
)
_ROLE_COMMA_NAME = re.compile(
    rf"\s*(?:[A-Za-z][\w’'-]*\s+){{1,4}}?[a-z][\w-]*,\s+({NAME_SEQ.pattern}),"
)
_LEAD_OPENER = re.compile(rf"^\s*{ASIDE_OPENER}")
_CLAUSE_SPLIT = re.compile(r",\s+(?:and|but|while|as)\s+|;\s+|\s+—\s+")


def _clause_subject(art: Article, s: str, base: int, para_start: int) -> str | None:
    """The subject of the clause holding the verb ("Karpathy …, writing that"), or the sentence's."""
    parts = [(m.end()) for m in _CLAUSE_SPLIT.finditer(s)]
    for start in ([parts[-1]] if parts else []) + [0]:
        m = re.match(r"\s*(?:[\w’']+\s+){0,3}?(he|she|it|they)\b", s[start:], re.I)
        if m and not re.search(r"[A-Z]", s[start : start + m.start(1)]):
            who = art.pronoun(m.group(1), base + start + m.start(1), para_start)
            if who:
                return who
        clause = _LEAD_OPENER.sub("", _DATELINE.sub("", s[start:])).strip()  # "In a suit, Apple …"
        lead_name = NAME_SEQ.match(clause)
        if lead_name and lead_name.group(0).split()[0].lower() in SENTENCE_STOP_CAPS:
            lead_name = None  # "The company …": "The" is no name
        if start == 0 and role_at_start(clause) and not lead_name:
            who = art.subject_at_start(clause, base, para_start)  # "The company announced …"
            if who:  # "A report from the CDC found …" -> the CDC
                return who
        rest = s[start:]
        lead = _DATELINE.match(rest)
        if lead:
            rest, start = rest[lead.end() :], start + lead.end()
        who = _nearest_speaker(art, rest, base + start, para_start, first=True)
        if who:
            return who
    return None


def _nearest_speaker(
    art: Article, s: str, base: int, para_start: int, *, first: bool = False
) -> str | None:
    """The last (or first) person-like name or he/she in ``s``."""
    best: tuple[int, str] | None = None
    s = QUOTED.sub(lambda q: " " * len(q.group(0)), s)  # "its new “Creative Studio”": no speaker
    for m in NAME_SEQ.finditer(s):
        if first and best is not None:
            break
        raw = m.group(0)
        if raw.split()[0].lower() in SENTENCE_STOP_CAPS and len(raw.split()) == 1:
            continue
        if first and s.startswith(("’s", "'s"), m.end()) and _PERSON_LATER.search(s, m.end()):
            continue  # "Arcwell’s chief security officer, Mark Delacroix, …": not Arcwell
        later = TITLED_NAME.match(s, m.end())
        name = art.name_speaker(later.group(1) if later else raw)
        if not name:
            continue
        if art.names.person(name) or is_personlike(name):
            best = (m.start(), name)
        elif first and name not in GENERIC_CAPS and not PREP_BEFORE.search(s, 0, m.start()):
            best = (m.start(), name)
    for m in re.finditer(r"\b(he|she)\b", s, re.I):
        if best is None or m.start() > best[0]:
            who = art.pronoun(m.group(1), base + m.start(), para_start)
            if who:
                best = (m.start(), who)
    return best[1] if best else None
