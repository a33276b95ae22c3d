"""Rule family *tail*: attribution right after the quote (', Sarandos said', ', said X',
'— Ted Sarandos', ', according to X').
"""

from __future__ import annotations

import re

from digests.quotes.article import Article
from digests.quotes.context import ABBREV, SENT_END
from digests.quotes.documents import NOUN_BEFORE
from digests.quotes.lexicon import NAME_SEQ, speech_verb_re
from digests.quotes.roles import det_phrase_at_start
from digests.quotes.spans import Span

ACCORDING = re.compile(r"\baccording to\s+", re.I)
_CLAUSE_END = re.compile(r"[.;:!?“\"‘]|,\s*[“\"‘']|$")


_TAIL_SUBJ_VERB = re.compile(
    r"^[\s,]*(?P<subj>.{1,130}?)\s+(?:(?:also|then|later|simply|quickly|recently|previously|"
    r"has|had|have|would|once|reportedly|(?:is|was)\s+quoted\s+as)\s+)*"
    r"(?P<verb>read|begins|began|" + speech_verb_re().pattern[3:-3] + r")\b",
)
_NEW_CLAUSE = re.compile(r"\s*(?:and|but|while|whereas)\s+(?!s?he\b|they\b)")
_NOT_SUBJECT = re.compile(r"(?:and\s+|but\s+)?(?:that|which|who|whom|because|if|whether)\b")
_LATER_ACCORDING = re.compile(r"[^.;!?“”\"]{0,120}?,\s+according to\s+")
_TAIL_VERB_SUBJ = re.compile(
    r"^[\s,]*(?P<verb>" + speech_verb_re().pattern[3:-3] + r")\s+(?P<subj>.{1,80})"
)
_DASH = re.compile(r"^\s*(?:[—–]|--|-\s)\s*(?P<subj>.{1,80})")


_TAIL_RELATIVE = re.compile(r",\s+(?:who|which)\s[^,;:.!?“”\"]{1,120},(?=\s+[a-z])")
_PAREN = re.compile(r",?\s*\([^()“”\"]{1,40}\)")


def _blank(m: re.Match[str]) -> str:
    """Same length, so offsets into the tail still point into the text."""
    return " " * len(m.group(0))


