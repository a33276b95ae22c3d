"""Direct quotations and who said them, ranked, with the best 1-3 marked as key.

Rules, not models (a learned ranker over candidate speakers was tried and did not beat
these rules on blind data; see the git history of ``digests/speaker_rank.py``): a linear
scan pairs quotation marks (straight, curly, single; apostrophes in "don't" or
"Netflix’s" never open or close a quote), then each quote of four or more words looks
for its attribution in the text right after it (", Sarandos said", "— Ted Sarandos,
Netflix CEO", ", said X"), else in its own sentence before it ("CEO Ted Sarandos told
investors: '…'", "according to X").
Surnames, first names and he/she resolve to the fullest name the article gives
(see :mod:`digests.speakers`); "the company", "the agency" or an acronym resolve to the body
the article named (see :mod:`digests.organisations`).
A quote interrupted by its attribution ("“A,” she said. “B.”") is one quote.
Titles of shows, films and products, and short scare quotes, are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from digests.attribution import SENT_END as _SENT_END
from digests.attribution import context_speaker
from digests.attribution import sentence_start as _sentence_start
from digests.models import Quote
from digests.organisations import GENERIC_CAPS as _GENERIC_CAPS
from digests.organisations import Organisations
from digests.speakers import (
    HANDLE,
    NAME_SEQ,
    PRONOUNS,
    ROLE_WORDS,
    STOP_CAPS,
    NameIndex,
    det_phrase_at_end,
    det_phrase_at_start,
    is_participle,
    is_personlike,
    name_after_role,
    role_at_end,
    role_at_start,
    speech_verb_re,
    strip_roles,
)

MIN_WORDS = 4
_WORD = re.compile(r"[\w’'-]*\w")
_OPENERS_D = "“„"
_CLOSERS_D = "”"
_BEFORE_OPEN = " \t\n([{—–-/:;,…"  # characters after which a straight quote opens

# Words that start a capitalised run at sentence start but are not names.
_STOP_CAPS = frozenset(
    """the a an but and in on at as if when while after before this that these those it he she we
    they i its his her our their for with from by to of so yet or now then also however still
    meanwhile here there what why how who where which since until although though because even
    just only both each every some many most more one two last next earlier later according asked
    said speaking like unlike despite during over under through into per via not no yes my your
    please today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    instead indeed still while whether all any another other such than thus meanwhile overall
    similarly separately additionally finally first second third""".split()
)
_ADVERBS = re.compile(
    r"(?:\b(?:also|has|have|had|was|were|is|are|would|will|could|later|then|previously|recently|"
    r"reportedly|once|even|publicly|simply|further|repeatedly|often|long|just|first|directly|"
    r"separately|again|similarly|likewise|succinctly|bluntly|flatly|famously|already|[a-z]{3,}ly|"
    r"subsequently|earlier|told|quoted\s+as|in\s+a\s+statement|in\s+an?\s+\w+)\s*,?\s*)+$"
)
# "Altman’s comments", "the claims": the cue word is a noun here, not a verb.
_NOUN_BEFORE = re.compile(
    r"(?:[’']s|\b(?:the|a|an|his|her|their|its|our|these|those|my|your))\s+$", re.I
)
_NAMING = frozenset({"called", "calls", "calling", "dubbed"})
_ACCORDING = re.compile(r"\baccording to\s+", re.I)
_TITLE_CUE = re.compile(
    r"\b(?:show|film|films|movie|movies|series|song|songs|album|book|novel|game|games|titled|"
    r"dubbed|named|episode|podcast|documentary|track|single|feature|setting|mode|option|button|"
    r"campaign|slogan|tagline|theme|prompt|headline|section|tab|menu|label|play|musical|sequel|"
    r"franchise|anthem|hit|hits|the)\s*$",
    re.I,
)
_ORG_RUN = re.compile(r"(?<![\w’'])[A-Z][\w&’'.-]*(?:\s+[A-Z][\w&’'.-]*){0,3}")
_CLAUSE_END = re.compile(r"[.;:!?“\"‘]|,\s*[“\"‘']|$")


@dataclass
class _Span:
    start: int  # opening mark
    end: int  # after closing mark
    text: str
    para_start: int
    para_end: int
    speaker: str | None = None
    how: str = ""  # "tail", "head", "inherit" or ""
    attr_end: int = -1  # where a tail attribution ends
    unclosed: bool = False  # ran to the paragraph end without a closing mark
    lo: int = 0  # where this quote's own sentence may start (after the previous quote)
    # subject of the sentence after the quote ("“….” It said it was …"): a last resort
    next_subject: str | None = None


def _is_letter(c: str) -> bool:
    return c.isalnum()


_QUOTE_CHARS = re.compile("[\"“”„'‘’]")


def _find_spans(text: str) -> list[_Span]:
    """Pair quotation marks paragraph by paragraph; linear in the text length."""
    spans: list[_Span] = []
    pos = 0
    n = len(text)
    dangling = False
    while pos < n:
        pe = text.find("\n\n", pos)
        if pe < 0:
            pe = n
        before = len(spans)
        _scan_paragraph(text, pos, pe, spans, dangling)
        tail = text[max(pos, pe - 2) : pe].rstrip()
        dangling = (len(spans) > before and spans[-1].unclosed) or tail.endswith(('"', "“"))
        pos = pe + 2
    return spans


def _scan_paragraph(text: str, ps: int, pe: int, out: list[_Span], dangling: bool) -> None:
    open_at = -1
    kind = ""  # '"' double, "'" straight single, "‘" curly single
    first = dangling
    for qm in _QUOTE_CHARS.finditer(text, ps, pe):  # only quote marks, not every character
        i = qm.start()
        c = text[i]
        prev = text[i - 1] if i > ps else " "
        nxt = text[i + 1] if i + 1 < pe else " "
        if open_at < 0:
            if (
                first
                and i > ps
                and (
                    c in _CLOSERS_D
                    or (
                        c == '"' and not prev.isspace() and not prev.isdigit() and not nxt.isalnum()
                    )
                )
            ):
                # A paragraph that continues a quote opened in the previous one.
                out.append(_Span(ps - 1, i + 1, text[ps:i], ps, pe))
                first = False
                continue
            if c in _OPENERS_D or (c == '"' and not nxt.isspace() and not prev.isdigit()):
                open_at, kind = i, '"'
            elif c in "'‘" and (prev in _BEFORE_OPEN or prev in '“"') and _is_letter(nxt):
                if not (c == "'" and _elision(text, i + 1, pe)):
                    open_at, kind = i, c
        else:
            closes = False
            if kind == '"':
                if c in _CLOSERS_D or (c == '"' and not prev.isspace()):
                    closes = True
                elif c in _OPENERS_D:  # an unclosed quote: restart here
                    open_at = i
            elif kind == "'" and c == "'" and not _is_letter(nxt) and not prev.isspace():
                closes = True
            elif kind == "‘" and c == "’" and not _is_letter(nxt) and not prev.isspace():
                closes = not (prev in "sS" and nxt == " " and _possessive(text, i, pe))
            if closes:
                out.append(_Span(open_at, i + 1, text[open_at + 1 : i], ps, pe))
                open_at = -1
        if c in '"“”':
            first = False
    if open_at >= 0 and kind == '"':
        # News style: a quote running on into the next paragraph is left open here.
        body = text[open_at + 1 : pe]
        if body.strip():
            out.append(_Span(open_at, pe, body, ps, pe, unclosed=True))


def _elision(text: str, i: int, pe: int) -> bool:
    """'90s, 'em, 'til, 'n': a leading apostrophe, not an opening quote."""
    j = i
    while j < pe and text[j].isalnum():
        j += 1
    word = text[i:j].lower()
    return word[:1].isdigit() or word in {"em", "til", "tis", "twas", "n", "cause", "bout", "round"}


def _possessive(text: str, i: int, pe: int) -> bool:
    """Plural possessive (players’ union) when a later ’ in the paragraph could close instead."""
    return text.find("’", i + 1, pe) > 0 and text[i + 2 : i + 3].islower()


def _word_count(s: str) -> int:
    return len(_WORD.findall(s))


def _looks_like_title(s: str) -> bool:
    """'Happy Gilmore 2', 'The Secret Life of Pets': capitalised words, no sentence."""
    words = s.strip().rstrip(",.").split()
    if not words or len(words) > 12 or re.search(r"[.!?;,:]\s", s.strip()):
        return False
    content = [w for w in words if len(w) > 3 or w[:1].isdigit()]
    caps = sum(1 for w in content if w[:1].isupper() or w[:1].isdigit())
    return words[0][:1].isupper() and bool(content) and caps / len(content) >= 0.75


