"""Person names in an article: ``NameIndex`` remembers every person-like name mentioned, so a
later "Sarandos said" or "he said" resolves to the fullest form ("Ted Sarandos").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

from digests.quotes.lexicon import (
    HANDLE,
    LOWER,
    NAME_SEQ,
    ORG_FIRST,
    ORGISH,
    ROLE_WORDS,
    SPEECH_VERBS,
    STOP_CAPS,
    UPPER,
)

# Title words that are also surnames ("Matthew Prince", "Gayle King").
_SURNAMES = frozenset("prince king queen judge general speaker chancellor captain".split())


@lru_cache(maxsize=8192)  # pure; an article repeats its names, so most calls are hits
def strip_roles(seq: str) -> str:
    """'Netflix CEO Ted Sarandos' -> 'Ted Sarandos'; 'Judge Rita Lin' -> 'Rita Lin'."""
    toks = [t for t in seq.split() if not t.endswith(("-based", "-born"))]  # "Berlin-based"
    while toks and toks[0].lower() in STOP_CAPS:
        toks.pop(0)
    while toks and toks[-1].lower() in STOP_CAPS:
        toks.pop()
    last_role = -1
    for i, t in enumerate(toks[:-1]):  # the last word is the name ("Matthew Prince")
        if t.lower().rstrip(".") in ROLE_WORDS or t.lower() in ROLE_WORDS:
            last_role = i
    if 0 <= last_role < len(toks) - 1:
        toks = toks[last_role + 1 :]
    return " ".join(toks)


@lru_cache(maxsize=8192)
def is_personlike(name: str) -> bool:
    """Two to four capitalised words, not ending like an organisation or place."""
    toks = name.split()
    if not 2 <= len(toks) <= 4:
        return False
    last = toks[-1].lower().rstrip(".")
    first = toks[0].lower()
    if last in ORGISH or first in ORG_FIRST or (last in ROLE_WORDS and last not in _SURNAMES):
        return False
    if len({t.lower() for t in toks}) < len(toks):
        return False
    if any(t.lower() in ORGISH or (t.lower() in ORG_FIRST and len(t) > 3) for t in toks):
        return False
    if toks[-1].endswith(".") and len(toks[-1]) == 2 and len(toks) == 2:
        return True  # "Ellen T."
    return all(len(t) > 1 or t.endswith(".") for t in toks)


def _common_word_start(text: str, pos: int, name: str) -> bool:
    """'Take Instacart' at a sentence start: 'take' also occurs in lower case, so not a name."""
    before = text[max(0, pos - 2) : pos]
    if pos and not (before.endswith(("\n", ". ", "? ", "! ", ": ", "“", '"')) or before == ""):
        return False
    first = name.split(" ", 1)[0].lower()
    return f" {first} " in text


_ROLE_BEFORE = re.compile(
    r"\b(?:ceo|cto|cfo|coo|founder|co-founder|executive|president|director|editor|reporter|"
    r"analyst|engineer|researcher|scientist|professor|spokesperson|spokesman|spokeswoman|chief|"
    r"head|manager|partner|lead|reviewer|writer|author|colleague|senator|judge|user|developer|"
    r"designer|investor|lawyer|attorney|officer|chair|chairman|secretary|minister|mayor|governor|"
    r"dr\.|mr\.|ms\.|mrs\.|boss)\s*,?\s*$",
    re.I,
)
_ROLE_HEADS_BEFORE = frozenset(
    """leader member councillor councilor commissioner coach manager captain striker minister
    secretary senator governor mayor lawmaker chair chairman chairwoman economist strategist
    historian curator nurse physician surgeon teacher student resident volunteer owner founder
    official diplomat negotiator ambassador envoy commander chancellor""".split()
)
_PERSON_AFTER = re.compile(
    r"(?i)^(?:[’']s)?(?:,\s+(?:who|the|a|an|whose|ceo|cto|cfo|founder|co-founder|cofounder|president|"
    r"chief|head|director|chair|chairman|chairwoman|professor|spokesperson|senior|editor|"
    r"partner|policy|vice|executive)\b|\s+(?:is|was)\s+(?:a|an|the)\b|\s+(?:also\s+|later\s+)?(?:"
    + "|".join(sorted({v for v in SPEECH_VERBS if not v.endswith("ing")}, key=len, reverse=True))
    + r")\b)"
)


# The look-behind sits after the first letter (".": that letter is never a newline), so
# the scan can skip to capital letters instead of testing the look-behind everywhere: the
# same matches as "(?<![\w’'])([UPPER][LOWER]+) …", three times faster.
_NICKNAMED = re.compile(
    rf"([{UPPER}](?<![\w’'].)[{LOWER}]+) [“\"‘][\w’'.-]{{1,15}}[”\"’] ([{UPPER}][{LOWER}]+)"
)
# NAME_SEQ for scanning a whole text: every name starts with a capital, and saying so
# first lets the scan skip to capitals (same matches, a third faster).
_NAME_SCAN = re.compile(rf"(?=[{UPPER}]){NAME_SEQ.pattern}")
_POSSESSIVE_AT = re.compile(rf"{NAME_SEQ.pattern}[’']s\b")
# Every character a name sequence can hold: a possessive name ends inside a run of these.
_NAME_CHARS = re.compile(rf"[{UPPER}{LOWER}’'.\s-]*")


def _possessive_at(text: str, pos: int) -> bool:
    """A possessive name starts at ``pos`` ("Trump’s win"): ``_POSSESSIVE_AT.match``.

    The pattern backtracks exponentially over long runs of capitalised words that end
    in no "’s" (tens of microseconds each), so it only runs when a "’s" or "'s" lies
    within the run of name characters starting at ``pos``, the only place it can match.
    """
    chars = _NAME_CHARS.match(text, pos)  # matches the empty string too, so never None
    run = text[pos : chars.end()] if chars else ""
    if "’s" not in run and "'s" not in run:
        return False
    return _POSSESSIVE_AT.match(text, pos) is not None


_OBLIQUE = re.compile(
    r"\b(?:to|with|from|for|of|about|by|after|before|against|toward|towards|than|like|at|on|"
    rf"over|among|between)\s+(?:the\s+)?(?:[{UPPER}][\w’'.-]*\s+(?:and|&)\s+)?$"
)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one inserted, deleted or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _person_context(text: str, start: int, end: int) -> bool:
    """A title before ("chief executive Lena Park", "party leader Petur Magnusson"), or a
    verb or appositive after the name."""
    before = text[max(0, start - 30) : start]
    if _ROLE_BEFORE.search(before) or _PERSON_AFTER.match(text[end : end + 40]):
        return True
    prev = before.rstrip(" ,").rsplit(None, 1)[-1:] if before[-1:] == " " else []
    return bool(prev) and prev[0].lower() in _ROLE_HEADS_BEFORE


@dataclass
class NameIndex:
    """Person names an article mentions, and where, for surname and pronoun look-ups."""

    full: dict[str, str] = field(default_factory=dict)  # token -> fullest name holding it
    positions: list[int] = field(default_factory=list)  # mention offsets, sorted
    mentions: list[str] = field(default_factory=list)  # fullest name per mention
    handles: list[bool] = field(default_factory=list)  # mention is a u/ or @ handle
    # after a preposition ("sympathy to Chen"); None when also possessive ("after Trump's win")
    oblique: list[bool | None] = field(default_factory=list)

    @classmethod
    def build(cls, text: str, title: str | None = None) -> NameIndex:
        idx = cls()
        seen: list[tuple[int, str]] = []
        evidence: set[str] = set()  # names seen in a person's context (title, verb, appositive)
        singles: set[str] = set()
        alone: dict[str, int] = {}  # single capitalised words and how often they stand alone
        for source, offset in ((title or "", -1), (text, 0)):
            if "“" in source or '"' in source:
                for m in _NICKNAMED.finditer(source):  # Greg “Joz” Joswiak -> Greg Joswiak
                    idx._remember(f"{m.group(1)} {m.group(2)}")
            for m in _NAME_SCAN.finditer(source):
                name = strip_roles(m.group(0))
                if not name:
                    continue
                if name == m.group(0) and _common_word_start(source, m.start(), name):
                    name = name.split(" ", 1)[1] if " " in name else ""
                    if not name:
                        continue
                if is_personlike(name):
                    idx._remember(name)
                    if offset >= 0:
                        seen.append((m.start() + m.group(0).rfind(name.split()[0]), name))
                        if name != m.group(0) or _person_context(source, m.start(), m.end()):
                            evidence.add(name)
                elif offset >= 0:
                    seen.append((m.start(), name))
                    if " " not in name:
                        singles.add(name)
                        alone[name] = alone.get(name, 0) + 1
            for m in HANDLE.finditer(source) if "@" in source or "u/" in source else ():
                idx.full.setdefault(m.group(0), m.group(0))
                if offset >= 0:
                    seen.append((m.start(), m.group(0)))
        mentioned: dict[str, int] = {}
        for _, nm in seen:
            mentioned[nm] = mentioned.get(nm, 0) + 1
        for word, n in alone.items():
            full = idx.full.get(word)
            if full and full.split()[0] == word and full != word and full not in evidence:
                if n < max(3, 3 * mentioned.get(full, 0)):
                    continue
                del idx.full[word]  # "Waymo says" is the company, not "Waymo Driver"
        seen.sort()
        strong = {full for full in set(idx.full.values()) if full.split()[-1] in singles}
        strong |= {idx.person(n) or n for n in evidence}
        for pos, name in seen:
            resolved = idx.person(name)
            if resolved:
                idx.positions.append(pos)
                idx.mentions.append(resolved)
                is_handle = resolved[0] in "u@" and not resolved[1:2].isalpha()
                idx.handles.append(is_handle or (bool(strong) and resolved not in strong))
                oblique: bool | None = bool(_OBLIQUE.search(text, max(0, pos - 40), pos))
                if oblique and _possessive_at(text, pos):
                    oblique = None  # "after Trump’s reelection": never the he/she of later text
                idx.oblique.append(oblique)
        return idx

    def _remember(self, name: str) -> None:
        toks = name.split()
        for key in (name, toks[-1], toks[0]):
            old = self.full.get(key)
            if old is None or len(old.split()) < len(toks):
                self.full[key] = name

    def person(self, name: str) -> str | None:
        """The fullest known person name for a name or surname, else None."""
        got = self.full.get(name)
        if got:
            return got
        toks = name.split()
        if len(toks) > 1 and toks[-1] in self.full and self.full[toks[-1]].endswith(toks[-1]):
            return self.full[toks[-1]]
        return None

    def resolve(self, name: str) -> str:
        """Fullest form of a name seen anywhere in the article (or the name as given)."""
        name = strip_roles(name)
        return self.person(name) or self._misspelt_surname(name) or name

    def _misspelt_surname(self, name: str) -> str | None:
        """'Cleman said' in an article about Keith Coleman: one letter off a known surname."""
        if " " in name or len(name) < 5:
            return None
        for full in set(self.full.values()):
            last = full.split()[-1]
            if last[0] == name[0] and " " in full and _one_edit(last, name):
                return full
        return None

    def last_person_before(
        self,
        pos: int,
        *,
        floor: int = 0,
        handles: bool = True,
        subjects: bool = False,
        sentence_start: int = 0,
    ) -> str | None:
        """The person mentioned last before ``pos`` (he/she/they), not before ``floor``.

        With ``subjects``, names after a preposition in the pronoun's own sentence
        ("he offered sympathy to Mohan and Chen, who he described") are passed over first.
        """
        fallback = None
        i = bisect_left(self.positions, pos) - 1
        while i >= 0 and self.positions[i] >= floor:
            if handles or not self.handles[i]:
                ob = self.oblique[i]
                if not (subjects and (ob is None or (ob and self.positions[i] >= sentence_start))):
                    return self.mentions[i]
                fallback = fallback or self.mentions[i]
            i -= 1
        return fallback
