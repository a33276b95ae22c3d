"""Rule family *pronouns*: quotes whose sentence has a pronoun or a single person as its
subject but no speech verb, and a singular "they" continuing the last speaker.
"""

from __future__ import annotations

import re
from itertools import pairwise

from digests.quotes.article import Article
from digests.quotes.context import sentence_start
from digests.quotes.lexicon import NAME_SEQ
from digests.quotes.names import is_personlike
from digests.quotes.spans import Span

_LEAD_PRONOUN = re.compile(
    r"\s*(?:•\s*)?(?:(?:and|but|so|now|still|yet|instead|also|then|here|there|today|however)\b,?\s+)*"
    r"(he|she|it)\b(?!’s|'s)",
    re.I,
)


def implicit(art: Article, sp: Span) -> None:
    """No attribution cue at all, but the quote's own sentence has a subject that speaks.

    "And it will geoblock “…”" (its pronoun subject); "…, Mark Zuckerberg set a goal of
    making it “…”" (the one person it names as a subject).  Cues from the sentences before
    are scored in :mod:`digests.quotes.context`.
    """
    text = art.text
    s0 = sentence_start(text, max(sp.lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    m = _LEAD_PRONOUN.match(head)
    if not m and not re.search(r"[“”\"]", head):
        sp.speaker = _sole_person_subject(art, head)
        if sp.speaker:  # "…, Mark Zuckerberg set a goal of making it “…”"
            sp.how, sp.rule = "implicit", "pronouns.sole-subject"
            return
    if m and not re.search(r"[“”\"]", head):
        if m.group(1).lower() == "it":
            if s0 > sp.para_start and not text[s0 : s0 + m.start(1)].strip():
                sp.speaker = art.previous_org(s0, sp.para_start)
        else:
            sp.speaker = art.pronoun(m.group(1), s0 + m.start(1), sp.para_start)
        if sp.speaker:
            sp.how, sp.rule = "implicit", "pronouns.lead-pronoun"
        return


def _sole_person_subject(art: Article, head: str) -> str | None:
    """The one person a quote's own sentence names as a subject (name followed by a verb)."""
    found: set[str] = set()
    for m in NAME_SEQ.finditer(head):
        name = art.name_speaker(m.group(0))
        if not name or not (art.names.person(name) or is_personlike(name)):
            continue
        found.add(name)
        before = head[: m.start()].rstrip()
        if (before and not before.endswith((",", ";", "—"))) or not re.match(
            r"\s+[a-z]{3,}", head[m.end() :]
        ):
            found.add("")  # an object or a possessive: too unsure to pick anyone
    return found.pop() if len(found) == 1 else None


_THEY_TAIL = re.compile(r"[\s,—–-]*(?:they\s+[a-z]+|[a-z]+\s+they)\b", re.I)


def they_continues(spans: list[Span], art: Article) -> None:
    """“A,” a representative told us. “B,” they added. — a singular "they" right after an
    attributed quote is that speaker again, not the last capitalised name."""
    for a, b in pairwise(spans):
        if (
            a.speaker
            and b.how == "tail"
            and b.attr_end >= 0
            and a.para_start == b.para_start
            and _THEY_TAIL.fullmatch(art.text, b.end, b.attr_end)
            and not any(
                art.names.person(m.group(0)) for m in NAME_SEQ.finditer(art.text, a.end, b.start)
            )
        ):
            b.speaker, b.rule = a.speaker, "pronouns.they-continues"