def tail(art: Article, sp: Span) -> None:
    """Attribution after the quote: ', Sarandos said', ', said X', '—Ted Sarandos'."""
    text = art.text
    lim = min(sp.end + 320, sp.para_end)  # long appositive chains before the verb
    tail = _PAREN.sub(_blank, text[sp.end : lim])  # "Sen. Ron Wyden, (D-Ore.) said"
    tail = _first_sentence(tail)  # "…,” said Mayor Jane Doe. Critics worry …": not "Critics"
    if "who" in tail or "which" in tail:
        tail = _TAIL_RELATIVE.sub(_blank, tail)  # "one developer, who asked not to be named, told"
    if not tail or tail[0].isalnum():
        return
    m = _DASH.match(tail)
    if m:
        who = art.subject_at_start(m.group("subj"), sp.end + m.start("subj"), sp.para_start)
        if who:
            sp.speaker, sp.how, sp.rule = who, "tail", "tail.dash"
            sp.attr_end = sp.end + _clause_len(tail, m.start("subj"))
        return
    m = ACCORDING.match(tail.lstrip(" ,"))
    if m and sp.text.rstrip()[-1:] in ".!?" and tail[:1].isspace():
        m = None  # "“….” According to the Post, he plans …": the next sentence's source
    if m:
        off = len(tail) - len(tail.lstrip(" ,")) + m.end()
        who = art.subject_at_start(tail[off:], sp.end + off, sp.para_start)
        if who is None:
            r = det_phrase_at_start(tail[off:])
            who = art.role(r, sp.end + off) if r else None  # "according to the alliance"
        if who:
            sp.speaker, sp.how, sp.rule = who, "tail", "tail.according"
            sp.attr_end = sp.end + _clause_len(tail, off)
        return
    m = _APPOSITIVE_CHAIN.match(tail) if sp.text.rstrip()[-1:] == "," else None
    if m and m.group("verb") in SAY_VERBS:
        who = art.name_speaker(m.group("name"))
        if who and art.is_person(m.group("name")):
            # "“…,” Ola Hendry, the attorney general of X, one of the counties suing Y, said"
            sp.speaker, sp.how, sp.rule = who, "tail", "tail.appositive-chain"
            sp.attr_end = sp.end + _clause_len(tail, m.end("verb"))
            return
    m = _TAIL_VERB_SUBJ.match(tail)
    if m and not re.match(r"(?:that|to|by|in|on|for|as|it)\b", m.group("subj")):
        who = art.subject_at_start(m.group("subj"), sp.end + m.start("subj"), sp.para_start)
        if who is None and m.group("verb") in SAY_VERBS:  # "said a longtime resident"
            r = det_phrase_at_start(m.group("subj"))
            who = art.role(r, sp.end) if r else None
        if who:
            sp.speaker, sp.how, sp.rule = who, "tail", "tail.verb-subject"
            sp.attr_end = sp.end + _clause_len(tail, m.start("subj"))
            return
    m = _TAIL_SUBJ_VERB.match(tail)
    if m and NOUN_BEFORE.search(tail, 0, m.start("verb")):
        m = None  # "Netflix’s shares rose": a noun, not a speech verb
    if m and (_NOT_SUBJECT.match(m.group("subj")) or _NEW_CLAUSE.match(m.group("subj"))):
        m = None  # "“…” and that he believes", "“…” and Hugo Benitez called": a new clause
    if m and sp.text.rstrip()[-1:] in ".!?" and re.search(r"\bthat\b", m.group("subj")):
        m = None  # "“….” These are lines that Amodei has said …": a new sentence
    if m and not re.search(r"[;:!?“”\"]|(?<![A-Z])[a-z]{2,}\.\s", m.group("subj")):
        end = _clause_len(tail, m.end())
        if tail[end : end + 1] == ":" or (
            sp.text.rstrip()[-1:] in ".!?"
            and tail[end : end + 1] != "."
            and tail.lstrip()[:1] not in ",—–"
        ):
            return  # "…false.” Aaron added: “…" introduces the next quote
        if (
            sp.text.rstrip()[-1:] in ".!?"
            and tail.lstrip()[:1] not in ",—–"
            and len(tail[m.end() : end].split()) > 6
        ):  # "“….” Park said the message was taken out of context.": a new sentence, whose
            # subject is usually the speaker, unless the quote's own sentence names one
            sp.next_subject = art.subject_at_end(tail[: m.start("verb")], sp.end, sp.para_start)
            return
        who = art.subject_at_end(tail[: m.start("verb")], sp.end, sp.para_start)
        if who is None and m.group("verb") in SAY_VERBS:  # "“…,” one person … said."
            r = det_phrase_at_start(m.group("subj").strip(" ,"))
            who = art.role(r, sp.end) if r else None
        if who:
            sp.speaker, sp.how, sp.rule = who, "tail", "tail.subject-verb"
            sp.attr_end = sp.end + end
            return
    m = _LATER_ACCORDING.match(tail) if sp.text.rstrip()[-1:] not in ".!?" else None
    if m:  # "“…” multiple weeks in a row, according to NBCUniversal" (not the next sentence's)
        who = art.subject_at_start(tail[m.end() :], sp.end + m.end(), sp.para_start)
        if who:
            sp.speaker, sp.how, sp.rule = (
                who,
                "head",
                "tail.later-according",
            )  # not adjacent: no interrupted-quote merging


def _first_sentence(tail: str) -> str:
    """``tail`` up to the end of the sentence it is in (abbreviations do not end one)."""
    for m in SENT_END.finditer(tail):
        if not ABBREV.search(tail[max(0, m.start() - 4) : m.start()]):
            return tail[: m.start() + 1]
    return tail


def _clause_len(tail: str, start: int) -> int:
    m = _CLAUSE_END.search(tail, start)
    return m.start() if m else len(tail)


# Plain verbs of saying: only these make any noun phrase next to them a speaker.
SAY_VERBS = frozenset(
    """said says told tells added adds wrote writes stated states noted notes explained
    argued argues warned warns insisted insists admitted acknowledged recalled replied responded
    continued conceded countered complained cautioned posted tweeted claimed claims claim
    alleged alleges allege contended contends described describes called calls accused
    accuses urged urges""".split()
)


# "” Maria Lund, a former engineer …, who later …, told reporters": a name, then asides
# (commas inside them allowed), then a comma and the speech verb, all in one sentence.
_APPOSITIVE_CHAIN = re.compile(
    rf"^\s*(?P<name>{NAME_SEQ.pattern}),\s+(?:a|an|the|one|who|whose|its|his|her|[A-Z])"
    r"[^.;:!?“”\"]{4,260}?(?:,\s+|\s{3,})(?:also\s+|later\s+)?(?P<verb>"
    + "|".join(sorted(SAY_VERBS, key=len, reverse=True))
    + r")\b"
)