class _Article:
    """Per-article state: the text, its name index and its company."""

    def __init__(self, text: str, title: str | None) -> None:
        self.text = text
        self.title = title or ""
        self.names = NameIndex.build(text, title)
        self._org: str | bool | None = False
        self._issuers: dict[str, str] = {}  # "statement" -> who issued it
        self._in_institution = False
        self._finding_issuer = False
        # "the company", "the agency", acronyms: resolved by digests.organisations
        self.orgs = Organisations(text, self.names, self._is_person)

    # -- speakers ---------------------------------------------------------------
    def org(self) -> str | None:
        """The organisation the article is about: the title's most-mentioned non-person name."""
        if self._org is False:
            best: tuple[int, str] | None = None
            once: tuple[int, str] | None = None
            for m in _ORG_RUN.finditer(self.title):
                run = re.sub(r"[’']s$", "", m.group(0))
                toks = run.split()
                while toks and (toks[0].lower() in _STOP_CAPS or toks[0] in _GENERIC_CAPS):
                    toks.pop(0)
                while toks and (toks[-1].lower() in _STOP_CAPS or toks[-1] in _GENERIC_CAPS):
                    toks.pop()
                if not toks or len(toks) > 3:
                    continue
                run = " ".join(toks)
                if self.names.person(run) or run.lower() in ROLE_WORDS:
                    continue
                n = _count_standalone(self.text, run)
                if n >= 2 and best is None:
                    best = (n, run)  # the title's subject, usually its first name
                elif n == 1 and once is None:
                    once = (n, run)  # named once, then "the company" throughout
            best = best or once
            top = self._most_named()
            if top and (
                (best is None and top[0] >= 2) or (best and top[0] >= 6 and top[0] >= 3 * best[0])
            ):
                best = top  # "…alternatives to the Kindle", but the text is all about Kobo
            self._org = best[1] if best else None
        return self._org or None

    def _most_named(self) -> tuple[int, str] | None:
        """The non-person single capitalised name the text repeats most (not at sentence start)."""
        counts: dict[str, int] = {}
        for m in _CAP_RUN.finditer(self.text):
            w = m.group(0)
            if " " not in w:
                w = w.removesuffix("’s").removesuffix("'s")
                counts[w] = counts.get(w, 0) + 1
        best = None
        for w, n in counts.items():
            if (best is None or n > best[0]) and w.lower() not in _STOP_CAPS:
                if (
                    w not in _GENERIC_CAPS
                    and not self.names.person(w)
                    and w.lower() not in ROLE_WORDS
                ):
                    best = (n, w)
        return best

    def name_speaker(self, raw: str) -> str | None:
        """A capitalised run as a speaker: fullest person name, or the organisation."""
        toks = [t for t in raw.split() if t]
        while toks and toks[0].lower() in _STOP_CAPS:
            toks.pop(0)
        while toks and toks[-1].lower() in _STOP_CAPS:
            toks.pop()
        if not toks:
            return None
        toks = [t for t in toks if not _BASED.fullmatch(t)]  # "Berlin-based Tessellate AI"
        if not toks:
            return None
        name = strip_roles(" ".join(toks))
        name = re.sub(r"[’']s$", "", name)
        if name.lower() in _INSTITUTIONS and not self._in_institution:
            m = _institution_re(name).search(self.text)  # "the Commission" -> "European …"
            full = None
            if m and m.group(1).split()[0] != name:
                self._in_institution = True  # "Paris-based Commission" reduces to "Commission"
                try:
                    full = self.name_speaker(m.group(0))
                finally:
                    self._in_institution = False
            if m:
                if full and full.endswith(name) and " " in full:
                    return full
        if name.isupper() and 2 <= len(name) <= 6:
            full = self.orgs.expand_acronym(name)  # "ESA said" -> "European Space Agency"
            if full:
                return full
        full = self.names.resolve(name)
        if (
            " " not in name
            and full != name
            and full.split()[0] == name
            and self.orgs.org_like(full)
        ):
            return self.orgs.fullest(name)  # "Orbis said": the company, not the "Orbis Fold" phone
        return full

    def pronoun(self, word: str, pos: int, para_start: int) -> str | None:
        kind = PRONOUNS.get(word.lower())
        if kind == "person":
            s0 = _sentence_start(self.text, max(para_start, pos - 300), pos)
            first = re.search(r"\b(?:he|she|He|She)\b", self.text[s0:pos])
            if first and _QUOTE_MARKS.search(self.text, s0 + first.end(), pos):
                first = None  # "“I wish he could see this,” she said": his is inside the quote
            if first and s0 + first.start() < pos:  # "he offered … to Chen, who he described"
                return self.pronoun(first.group(0), s0 + first.start(), para_start)
            return (
                self._previous_person_subject(pos, para_start)
                or self._subject_before_quote(pos, para_start)
                or self.names.last_person_before(
                    pos, handles=False, subjects=True, sentence_start=s0
                )
            )
        if kind == "group":
            return self.names.last_person_before(pos, floor=max(para_start, pos - 200))
        if kind == "org":
            m = _AFTER_CLOSE.search(self.text, max(para_start, pos - 4), pos)
            if m:  # "“Reliability has improved …,” it said": the body named before the quote
                opener = _OPENING_FOR.get(self.text[m.start()], "")
                start = max((self.text.rfind(c, para_start, m.start()) for c in opener), default=-1)
                if start > para_start:
                    return self._previous_subject(start, para_start)
            lo = _sentence_start(self.text, max(para_start, pos - 250), pos)
            lead = self.text[lo:pos]
            if lo > para_start and (not lead.strip(' “"‘(') or _OPENER.fullmatch(lead)):
                return self._previous_subject(lo, para_start)  # "… Kobo app. It notes …"
            found = None
            seg = _QUOTED.sub(lambda q: " " * len(q.group(0)), self.text[lo:pos])
            for m in _ORG_RUN.finditer(seg):
                run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
                if run and run not in _GENERIC_CAPS:
                    found = run
            return found or self.org()
        return None

    def _subject_before_quote(self, pos: int, para_start: int) -> str | None:
        """'Greaves pressed Park on the deal. “You understand …” he asked.': the he/she right
        after a quote that opens its sentence is the person the sentence before is about
        (its first person named outside a prepositional phrase), not the last one named."""
        m = _AFTER_CLOSE.search(self.text, max(para_start, pos - 4), pos)
        if not m:
            return None
        close = m.start()
        opener = _OPENING_FOR.get(self.text[close], "")
        start = max((self.text.rfind(c, para_start, close) for c in opener), default=-1)
        if start < 0:
            return None
        if start > para_start and (
            _sentence_start(self.text, max(para_start, start - 300), start) != start
        ):
            return None  # the quote does not open its sentence
        end = start if start > para_start else max(0, para_start - 2)
        if end <= 0:
            return None
        lo = self.text.rfind("\n\n", 0, end) + 2 if start <= para_start else para_start
        p0 = _sentence_start(self.text, max(lo, end - 400), end - 1)
        prev = self.text[p0:end]
        if _QUOTE_MARKS.search(prev):
            return None  # a quoted sentence before: its own speaker continues
        lead = re.match(_ASIDE_OPENER, prev)
        for nm in NAME_SEQ.finditer(
            prev, lead.end() if lead else 0, 70 + (lead.end() if lead else 0)
        ):
            if _PREP_BEFORE.search(prev, 0, nm.start()) or prev.startswith(("’s", "'s"), nm.end()):
                continue  # "Lumen Arc's head of publishing, Sofie Brand, …": not Lumen Arc
            who = self.name_speaker(nm.group(0))
            if who and (self.names.person(who) or is_personlike(who)):
                return who
            if who and _SAID_AFTER.match(prev, nm.end()):
                return who  # "Duarte said she had asked for quotes. “…,” she said."
        v = _FIRST_SAID.search(prev)
        if v:  # "One senior developer, who asked not to be named, said …. “…,” she said."
            r = det_phrase_at_end(_strip_asides(prev[: v.start()].rstrip()))
            if r:
                return self.role(r, p0 + v.start())
        return None

    def _previous_person_subject(self, pos: int, para_start: int) -> str | None:
        """A sentence-opening he/she: the person who opens the previous sentence, not the last
        name in it ("Christian Kroll … foresaw it after Trump’s reelection. He added …")."""
        s0 = _sentence_start(self.text, max(para_start, pos - 200), pos)
        if s0 <= para_start or not _OPENER.fullmatch(self.text[s0:pos]):
            return None
        p0 = _sentence_start(self.text, max(para_start, s0 - 300), s0 - 1)
        return self.person_opening(p0, s0)

    def person_opening(self, lo: int, hi: int) -> str | None:
        """The known person whose name opens text[lo:hi] (after an optional short lead-in)."""
        m = _NAME_OPENING.match(self.text, lo, hi)
        if not m:
            return None
        later = _TITLED_NAME.match(self.text, m.end(), hi)
        if later and self._is_person(later.group(1)):  # "Dutch Green MEP Pieter van Rossum"
            return self.name_speaker(later.group(1))
        name = self.name_speaker(m.group(1))
        if name and (self.names.person(name) or is_personlike(name)):
            return name
        named = name_after_role(self.text[m.end() : min(hi, m.end() + 60)].lstrip())
        if named and self._is_person(named):  # "Council member Dale Hutchins, …"
            return self.name_speaker(named)
        return None

    def previous_org(self, end: int, para_start: int) -> str | None:
        """An organisation named in the sentence before ``end`` (no article-wide guess)."""
        lo = _sentence_start(self.text, max(para_start, end - 300), end - 1)
        prev = self.text[lo:end]
        if _ORG_SUBJECT.match(prev):
            return self.org()
        for m in _ORG_RUN.finditer(prev):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            if not run or run in _GENERIC_CAPS or run.lower() in _STOP_CAPS:
                continue
            if self.names.person(run) or is_personlike(run):
                return None  # "Bondi tells Apple …. It goes on": "it" is her letter
            return run
        m = _BRAND.search(prev)
        return m.group(1) if m else None

    def _previous_subject(self, end: int, para_start: int) -> str | None:
        """A sentence-opening "it": the organisation the previous sentence is about."""
        lo = _sentence_start(self.text, max(para_start, end - 300), end - 1)
        prev = self.text[lo:end]
        m = _DOC_OPENS.match(prev)
        if m:  # "The lawsuit says … It describes the charges as …"
            return self.role(m.group(1), lo)
        if _ORG_SUBJECT.match(prev):
            return self.org()
        m = _SAID_BY_DOC.search(prev)
        if m:  # "“…,” the report says. It adds that …": the report goes on
            return self.role(m.group(1), lo + m.start(1))
        m = _SAID_BY_NAME.search(prev)
        if m:  # "“Platforms have …,” BEUC said in a statement. It called on …"
            return self.name_speaker(m.group(1))
        for m in _ORG_RUN.finditer(prev):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            if run and run not in _GENERIC_CAPS and not self.names.person(run):
                return run
        m = _BRAND.search(prev)
        return m.group(1) if m else self.org()

    def role(self, phrase: str, pos: int = -1) -> str:
        """A role or document phrase as a speaker; ``pos`` (where it stands) lets a document
        ("the statement reads") resolve to whoever issued it just before."""
        if "-" in phrase:
            phrase = " ".join(t for t in phrase.split() if not _BASED.fullmatch(t))
        low = phrase.lower()
        m = re.fullmatch(r"the\s+([a-z]+)", low)
        if m and m.group(1) in _UNNAMED_PEOPLE and pos >= 0:
            earlier = self._introduced_person(m.group(1), pos)
            if earlier:  # "A Saudi energy ministry official … “…,” the official told reporters"
                return earlier
        person = self._role_person(phrase, pos)
        if person:
            return person  # "the executive", "the movement’s founder": a person named earlier
        if re.fullmatch(r"(?:the|its)\s+(?:company|firm|startup)", low):
            introduced = self.orgs.introduced_as(low.split()[-1], pos, 400) if pos >= 0 else None
            if introduced:  # "… is operated by Tallow Hill Media Ltd, a company registered …"
                return introduced
            return (
                (self.orgs.subject_org(pos) if pos >= 0 else None)
                or self.org()
                or (self._recent_org(pos) if pos >= 0 else None)
                or phrase
            )
        m = re.fullmatch(r"the\s+(?:[a-z-]+\s+)?([a-z]+)", low)
        if m:  # "the union", "the agency": the body an earlier sentence introduced or named
            named = self.orgs.body(m.group(1), pos)
            if named:
                return named
        m = _MEDIA_ROLE.fullmatch(phrase)
        if m:  # "a NASA video explains", "the company’s website says"
            owner = m.group("owner") or m.group("owner2")
            if owner:
                return owner if owner.upper() == owner else self.name_speaker(owner) or owner
            return self.org() or phrase
        m = _OWNED_DOC.fullmatch(phrase)
        if m and not self._is_person(m.group(1)):  # "The CQC’s report" -> the CQC
            return self.name_speaker(m.group(1)) or m.group(1)
        m = _ROLE_OWNED_DOC.fullmatch(phrase)
        if m:  # "The regulator's investigation report" -> whoever "the regulator" is
            owner = self.role(f"the {m.group(1).lower()}", pos)
            if owner[:1].isupper() and not owner.lower().startswith("the "):
                return owner
        m = _NAMED_DOC.fullmatch(phrase)
        if m and not self._is_person(m.group(1)):  # "The Screen Ledger report said"
            return m.group(1)
        m = _DOC_ROLE.fullmatch(phrase)
        if m:  # "the post reads", "the announcement says", "Netflix's statement"
            owner = m.group("owner")
            if owner:
                return self.name_speaker(owner) or owner
            return (self._issuer(phrase, pos) if pos >= 0 else None) or self.org() or phrase
        m = _NAMED_GROUP.fullmatch(phrase)
        if m:  # "the Video Games Europe group" -> "Video Games Europe"
            return m.group(1)
        if _EPITHET.fullmatch(phrase) and self.org():
            return self.org()  # "the Steam maker", "the search giant": the article's company
        return phrase

    def _introduced_person(self, noun: str, pos: int) -> str | None:
        """'A Saudi energy ministry official, speaking …': the last unnamed person of that
        kind introduced in the 600 characters before ``pos``."""
        found = None
        pat = rf"\b(?:[Aa]n?|[Oo]ne)\s+(?:[\w’'-]+\s+){{0,6}}?{noun}\b(?!\s+[A-Z])"
        for m in re.finditer(pat, self.text[max(0, pos - 600) : pos]):
            found = m.group(0)
        return found

    def _recent_org(self, pos: int) -> str | None:
        """The last organisation-like name in the 600 characters before ``pos``."""
        found = None
        for m in _ORG_RUN.finditer(self.text, max(0, pos - 600), pos):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            toks = run.split()
            while toks and (toks[0].lower() in _STOP_CAPS or toks[0] in _GENERIC_CAPS):
                toks.pop(0)
            run = " ".join(toks).rstrip(".")
            if run.lower() in STOP_CAPS:
                continue  # "Thursday", "March"
            before = self.text[max(0, m.start() - 2) : m.start()]
            if before.endswith(("“", '"', "‘")):
                continue  # a quotation's first word: "“Demand for our chips"
            if run and not self.names.person(run) and not is_personlike(run):
                found = run
        return found

    def _issuer(self, phrase: str, pos: int) -> str | None:
        """Who issued "the statement" at ``pos``: the organisation that said, announced or
        released something just before its quote ("the U.S. Defense Department said on
        Friday … “…,” the statement reads"), remembered for the same document later."""
        noun = phrase.lower().split()[-1]
        if noun in self._issuers:
            return self._issuers[noun]
        if self._finding_issuer:
            return None
        ps = self.text.rfind("\n\n", 0, pos) + 2 if pos > 0 else 0
        opened = [self.text.rfind(c, ps, pos) for c in '“"']
        hi = min([o for o in opened if o >= 0], default=pos)
        lo = max(0, hi - 1200)
        low = self.text[lo:hi].lower()
        verbs = [m for m in speech_verb_re().finditer(low) if not is_participle(m.group(1))]
        verbs += list(_ISSUED.finditer(low))
        self._finding_issuer = True
        try:
            for m in sorted(verbs, key=lambda v: -v.start())[:3]:
                at = lo + m.start()
                para = self.text.rfind("\n\n", 0, at) + 2
                s0 = _sentence_start(self.text, max(para, at - 300), at)
                seg = self.text[s0:at]
                if seg.count("“") > seg.count("”") or _NOUN_BEFORE.search(seg):
                    continue  # inside a quotation, or "the company’s statement"
                if _EMBEDDED.search(seg):
                    return None  # "a group that includes … Nintendo released": not Nintendo
                who = self.subject_at_end(seg, s0, para)
                if not who or who[:1].islower():
                    continue
                if self.names.person(who) or is_personlike(who) or noun in who.lower():
                    return None  # a person's words: not a statement someone issued
                self._issuers[noun] = who
                return who
        finally:
            self._finding_issuer = False
        return None

    def _role_person(self, phrase: str, pos: int = -1) -> str | None:
        """A definite singular person role resolved to the person it refers to.

        The person whose mention has that role word next to it ("Cloudflare CEO Matthew
        Prince"), else the article's clearly most-mentioned person; None when unsure.
        """
        m = _DEFINITE_ROLE.fullmatch(phrase.strip())
        if not m or m.group("noun").lower() not in _PERSON_ROLES:
            return None
        noun = m.group("noun").lower()
        keys = _EXEC_ROLES if noun in _EXEC_ROLES else {noun}
        found: set[str] = set()
        latest: tuple[int, str] | None = None  # the role-marked mention nearest before ``pos``
        counts: dict[str, int] = {}
        for at, name, handle in zip(
            self.names.positions, self.names.mentions, self.names.handles, strict=True
        ):
            if handle:
                continue
            counts[name] = counts.get(name, 0) + 1
            near = self.text[max(0, at - 40) : at] + " " + self.text[at : at + len(name) + 50]
            if keys & set(re.findall(r"[a-z-]+", near.lower())):
                found.add(name)
                if 0 <= pos - at <= 800:
                    latest = (at, name)
        if len(found) == 1:
            return found.pop()
        if latest is not None:
            return latest[1]  # "U.S. District Judge Elaine Moss cut off …. “…,” the judge said"
        if found or not counts:
            return None
        ranked = sorted(counts.values(), reverse=True)
        if ranked[0] >= 3 and (len(ranked) == 1 or ranked[0] >= 2 * ranked[1]):
            return max(counts, key=lambda k: counts[k])
        if len(ranked) == 1 and noun in _EXEC_ROLES:
            return next(iter(counts))  # "Jensen Huang took the stage. … the Nvidia CEO said"
        return None

    def subject_at_end(self, s: str, base: int, para_start: int) -> str | None:
        """Speaker phrase that ends exactly at the end of ``s`` ("… Ted Sarandos")."""
        s = _NAMED_AS.sub("", s.rstrip())  # "The letter, titled “We Will Not Be Divided,”"
        m = _DOC_BY.match(s)
        if m:  # "The suit, filed in the Court of International Trade by the Importers Alliance,"
            return m.group(1)
        m = _DOC_FROM.match(s.strip())
        if m:  # "A report to the meeting by general manager Stuart Ng" (says …)
            who = self.subject_at_start(m.group("who"), base, para_start)
            if who and (who[:1].isupper() or not re.search(rf"{re.escape(who)}\s+[A-Z]", s)):
                return who  # a name, or a role with no name after it ("a group of 14 firms")
        s = _strip_asides(s)
        s = _IN_PLACE_END.sub("", s)  # "The Ministry of Economic Affairs in Taipei"
        m = _ROLE_FOR_ORG.search(s)
        if m and not self._ends_with_person(s.rstrip(" ,")):
            return m.group(1).rstrip(" ,")  # "A spokesperson for the Department for Science, …"
        m = _NAME_THEN_ASIDE.match(s) if s.endswith(",") else None
        if m and (_aside_is_name(s, m.end(1)) or _PREP_BEFORE.search(s, 0, m.start(1))):
            m = None  # "A lawyer for Ashcombe, Peter Quillan,": the aside is the speaker
        if m is not None and not self._is_person(m.group(1)):
            m = None  # "The Digital Commerce Alliance, a trade group whose members …,"
        if m is None and s.endswith(","):
            org = _ORG_THEN_ASIDE.match(s)
            name = org.group(1).removeprefix("The ") if org else ""
            if name and name.split()[0].lower() not in _STOP_CAPS:
                return name  # "Airlines for America, the industry’s main trade group,"
        if m:  # "Samuel Ortega, director of the FTC's Bureau of Consumer Protection,"
            who = self.name_speaker(m.group(1))
            if who and (self.names.person(who) or is_personlike(who)):
                return who
        s = _ADVERBS.sub("", s.rstrip()).rstrip(" ,")
        s = _POST_NOMINAL.sub("", s)  # "Rachel Okonjo MP"
        if not s:
            return None
        m = re.search(r"(?:^|\s)(he|she|they|it|I|we)$", s, re.I)
        if m:
            return self.pronoun(m.group(1), base + m.start(1), para_start)
        m = re.search(r"(?:^|[\s(])((?:u/[\w-]+|@\w+))$", s)
        if m:
            return m.group(1)
        m = _APPOSITIVE.search(s)
        if m and not s.endswith(",") and self._ends_with_person(s):
            m = None  # "On Bluesky, the developer Ravi Sundar": the name closing it speaks
        if m:  # "Mary Rasenberg, the CEO of The Authors Guild," says
            who = self.name_speaker(m.group(1))
            if who:
                return who
        m = _BRAND_END.search(s)
        if m:  # "which xAI said"
            return m.group(1)
        rel = _RELATIVE.search(s)
        if rel:  # "3DF, a Hong Kong-based consultancy that calls itself"
            return self.subject_at_end(s[: rel.start()], base, para_start)
        tail = max(0, len(s) - 90)
        m = _PERSON_OF_END.search(s, tail) if _OF_WORD.search(s, tail) else None
        if m:  # "Ruth Okonkwo of Rochester", "Peter Kwan of Lux Capital"
            who = self.name_speaker(m.group(1))
            if who and (self.names.person(who) or is_personlike(who)):
                return who
        m = (
            _ORG_WITH_OF_END.search(s, max(0, len(s) - 90))
            if " of " in s or " for " in s or "’s " in s or "'s " in s
            else None
        )
        if (
            m
            and not is_personlike(m.group(1).removeprefix("The "))
            and not _TITLE_BEFORE_LAST.search(m.group(1))  # no "Chief Administrative Officer X"
        ):  # "Illinois Department of Public Health"; not "Rivian's officer Mike Callahan"
            return m.group(1).removeprefix("The ")
        m = _last_name_seq(s)
        if m is not None and not _object_of_thing(s, m):
            who = self.name_speaker(m)
            if who:
                return who
        r = role_at_end(s)
        if r:
            return self.role(r, base + len(s))
        m = _ACRONYM_END.search(s)
        if m and m.group(1) not in _GENERIC_CAPS:
            return self.orgs.expand_acronym(m.group(1)) or m.group(1)
        return None

    def subject_at_start(self, s: str, base: int, para_start: int) -> str | None:
        """Speaker phrase at the start of ``s`` ("Ted Sarandos, Netflix CEO")."""
        s = s.lstrip(" ,")
        m = _CAPS_TITLE.match(s) or _LOWER_BEFORE_TITLE.match(s)
        if m and NAME_SEQ.match(s, m.end()):  # "CEO Andy Jassy", "state Sen. Lora Brand"
            s, base = s[m.end() :], base + m.end()
        m = re.match(r"(he|she|they|it)\b", s, re.I)
        if m:
            return self.pronoun(m.group(1), base, para_start)
        m = HANDLE.match(s)
        if m:
            return m.group(0)
        m = _BRAND.match(s)
        if m:
            return m.group(1)
        m = _DOC_FROM.match(s)
        if m:  # "a press release from the office of Assemblymember Buffy Wicks"
            who = self.subject_at_start(m.group("who"), base + m.start("who"), para_start)
            if who:
                return who
        named = name_after_role(s)
        if named and self._is_person(named):  # "said lab head Anna Keller"
            return self.name_speaker(named)
        m = _TITLE_THEN_NAME.match(s)
        if m and is_personlike(m.group(2)):  # "Google VP and Head of Search, Liz Reid,"
            if any(w.lower().strip(".’'s") in ROLE_WORDS for w in m.group(1).split()):
                return self.name_speaker(m.group(2))
        r = role_at_start(s)
        m = NAME_SEQ.match(s)
        if m and m.group(0).split()[0].lower() not in _STOP_CAPS:
            later = _TITLED_NAME.match(s, m.end())
            if later and not (_PERSON_OF.match(s, m.end()) and self._is_person(m.group(0))):
                return self.name_speaker(later.group(1))  # "Google DeepMind CEO Demis Hassabis"
            if r and len(r) > m.end() + 1:
                return self.role(r, base)  # "Apple's lawyers", "a Samsung executive"
            return self.name_speaker(m.group(0))  # "Lena Hartwig of the Water Alliance"
        if r:
            named = NAME_SEQ.match(s, len(r) + 1) if s[len(r) : len(r) + 1] == " " else None
            if named and self._is_person(named.group(0)):
                return self.name_speaker(named.group(0))  # "shop owner Anneke Brouwer"
            return self.role(r, base)
        m = _THE_NAME.match(s)  # "according to the National Weather Service"
        if m and m.group(1).split()[0].lower() not in _STOP_CAPS:
            return self.name_speaker(m.group(1))
        return None

    def _ends_with_person(self, s: str) -> bool:
        last = _last_name_seq(s)
        return last is not None and s.endswith(last) and self._is_person(last)

    def _is_person(self, raw: str) -> bool:
        name = self.name_speaker(raw)
        return bool(name) and bool(self.names.person(name) or is_personlike(name))


