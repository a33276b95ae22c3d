"""Role and determiner phrases as speakers: "a Meta spokesperson", "the minister",
"shop owner Anneke Brouwer".
"""

from __future__ import annotations

import re

from digests.quotes.lexicon import DET, LOWER, NAME_SEQ, ROLE_ALT, ROLE_NOUNS, ROLE_WORDS, UPPER

_ROLE_AT_END = re.compile(
    rf"(?:^|(?<=\s))((?:(?:{DET})\s+)?(?:[A-Za-z][\w’'.&-]*\s+){{0,3}}?(?:{ROLE_ALT}))\s*$",
    re.I,
)
# Greedy: "a senior administration official", not "a senior administration".
_ROLE_AT_START = re.compile(
    rf"^((?:(?:{DET})\s+)?(?:[A-Za-z][\w’'.&-]*\s+){{0,3}}(?:{ROLE_ALT}))\b", re.I
)


_FUNCTION = frozenset(
    """as which that who whom whose when while and or but so then because if after before where in
    out it of to on at for with by from is was be been are were has have had this these those
    there here what how why not no also just about into over up down off than like said says told
    chance check""".split()
)
_DETS = frozenset(
    "a an the one another two three four several some many other its his her their".split()
)


def _good_role(phrase: str) -> str | None:
    """Trim "As one Reddit user" to "one Reddit user"; reject "it out in person"."""
    words = phrase.split()
    while words and words[0].lower() in _FUNCTION:
        words.pop(0)
    if not words:
        return None
    mods = words[:-1]
    if mods and mods[0].lower() in _DETS:
        mods = mods[1:]
    elif not mods and not words[-1].lower().endswith(("s", "people")):
        return None  # a bare singular noun ("person") is not a speaker
    if any(w.lower() in _FUNCTION or w.lower() in _DETS for w in mods):
        return None
    return " ".join(words)


# A determiner noun phrase that is not in the role lists: "the 19-year-old striker",
# "a longtime resident", "one person familiar with the talks".  Used only where the
# grammar already says it is the speaker (the subject right before a speech verb, or
# the phrase right after one), so any noun may head it.
_NP_WORD = re.compile(r"[\w’'-]+")
_NP_PREPS = frozenset({"of", "to", "for", "at", "from"})
_POSSESSIVE_DETS = frozenset({"its", "his", "her", "their"})
# Words after which a noun phrase's head has been named ("a person familiar with …").
_NP_HEAD_END = frozenset("familiar close briefed knowledgeable who with".split())
_NP_STOP = _FUNCTION | frozenset(
    """familiar close briefed knowledgeable speaking who whose said says told day days week
    weeks month months year years time morning afternoon evening night later earlier ago
    statement interview""".split()
)


def _plain_np(words: list[str]) -> bool:
    """Determiner, modifiers, noun; one preposition may join two nouns ("a coalition of
    aviation groups", "a senior aide to the governor")."""
    inner = [w.lower() for w in words[1:]]
    if any(
        w in ("the", "a", "an") and (i == 0 or inner[i - 1] not in _NP_PREPS)
        for i, w in enumerate(inner)
    ):
        return False  # "a figure the company": a relative clause, not one noun phrase
    preps = [i for i, w in enumerate(inner) if w in _NP_PREPS]
    if len(preps) > 1 or (preps and preps[0] in (0, len(inner) - 1)):
        return False  # one preposition, inside: "a senior aide to the governor"
    return 2 <= len(words) <= 7 and not any(w in _NP_STOP and w not in _NP_PREPS for w in inner)


def det_phrase_at_end(s: str) -> str | None:
    """'…, the 19-year-old striker' -> that phrase; not an object ('with the talks').

    The phrase starts the clause (the text's start or after a comma); a post-modifier
    ("a person familiar with the talks") is cut at the word that ends its head.
    """
    s = s.rstrip(" ,")
    # a clause starts the text, follows a comma, or is reported ("Pilling said one crane driver")
    starts = [0] + [m.end() for m in re.finditer(r",\s+|\b(?:said|says|that)\s+", s)]
    for start in reversed(starts):
        words = s[start:].split()
        if not words or words[0].lower() not in _DETS or words[0].lower() in _POSSESSIVE_DETS:
            continue
        cut = next((i for i, w in enumerate(words[1:], 1) if w.lower() in _NP_HEAD_END), 0)
        if cut >= 2:
            words = words[:cut]
        if (
            _plain_np(words)
            and all(_NP_WORD.fullmatch(w) for w in words)
            and re.fullmatch(r"[a-z][\w-]*", words[-1])
            and not words[-1].endswith("ly")
        ):
            return " ".join(words)
        return None
    return None


def det_phrase_at_start(s: str) -> str | None:
    """'a longtime resident of the street' -> 'a longtime resident'."""
    words = s.split()
    if not words or words[0].lower() not in _DETS or words[0].lower() in _POSSESSIVE_DETS:
        return None
    out = [words[0]]
    for w in words[1:6]:
        core = w.rstrip(",.;:!?")
        if core.lower() in _NP_STOP or not core or not re.fullmatch(r"[\w’'-]+", core):
            break
        out.append(core)
        if core != w:
            break  # punctuation ends the phrase
    return " ".join(out) if _plain_np(out) and out[-1][:1].islower() else None


def role_at_end(s: str) -> str | None:
    m = _PARTITIVE_AT_END.search(s)
    if m:  # "one of Nikkei’s sources", "two of the engineers"
        return m.group(1)
    m = _ROLE_AT_END.search(s)
    return _good_role(m.group(1)) if m else None


def role_at_start(s: str) -> str | None:
    m = _PARTITIVE_AT_START.match(s)
    if m:
        return m.group(1)
    m = _ROLE_AT_START.match(s)
    return _good_role(m.group(1)) if m else None


_PARTITIVE = (
    r"(?i:one|two|three|some|several|many|most|each|all|none)\s+of\s+"
    r"(?:(?i:the|its|their|his|her|our)|(?:[A-Z][\w&.-]*\s+){0,2}[A-Z][\w&.-]*[’']s)\s+"
    rf"(?:[a-z][\w-]*\s+){{0,2}}?(?i:{ROLE_ALT})"
)
_PARTITIVE_AT_END = re.compile(rf"(?:^|(?<=\s))({_PARTITIVE})\s*$")
_PARTITIVE_AT_START = re.compile(rf"^({_PARTITIVE})\b")


_ROLE_LEAD = re.compile(rf"((?:[{LOWER}][\w’'&.-]*\s+){{1,5}}?)(?=[{UPPER}])")
_ROLE_HEADS = ROLE_WORDS | frozenset(ROLE_NOUNS)


def name_after_role(s: str) -> str | None:
    """'lab head Anna Keller' -> 'Anna Keller': the name a lower-case role phrase introduces.

    After a speech verb ("…," said spokeswoman Anna Keller) the role is part of the
    attribution, so the capitalised name right after it is the speaker. The phrase is one
    to four words (after an optional determiner) ending in a role word; function words
    ("said on Friday", "in Zurich") rule it out, so places and dates are never taken.
    """
    m = _ROLE_LEAD.match(s)
    if not m:
        return None
    words = m.group(1).split()
    if words[0] in _DETS:
        words = words[1:]  # "the lab head Anna Keller"
    if not 1 <= len(words) <= 4 or words[-1] not in _ROLE_HEADS:
        return None
    if any(w in _FUNCTION or w in _DETS for w in words):
        return None
    name = NAME_SEQ.match(s, m.end())
    return name.group(0) if name else None