# "the executive", "the movement’s founder", "Apple’s CEO": one person, named elsewhere.
_DEFINITE_ROLE = re.compile(
    r"(?:(?i:the)|[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)?[’']s|(?i:the)\s+[\w-]+[’']s)\s+"
    r"(?:[a-z][\w-]*\s+|[A-Z][\w&.-]*\s+)?(?P<noun>[\w-]+)"
)
_EXEC_ROLES = frozenset(
    "executive ceo cto cfo coo chief president founder co-founder cofounder chairman "
    "chairwoman head boss".split()
)
_PERSON_ROLES = _EXEC_ROLES | frozenset(
    "senator governor mayor judge minister secretary spokesperson spokesman spokeswoman "
    "director researcher scientist analyst professor developer creator designer author "
    "lawmaker commissioner official".split()
)
_DOC_FROM = re.compile(
    r"(?i:a|an|the)\s+(?:[\w-]+\s+)?(?i:press\s+release|statement|letter|blog\s+post|post|"
    r"announcement|filing|memo|email|note|report|study|survey|analysis)\s+(?:(?:sent|written|"
    r"signed|issued|published|released|commissioned)\s+)?(?:(?:to|in|on|last|this)\s+[\w\s]{1,30}?"
    r"\s+)?(?:from|by)\s+(?:(?i:the)\s+office\s+of\s+)?"
    r"(?P<who>\S.{0,80})"
)
_ISSUED = re.compile(
    r"\b(?:released|issued|published|put\s+out|sent)\s+(?:a|an|its|the)\s+(?:[\w-]+\s+)?"
    r"(?:statement|announcement|press\s+release|release|memo|letter)\b"
)
_EMBEDDED = re.compile(r"\b(?:that|which|who|like|including|such\s+as)\b")
_ORG_SUBJECT = re.compile(
    r"\s*(?:(?:the|its)\s+(?:company|firm|startup|lawsuit|suit|complaint|filing|statement|post|"
    r"announcement|report|memo)|it)\b",
    re.I,
)
_CAP_RUN = re.compile(r"(?<![\w’'-])[A-Z][\w&’'-]*[a-z][\w&’'-]*(?:\s+[A-Z][\w&’'.-]*)*")
# Brands written with a lower-case first letter: xAI, iRobot, eBay.
_BRAND = re.compile(r"(?<![\w’'])([a-z]{1,3}[A-Z][\w]*)(?![\w’'])")
_BRAND_END = re.compile(r"(?:^|\s)([a-z]{1,3}[A-Z][\w]*)$")
_APPOSITIVE = re.compile(
    rf"^\s*(?:.*?[,.;]\s+)?({NAME_SEQ.pattern}),\s+(?:a|an|the|its|his|her|their|who|whose|"
    r"[A-Z][\w’'.&-]*(?:[’']s)?)\s[^,;:“”\"]{0,80},?$"
)
# A company's own words; a letter, lawsuit or report is often someone else's.
_DOC_NOUN = r"(?:blog\s+)?(?:post|announcement|statement|memo|release|notice|update|email)"
_OWNED_DOC = re.compile(
    r"(?:(?i:the)\s+)?([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})[’']s\s+(?:[\w-]+\s+)?"
    r"(?:report|study|survey|analysis|audit|review|lawsuit|complaint|filing|letter)"
)
_ROLE_OWNED_DOC = re.compile(
    r"(?i:the)\s+([a-z]+)[’']s\s+(?:[\w-]+\s+)?(?:report|study|survey|analysis|audit|review|"
    r"lawsuit|complaint|filing|letter|decision|notice|statement|group|panel|team|board|"
    r"committee|unit|division)"
)
_NAMED_DOC = re.compile(
    r"(?i:the|a|an)\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s+"
    r"(?:report|study|survey|analysis|audit|review|statement|letter|lawsuit|complaint|filing)"
)
_DOC_ROLE = re.compile(
    r"(?:(?i:the|a|an|its|this|that|their)\s+(?i:company[’']s\s+)?"
    r"|(?P<owner>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)[’']s\s+)"
    r"(?i:(?:new|latest|official|recent|short|brief|joint|press|written|public|updated|"
    rf"original|company|blog)\s+)*(?i:{_DOC_NOUN})"
)
_OPENER = re.compile(
    r"(?i)\s*(?:(?:and|but|so|then|still|yet|also|later|now)\b,?\s+)*(?:(?:in|on|at|after|during)\s+"
    r"[^,.;:“”\"]{1,40},\s+)?"
)  # "And", "In his post on X," before a sentence-opening he/she
# "Asked whether …, Solberg laughed": the clause before the subject is not the subject.
_ASIDE_OPENER = (
    r"(?:(?:When\s+)?[Aa]sked\b[^,“”\"]{0,160},\s+"
    r"|(?:In|On|At|After|During|Speaking|Writing|Later|Earlier)\b[^,“”\"]{0,60},\s+)"
)
_NAME_OPENING = re.compile(
    rf"\s*{_ASIDE_OPENER}?(?:(?:but|and|so|still|later|then)\s+)?({NAME_SEQ.pattern})(?![’'])"
)
_INSTITUTIONS = frozenset(
    """commission department agency court council committee parliament ministry office
    administration board authority bureau institute university foundation association union
    guild""".split()
)
_NAMED_AS = re.compile(
    r",?\s*(?:titled|entitled|called|named|dubbed|headed)\s+[“\"‘][^”\"’]*[”\"’],?$"
)
_TITLE_THEN_NAME = re.compile(rf"([^,;:“”\"]{{2,60}}),\s+({NAME_SEQ.pattern})(?:,|\.|\s|$)")
_EPITHET = re.compile(
    r"(?i:the)\s+(?:[\w’'.&-]+\s+){1,2}(?:maker|giant|owner|parent|retailer|chipmaker|automaker)"
)
_MEDIA_ROLE = re.compile(
    r"(?:(?i:the|a|an|its)\s+(?:(?i:company|firm|startup)[’']s\s+)?(?P<owner>[A-Z][\w&.-]*)?\s*"
    r"|(?P<owner2>[A-Z][\w&.-]*)[’']s\s+)"
    r"(?:[a-z][\w-]*\s+){0,2}(?i:video|website|site|page|blog|trailer|"
    r"press\s+release|filing|study|survey|white\s*paper|faq)"
)
_NAMED_GROUP = re.compile(
    r"(?i:the|a|an)\s+((?:[A-Z][\w&’'.-]*\s+){0,3}[A-Z][\w&’'.-]*)\s+(?:group|company|firm|"
    r"startup|agency|organi[sz]ation|coalition|association|collective|nonprofit|trade\s+group)"
)
_RELATIVE = re.compile(r",\s+(?:a|an|the)\s+[^,]{1,60}?\s+(?:that|which|who)$")
_ACRONYM_END = re.compile(
    r"(?:^|[\s(])([A-Z][A-Z0-9&]{0,5}(?:-[A-Z][A-Z0-9&]{0,7})?|[0-9][A-Z][A-Z0-9]*)$"
)
# "Lena Hartwig of the Scioto Water Alliance": a person, then where they work.
_PERSON_OF = re.compile(r"\s+(?:of|at|from)\s+(?:the\s+)?[A-Z]")
_TITLED_NAME = re.compile(
    r"(?:\s+(?:[A-Z]{2,5}|and|&|of|the|chief|co-?founder|founder|president|partner|head|executive|"
    r"officer|director|vice|senior|managing|general|manager|editor|lead|analyst|spokesperson|"
    r"engineer|researcher|scientist|professor|secretary|attorney|judge|senator|governor|mayor|"
    r"minister|councill?or|council(?:man|woman)|member|leader|coach|manager|spokes(?:man|woman)|"
    rf"commissioner|chancellor|chair(?:man|woman)?)){{1,6}}\s+({NAME_SEQ.pattern})"
)


# ", speaking at a conference in San Francisco," between a subject and its verb
_PARTICIPIAL_END = re.compile(
    r",\s+(?:speaking|writing|appearing|testifying|responding|talking|addressing|reached|"
    r"asked|interviewed|sitting|standing|filed|published|released|issued|signed|written|"
    r"posted|obtained|reviewed|seen|sent|dated|submitted|made\s+public|based|headquartered|"
    r"founded|known\s+as)\b[^,;:“”\"]{0,100},?\s*$"
)
# Asides between a subject and its verb that hold names which are not the speaker.
_RELATIVE_END = re.compile(r",\s+(?:and\s+)?(?:which|who|whose|where)\b[^;:“”\"]{0,160}?,\s*$")
_PARTY_TAG = re.compile(r",\s+(?:[DRI]-[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?|\d{1,3}),?\s*$")
_NAME_THEN_ASIDE = re.compile(
    rf"^\s*(?:[^,;:“”\"]*?\s)?({NAME_SEQ.pattern}),\s+[^;:“”\"]{{2,140}},$"
)
_DOC_BY = re.compile(
    r"^\s*(?:The|A|An)\s+(?:[\w-]+\s+)?(?:suit|lawsuit|complaint|report|study|filing|letter|"
    r"petition|paper|analysis|survey|review),\s+(?:filed|published|released|issued|written|"
    r"commissioned|prepared|submitted)\b[^,;“”\"]*?\bby\s+(?:the\s+)?"
    r"([A-Z][\w&.-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w&.-]*){0,7})[^,;“”\"]{0,40},$"
)
_ROLE_FOR_ORG = re.compile(
    r"^(?:(?:In|On|At|After|Asked|Speaking|Separately|Meanwhile|However)\b[^,]{0,40},\s+)?"
    r"((?i:a|an|the|one)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:spokesperson|spokesman|spokeswoman|representative|official|executive|lawyer|attorney)"
    r"\s+(?:for|at|from|with)\s+(?:the\s+)?[A-Z][^;:“”\"]{0,80})$"
)
_NAME_BEFORE_PARTICIPLE = re.compile(rf",\s+({NAME_SEQ.pattern}),\s+$")
_TITLE_BEFORE_LAST = re.compile(
    r"\b(?:Officer|Executive|President|Director|Chief|Head|Manager|Secretary|Minister|"
    r"Chair(?:man|woman)?|Founder|Spokesperson|Spokesman|Spokeswoman|CEO|CTO|CFO|COO)\s+"
    r"[A-Z][\w’'-]+\s+[A-Z][\w’'-]+$"
)
_IN_PLACE_END = re.compile(r"(?<=[a-z])\s+in\s+[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?$")
_ORG_WITH_OF_END = re.compile(
    r"(?:^|(?<=\s))((?:The\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?|[’']s\s+)[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*"
    r"(?:,\s+[A-Z][\w&.-]*)*(?:,?\s+and\s+[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)?)$"  # "…, X and Y Z"
)
_OF_WORD = re.compile(r" (?:of|from|at) ")
_PERSON_OF_END = re.compile(
    rf"(?:^|[\s,])({NAME_SEQ.pattern})\s+(?:of|from|at)\s+(?:the\s+)?[A-Z][\w&’'.-]*"
    rf"(?:\s+(?:[A-Z][\w&’'.-]*|of|and|&|for))*$"
)
_SAID_PRONOUN = re.compile(
    r"\b(?:said|says|told\s+\w+|added|wrote|argued|insisted|claimed)\s+(?:that\s+)?"
    r"(?:it|he|she|they)\s+(?:\w+ly\s+)?$"
)
_SAID_BY_DOC = re.compile(
    r"[”\"’],?\s+((?:the|its|a|an)\s+[\w’'-]+(?:\s+[\w’'-]+){0,2})\s+(?:says|said|states|"
    r"stated|notes|noted|adds|added|reads|read|writes|wrote|concludes|concluded|warns|warned)"
    r"\.\s*$"
)
_SAID_AFTER = re.compile(r"\s+(?:said|says|told|added|wrote)\b")
_FIRST_SAID = re.compile(r"\s(?:said|says|told|added|wrote|explained|recalled|described)\b")
# People a story leaves unnamed, then calls "the official", "the analyst".
_UNNAMED_PEOPLE = frozenset(
    """official spokesperson spokesman spokeswoman analyst source executive lawyer attorney
    researcher developer engineer employee resident worker driver nurse teacher student parent
    mother father neighbor neighbour witness aide adviser advisor person man woman user
    investor insider diplomat officer""".split()
)
_SAID_BY_NAME = re.compile(
    r"[”\"’],?\s+([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s+(?:said|says|wrote|added)\b[^.!?“”\"]*"
    r"[.!?]\s*$"
)
_DOC_OPENS = re.compile(
    r"\s*((?:The|A|An|Its)\s+(?:[\w-]+\s+)?(?:lawsuit|complaint|report|filing|study|letter|"
    r"statement|paper|audit|ruling|decision|order|notice|memo|suit|petition))\s+(?:says|said|"
    r"states|stated|alleges|alleged|claims|claimed|argues|argued|notes|noted|found|finds|warns|"
    r"warned|concludes|concluded)\b"
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_AFTER_CLOSE = re.compile(r"[”\"’'],?\s*$")
_OPENING_FOR = {"”": "“", '"': '"', "’": "‘", "'": "'"}
_QUOTE_MARKS = re.compile(r"[“”\"]")
_BASED = re.compile(r"[A-Z][\w.]*-(?:based|born|headquartered|listed)")
_POST_NOMINAL = re.compile(r",?\s+(?:MP|MEP|MSP|QC|KC|MBE|OBE|CBE|PhD|Jr\.?|Sr\.?)$")
_LOWER_BEFORE_TITLE = re.compile(
    r"(?:[a-z]+\s+){1,2}(?=(?:Sen|Rep|Gov|Dr|Sgt|Lt|Det|Insp|Supt|Prof)\.\s)"
)
_CAPS_TITLE = re.compile(r"(?:CEO|CTO|CFO|COO|CMO|CPO|CISO|EVP|SVP|VP)\s+")
_THE_NAME = re.compile(rf"(?i:the)\s+({NAME_SEQ.pattern})")
_OBJECT_PREP = re.compile(r"\b(?:for|of|on|from|about|at)\s+(?:the\s+)?\Z")
_NAME_ENDINGS = ("", "’", "'", "s", "’s", "'s")  # what [’']?s? matches


def _object_of_thing(s: str, name: str) -> bool:
    r"""'A support page for Messenger': the name belongs to a thing, not a speaker
    (but 'a spokesperson for Meta' keeps Meta).

    Same as searching ``\b(?:for|of|…)\s+(?:the\s+)?NAME[’']?s?$`` but without compiling
    a pattern per name (every article has new names; compiling was a third of quote time):
    the name can only end where one of the few endings lets ``$`` match, so only those
    spots are tried, and the leftmost preposition among them is the one a search finds.
    """
    if not name:
        return False
    ends = [len(s)] + ([len(s) - 1] if s.endswith("\n") else [])  # where $ matches
    start: int | None = None
    for end in ends:
        for ending in _NAME_ENDINGS:
            at = end - len(ending) - len(name)
            if at < 0 or not s.startswith(ending, end - len(ending)) or not s.startswith(name, at):
                continue
            m = _OBJECT_PREP.search(s, 0, at)
            if m and (start is None or m.start() < start):
                start = m.start()
    return start is not None and role_at_end(s[:start]) is None


_STANDALONE_EDGE = re.compile(r"[\w-]")


def _count_standalone(text: str, run: str) -> int:
    r"""Non-overlapping occurrences of ``run`` not inside a longer word or hyphenation.

    Counts what ``re.findall(r"(?<![\w-])RUN(?![\w-])")`` would, without a compile per run.
    """
    n = pos = 0
    size = len(run)
    while (at := text.find(run, pos)) >= 0:
        after = at + size
        if (at == 0 or not _STANDALONE_EDGE.match(text, at - 1)) and not _STANDALONE_EDGE.match(
            text, after
        ):
            n += 1
            pos = after if size else after + 1
        else:
            pos = at + 1
    return n


@lru_cache(maxsize=64)
def _institution_re(name: str) -> re.Pattern[str]:
    """'the Commission' -> a run of capitalised words before it (few distinct names)."""
    return re.compile(rf"((?:[A-Z][\w&.-]*\s+){{1,3}}){name}\b(?!\s+[A-Z])")


_ORG_THEN_ASIDE = re.compile(
    r"^\s*((?:The\s+)?[A-Z][\w&’'.-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w&’'.-]*){0,5}),"
    r"\s+(?:a|an|the)\s+[^;:“”\"]{2,100},$"
)


def _aside_is_name(s: str, after: int) -> bool:
    """The aside after the name at ``after`` is itself just a person's name."""
    aside = s[after:].strip(" ,")
    m = NAME_SEQ.fullmatch(aside)
    return m is not None and is_personlike(strip_roles(aside))


def _strip_asides(s: str) -> str:
    """Drop the aside between a subject and its verb: 'Dario Amodei, speaking at a
    conference in Paris,' / 'Driftly, which is owned by Tideway Group,' / 'Sen. Curtis
    Brandvold, R-Alexandria,'.  Asides end with a comma; the regexes only run then."""
    if not s.endswith(","):
        return s
    s = _PARTICIPIAL_END.sub("", s)
    if "wh" in s:
        s = _RELATIVE_END.sub("", s)
    s = _PARTY_TAG.sub("", s)  # ", R-Alexandria," / ", 81,"
    return s


def _last_name_seq(s: str) -> str | None:
    m = re.search(rf"({NAME_SEQ.pattern})[’']?s?$", s)
    if not m:
        return None
    return m.group(1)


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


def _tail(art: _Article, sp: _Span) -> None:
    """Attribution after the quote: ', Sarandos said', ', said X', '—Ted Sarandos'."""
    text = art.text
    lim = min(sp.end + 160, sp.para_end)
    tail = _PAREN.sub(_blank, text[sp.end : lim])  # "Sen. Ron Wyden, (D-Ore.) said"
    if "who" in tail or "which" in tail:
        tail = _TAIL_RELATIVE.sub(_blank, tail)  # "one developer, who asked not to be named, told"
    if not tail or tail[0].isalnum():
        return
    m = _DASH.match(tail)
    if m:
        who = art.subject_at_start(m.group("subj"), sp.end + m.start("subj"), sp.para_start)
        if who:
            sp.speaker, sp.how = who, "tail"
            sp.attr_end = sp.end + _clause_len(tail, m.start("subj"))
        return
    m = _ACCORDING.match(tail.lstrip(" ,"))
    if m:
        off = len(tail) - len(tail.lstrip(" ,")) + m.end()
        who = art.subject_at_start(tail[off:], sp.end + off, sp.para_start)
        if who is None:
            r = det_phrase_at_start(tail[off:])
            who = art.role(r, sp.end + off) if r else None  # "according to the alliance"
        if who:
            sp.speaker, sp.how = who, "tail"
            sp.attr_end = sp.end + _clause_len(tail, off)
        return
    m = _TAIL_VERB_SUBJ.match(tail)
    if m and not re.match(r"(?:that|to|by|in|on|for|as|it)\b", m.group("subj")):
        who = art.subject_at_start(m.group("subj"), sp.end + m.start("subj"), sp.para_start)
        if who is None and m.group("verb") in _SAY_VERBS:  # "said a longtime resident"
            r = det_phrase_at_start(m.group("subj"))
            who = art.role(r, sp.end) if r else None
        if who:
            sp.speaker, sp.how = who, "tail"
            sp.attr_end = sp.end + _clause_len(tail, m.start("subj"))
            return
    m = _TAIL_SUBJ_VERB.match(tail)
    if m and _NOUN_BEFORE.search(tail, 0, m.start("verb")):
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
        if who is None and m.group("verb") in _SAY_VERBS:  # "“…,” one person … said."
            r = det_phrase_at_start(m.group("subj").strip(" ,"))
            who = art.role(r, sp.end) if r else None
        if who:
            sp.speaker, sp.how = who, "tail"
            sp.attr_end = sp.end + end
            return
    m = _LATER_ACCORDING.match(tail) if sp.text.rstrip()[-1:] not in ".!?" else None
    if m:  # "“…” multiple weeks in a row, according to NBCUniversal" (not the next sentence's)
        who = art.subject_at_start(tail[m.end() :], sp.end + m.end(), sp.para_start)
        if who:
            sp.speaker, sp.how = who, "head"  # not adjacent: no interrupted-quote merging


def _clause_len(tail: str, start: int) -> int:
    m = _CLAUSE_END.search(tail, start)
    return m.start() if m else len(tail)


def _head(art: _Article, sp: _Span, lo: int) -> None:
    """Attribution in the quote's own sentence, before it."""
    text = art.text
    s0 = _sentence_start(text, max(lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    if not head.strip():
        return
    cue_verb = None
    for m in speech_verb_re().finditer(head.lower()):
        if _NOUN_BEFORE.search(head, 0, m.start()):
            continue
        if head[m.start()].isupper() and head[: m.start()].strip():
            continue  # "the United States", "Notes": a name, not a verb
        if (
            m.group(1) in _NAMING
            and re.match(r"\s+(?:it\s+)?[A-Z0-9“\"‘']", head[m.end() :])
            and (_looks_like_title(sp.text) or not _EVALUATED.fullmatch(head, m.end()))
        ):
            continue  # "a model called Nemotron 3", "called it “Smart Reply”" is naming
        if cue_verb is not None and _SAID_PRONOUN.search(head, 0, m.start()):
            continue  # "the institute said it shares …": "it" is the institute, keep "said"
        if (
            cue_verb is not None
            and cue_verb.group(1) in _PLAIN_SAY
            and m.group(1) not in _SAY_VERBS
            and not is_participle(m.group(1))
            and not _QUOTE_MARKS.search(head, cue_verb.end(), m.start())
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
            return
    acc = None
    for m in _ACCORDING.finditer(head):
        acc = m
    if acc is not None and (cue_verb is None or acc.start() > cue_verb.start()):
        who = art.subject_at_start(head[acc.end() :], s0 + acc.end(), sp.para_start)
        if who:
            sp.speaker, sp.how = who, "head"
            return
    if cue_verb is not None:
        v0, v1 = cue_verb.span()
        who = None
        if not is_participle(cue_verb.group(1)):
            who = art.subject_at_end(head[:v0], s0, sp.para_start)
            if who is None and cue_verb.group(1) in _SAY_VERBS:
                r = det_phrase_at_end(_strip_asides(head[:v0].rstrip()))  # "the minister said"
                who = art.role(r, s0 + v0) if r else None
        else:
            m = _NAME_BEFORE_PARTICIPLE.search(head, 0, v0)
            if m and art._is_person(
                m.group(1)
            ):  # "It quotes X's strategy head, Neil Varga, writing"
                who = art.name_speaker(m.group(1))
        if who is None and not head[:v0].strip():
            who = art.subject_at_start(head[v1:], s0 + v1, sp.para_start)  # "Wrote X on X: …"
        if who is None:
            who = _clause_subject(art, head[:v0], s0, sp.para_start)
        if who:
            sp.speaker, sp.how = who, "head"
            return
    short = head.rstrip().endswith(",") and len(head.split()) <= 8
    if head.rstrip().endswith(":") or short:
        clause = re.split(r"[:.;]\s", head.rstrip()[:-1])[-1]
        # "In his Bluesky post, he was blunt: “…”", "Asked whether …, she was careful: “…”"
        clause = _LEAD_OPENER.sub("", clause)
        named = _ROLE_COMMA_NAME.match(clause)
        if named and art._is_person(named.group(1)):  # "Her neighbor, Jim Tolbert, worried: “…”"
            sp.speaker, sp.how = art.name_speaker(named.group(1)), "head"
            return
        off = head.find(clause)
        m = re.match(r"\s*(?:•\s*)?(he|she|they|it)\b", clause, re.I)
        r = role_at_start(clause.strip())
        first = NAME_SEQ.search(clause)
        if m:
            sp.speaker = art.pronoun(m.group(1), s0 + off, sp.para_start)
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
            sp.how = "head"


_DOC_FINDS = re.compile(
    r"(?:^|[,;]\s+|\.\s+)((?:[Tt]he|[Aa]n?|[Ii]ts)\s+(?:[\w-]+\s+)?(?:report|study|paper|survey|audit|"
    r"review|analysis|researchers|authors|scientists|inspectors|investigators))\s+(?:also\s+)?"
    r"(?:found|finds|concluded|concludes|showed|shows)\b"
)
_MODAL_BEFORE = re.compile(r"\b(?:can|could|might|may|should|must)\s+(?:simply\s+|just\s+)?$")
_COORDINATED = re.compile(r",?\s+(?:but|and)\s+(?:also\s+)?$")
_PLAIN_SAY = frozenset("said says told tells".split())
# Plain verbs of saying: only these make any noun phrase next to them a speaker.
_SAY_VERBS = frozenset(
    """said says told tells added adds wrote writes stated states noted notes explained
    argued argues warned warns insisted insists admitted acknowledged recalled replied responded
    continued conceded countered complained cautioned posted tweeted claimed claims claim
    alleged alleges allege contended contends described describes called calls accused
    accuses urged urges""".split()
)
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
_LEAD_OPENER = re.compile(rf"^\s*{_ASIDE_OPENER}")
_PREP_BEFORE = re.compile(
    r"\b(?:to|via|in|at|on|from|with|by|for|of|about|over|after|before|since|than|like)\s+(?:the\s+)?$",
    re.I,
)
_CLAUSE_SPLIT = re.compile(r",\s+(?:and|but|while|as)\s+|;\s+|\s+—\s+")


def _clause_subject(art: _Article, s: str, base: int, para_start: int) -> str | None:
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
        if lead_name and lead_name.group(0).split()[0].lower() in _STOP_CAPS:
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
    art: _Article, s: str, base: int, para_start: int, *, first: bool = False
) -> str | None:
    """The last (or first) person-like name or he/she in ``s``."""
    best: tuple[int, str] | None = None
    for m in NAME_SEQ.finditer(s):
        if first and best is not None:
            break
        raw = m.group(0)
        if raw.split()[0].lower() in _STOP_CAPS and len(raw.split()) == 1:
            continue
        if first and s.startswith(("’s", "'s"), m.end()) and _PERSON_LATER.search(s, m.end()):
            continue  # "Arcwell’s chief security officer, Mark Delacroix, …": not Arcwell
        later = _TITLED_NAME.match(s, m.end())
        name = art.name_speaker(later.group(1) if later else raw)
        if not name:
            continue
        if art.names.person(name) or is_personlike(name):
            best = (m.start(), name)
        elif first and name not in _GENERIC_CAPS and not _PREP_BEFORE.search(s, 0, m.start()):
            best = (m.start(), name)
    for m in re.finditer(r"\b(he|she)\b", s, re.I):
        if best is None or m.start() > best[0]:
            who = art.pronoun(m.group(1), base + m.start(), para_start)
            if who:
                best = (m.start(), who)
    return best[1] if best else None


def _score(sp: _Span, n_words: int, art: _Article, total: int) -> float:
    score = 3.0 * min(n_words, 40) / 40
    if sp.speaker:
        score += 1.0
        if art.names.person(sp.speaker) or is_personlike(sp.speaker):
            score += 1.5
    t = sp.text.strip()
    if t[:1].isupper():
        score += 0.8  # a whole statement rather than a fragment woven into a sentence
    score -= 0.6 * sp.start / max(total, 1)
    return round(score, 3)


def _rule_spans(text: str, title: str | None) -> tuple[_Article, list[_Span]] | None:
    """Every quotation span with the rules' speaker (None when there is no quote at all)."""
    if not text or not any(c in text for c in "\"“'‘"):
        return None
    spans = _find_spans(text)
    if not any(_word_count(sp.text) >= MIN_WORDS for sp in spans):
        return None
    art = _Article(text, title)
    kept: list[_Span] = []
    prev_end = 0
    for sp in spans:
        if _word_count(sp.text) < MIN_WORDS and not _continues(kept, sp, text):
            continue
        _tail(art, sp)
        if sp.speaker is None:
            sp.lo = max(prev_end, sp.para_start)
            _head(art, sp, sp.lo)
        if sp.speaker is None and sp.next_subject:
            sp.speaker, sp.how = sp.next_subject, "head"
        if sp.how == "tail" or not _looks_like_title(sp.text):
            prev_end = sp.end  # a film title does not end the sentence's attribution
        kept.append(sp)
    _they_continues(kept, art)
    _same_sentence(kept, text)
    merged = _merge_interrupted(kept, text)
    _inherit_back(merged, text)
    _inherit(merged, text)
    if any(sp.speaker is None for sp in merged):
        for sp in merged:
            if sp.speaker is None:
                _implicit(art, sp)
        _inherit(merged, text)
    if any(sp.speaker is None for sp in merged):
        for i, sp in enumerate(merged):
            if sp.speaker is None:
                sp.speaker = context_speaker(art, merged, i)
                sp.how = "context" if sp.speaker else sp.how
        _inherit(merged, text)
    return art, merged


# "…,” hours before the attorney general opened …": a clause with a subject of its own
_NEW_SUBJECT = re.compile(
    r"\b(?:before|after|while|when|as|because|since|whereas|although|though|until)\s+"
    r"(?:the\s|a\s|an\s|[A-Z])"
)


def _same_sentence(spans: list[_Span], text: str) -> None:
    """A quote with no attribution of its own in a sentence that already quoted someone is
    that person's too: 'Pemberton said it was “too little, too late” and accused ministers
    of “kicking the can down the road”'; '“…,” the company said, adding that it had “…”'."""
    for i, sp in enumerate(spans):
        if sp.speaker is not None or i == 0:
            continue
        s0 = _sentence_start(text, max(sp.para_start, sp.start - 400), sp.start)
        for prev in reversed(spans[:i]):
            if prev.start < s0:
                break
            if prev.speaker:
                if not _NEW_SUBJECT.search(text, prev.end, sp.start):
                    sp.speaker, sp.how = prev.speaker, "context"
                break


def _is_quote(sp: _Span, text: str) -> bool:
    """Long enough, and not a title or a named report."""
    body = sp.text.strip().rstrip(",").strip()
    words = _word_count(body)
    if words < MIN_WORDS:
        return False
    if sp.how != "tail" and _looks_like_title(sp.text):
        return False
    # Capgemini’s report “What matters to consumers in 2026.”
    return not (
        sp.how != "tail" and words <= 10 and body[:1].isupper() and _named_work(text, sp.start)
    )


def extract_quotes(text: str, *, title: str | None = None, max_key: int = 3) -> tuple[Quote, ...]:
    """Every direct quotation of 4+ words with its speaker, best first, top ones ``key``."""
    found = _rule_spans(text, title)
    if found is None:
        return ()
    art, merged = found
    out: list[tuple[float, int, Quote]] = []
    for sp in merged:
        if not _is_quote(sp, text):
            continue
        speaker = sp.speaker
        body = sp.text.strip().rstrip(",").strip()
        scored = _Span(sp.start, sp.end, body, sp.para_start, sp.para_end, speaker)
        score = _score(scored, _word_count(body), art, len(text))
        out.append((score, sp.start, Quote(body, speaker)))
    out.sort(key=lambda t: (-t[0], t[1]))
    if not out:
        return ()
    best = out[0][0]
    n_key = max(1, sum(1 for s, _, _ in out[:max_key] if s >= 0.6 * best)) if max_key > 0 else 0
    return tuple(
        Quote(q.text, q.speaker, key=i < n_key, score=s) for i, (s, _, q) in enumerate(out)
    )


_LEAD_PRONOUN = re.compile(
    r"\s*(?:•\s*)?(?:(?:and|but|so|now|still|yet|instead|also|then|here|there|today|however)\b,?\s+)*"
    r"(he|she|it)\b(?!’s|'s)",
    re.I,
)


def _implicit(art: _Article, sp: _Span) -> None:
    """No attribution cue at all, but the quote's own sentence has a subject that speaks.

    "And it will geoblock “…”" (its pronoun subject); "…, Mark Zuckerberg set a goal of
    making it “…”" (the one person it names as a subject).  Cues from the sentences before
    are scored in :mod:`digests.attribution`.
    """
    text = art.text
    s0 = _sentence_start(text, max(sp.lo, sp.start - 300), sp.start)
    head = text[s0 : sp.start]
    m = _LEAD_PRONOUN.match(head)
    if not m and not re.search(r"[“”\"]", head):
        sp.speaker = _sole_person_subject(art, head)
        if sp.speaker:  # "…, Mark Zuckerberg set a goal of making it “…”"
            sp.how = "implicit"
            return
    if m and not re.search(r"[“”\"]", head):
        if m.group(1).lower() == "it":
            if s0 > sp.para_start and not text[s0 : s0 + m.start(1)].strip():
                sp.speaker = art.previous_org(s0, sp.para_start)
        else:
            sp.speaker = art.pronoun(m.group(1), s0 + m.start(1), sp.para_start)
        if sp.speaker:
            sp.how = "implicit"
        return


def _sole_person_subject(art: _Article, head: str) -> str | None:
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


_WORK_CUE = re.compile(
    r"\b(?:research|report|study|paper|survey|article|essay|whitepaper|labell?ed|titled|"
    r"entitled|section|tab|button|menu|option|setting|category|click|clicks|clicking|tap|"
    r"tapping|select|press)\s*[,:]?\s*$",
    re.I,
)


def _named_work(text: str, start: int) -> bool:
    """A report, study or on-screen label named by its title ("click “I have another
    reason”"), not a quotation."""
    return bool(_WORK_CUE.search(text, max(0, start - 25), start))


def _continues(kept: list[_Span], sp: _Span, text: str) -> bool:
    """A short second half of an interrupted quote ("“A,” she said. “Ok.”") still counts."""
    if not kept:
        return False
    a = kept[-1]
    return a.how == "tail" and a.attr_end >= 0 and not text[a.attr_end : sp.start].strip(" .,;:")


def _opens_sentence(text: str, sp: _Span) -> bool:
    """False for a fragment after a word of the writer's sentence ("was “put on hold”")."""
    head = text[_sentence_start(text, max(sp.para_start, sp.start - 300), sp.start) : sp.start]
    return not (head.strip() and head[-1:].isspace() and head.rstrip()[-1:].isalnum())


def _merge_interrupted(spans: list[_Span], text: str) -> list[_Span]:
    out: list[_Span] = []
    for sp in spans:
        if out:
            a = out[-1]
            gap = text[a.attr_end : sp.start] if a.attr_end >= 0 else "x"
            if (
                a.how == "tail"
                and a.para_start == sp.para_start
                and not gap.strip(" .,;:")
                and (sp.speaker is None or sp.speaker == a.speaker)
                and not _looks_like_title(sp.text)  # "…,” she said of “The Long Way Back”
                and _opens_sentence(text, a)  # not a fragment woven into the writer's sentence
            ):
                first = a.text.rstrip()
                if first.endswith(",") and "." in gap:
                    first = first[:-1] + "."
                a.text = first + " " + sp.text.lstrip()
                a.attr_end = -1
                if sp.how == "tail":
                    a.attr_end = sp.attr_end
                continue
            if (
                a.unclosed
                and sp.start == sp.para_start == a.para_end + 2
                and (a.speaker is None or sp.speaker is None or a.speaker == sp.speaker)
            ):
                # News style: a quote over several paragraphs only closes in the last one.
                a.text = a.text.rstrip() + " " + sp.text.lstrip()
                a.end, a.para_end, a.unclosed = sp.end, sp.para_end, sp.unclosed
                if a.speaker is None:
                    a.speaker, a.how, a.attr_end = sp.speaker, sp.how, sp.attr_end
                continue
        out.append(sp)
    return out


_THEY_TAIL = re.compile(r"[\s,—–-]*(?:they\s+[a-z]+|[a-z]+\s+they)\b", re.I)


def _they_continues(spans: list[_Span], art: _Article) -> None:
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
            b.speaker = a.speaker


def _inherit_back(spans: list[_Span], text: str) -> None:
    """“A,” … “B,” Cash App says. — an attribution closing a sentence covers all its quotes."""
    for a, b in pairwise(spans):
        if (
            a.speaker is None
            and b.how == "tail"
            and a.para_start == b.para_start
            and not _SENT_END.search(text, a.end, b.start)
            and b.attr_end >= 0
            and text[b.attr_end : b.attr_end + 1] in (".", "")
        ):
            a.speaker, a.how = b.speaker, "inherit"


def _inherit(spans: list[_Span], text: str) -> None:
    """An unattributed quote following an attributed one, in the same or the next paragraph."""
    last: _Span | None = None
    for sp in spans:
        if sp.speaker is None and last is not None and last.speaker:
            same_para = last.para_start == sp.para_start
            after = _QUOTED.sub("", text[last.end : last.para_end]).strip()  # its own quotes aside
            next_para = (
                not same_para
                and last.para_end == sp.para_start - 2
                and len(after) < 120
                and (
                    sp.start == sp.para_start
                    or (
                        sp.start < sp.para_start + 40
                        and (after.endswith(":") or text[sp.para_start] in '“"‘')
                    )
                )
            )  # the paragraph after "…, including:" is a list item of the same source
            gap = text[last.end : sp.start]
            same_sentence = (
                same_para
                and not _SENT_END.search(gap)
                and len(gap.split()) <= 30
                and not re.search(r"\b[A-Z]", gap)
                and not speech_verb_re().search(gap)
                and not _NEW_SUBJECT.search(gap)
            )  # "He says there is “A” and that the platform may need “B”"
            if (same_para and sp.text.strip()[:1].isupper()) or next_para or same_sentence:
                sp.speaker, sp.how = last.speaker, "inherit"
        last = sp
