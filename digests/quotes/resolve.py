"""Turning a raw name, pronoun or organisation mention into the fullest speaker the article
gives (per-article state shared by every rule).
"""

from __future__ import annotations

import re
from functools import lru_cache

from digests.quotes.context import SENT_END, sentence_start
from digests.quotes.lexicon import (
    NAME_SEQ,
    PRONOUNS,
    ROLE_WORDS,
    SENTENCE_STOP_CAPS,
    SPEECH_VERBS,
    TITLE_ABBREV_ALONE,
)
from digests.quotes.names import NameIndex, is_personlike, strip_roles
from digests.quotes.organisations import GENERIC_CAPS, Organisations
from digests.quotes.roles import det_phrase_at_end, name_after_role


class Resolver:
    """Per-article state (the text, its name index, its organisations) and the look-ups that
    turn a raw name, pronoun or organisation mention into a speaker.

    :class:`~digests.quotes.documents.DocumentRoles` and
    :class:`~digests.quotes.phrases.SpeakerPhrases` extend it;
    :class:`~digests.quotes.article.Article` combines them.
    """

    def role(self, phrase: str, pos: int = -1) -> str:
        """A role or document phrase as a speaker (see ``DocumentRoles.role``)."""
        raise NotImplementedError

    def subject_at_end(self, s: str, base: int, para_start: int) -> str | None:
        """Speaker phrase ending ``s`` (see ``SpeakerPhrases.subject_at_end``)."""
        raise NotImplementedError

    def subject_at_start(self, s: str, base: int, para_start: int) -> str | None:
        """Speaker phrase starting ``s`` (see ``SpeakerPhrases.subject_at_start``)."""
        raise NotImplementedError

    def __init__(self, text: str, title: str | None) -> None:
        self.text = text
        self.title = title or ""
        self.names = NameIndex.build(text, title)
        self._org: str | None = None
        self._org_known = False  # org() computed (its answer may be None)
        self._mid_caps: set[str] | None = None
        self._issuers: dict[str, str] = {}  # "statement" -> who issued it
        self._in_institution = False
        self._finding_issuer = False
        # "the company", "the agency", acronyms: resolved by digests.quotes.organisations
        self.orgs = Organisations(text, self.names, self.is_person)

    # -- speakers ---------------------------------------------------------------
    def initial_only(self, word: str) -> bool:
        """True for a sentence-opening word that is no name: an adverbial or a verb form
        ("Following", "Hours", "Shortly", "Adding", "Wrote") the text never capitalises
        inside a sentence.  Companies named only at sentence starts ("NetChoice said") keep
        their name: only these word shapes are refused."""
        word = re.sub(r"[’']s$", "", word).rstrip(".,")
        low = word.lower()
        if not word[:1].isupper() or word.isupper():
            return False
        if not (
            low in _ADVERBIAL_WORDS
            or low in SPEECH_VERBS
            or (len(low) >= 6 and low.endswith(("ly", "ing", "ed")))
        ):
            return False
        if self._mid_caps is None:
            self._mid_caps = _mid_sentence_caps(self.text)
        if word in self._mid_caps or _count_standalone(self.text, word) >= 3:
            return False  # "Cluely" (ends in -ly) is a company the text keeps naming
        return word not in {re.sub(r"[’']s$", "", w).strip(",:;") for w in self.title.split()}

    def org(self) -> str | None:
        """The organisation the article is about: the title's most-mentioned non-person name."""
        if not self._org_known:
            best: tuple[int, str] | None = None
            once: tuple[int, str] | None = None
            for m in ORG_RUN.finditer(self.title):
                run = re.sub(r"[’']s$", "", m.group(0))
                toks = run.split()
                while toks and (toks[0].lower() in SENTENCE_STOP_CAPS or toks[0] in GENERIC_CAPS):
                    toks.pop(0)
                while toks and (toks[-1].lower() in SENTENCE_STOP_CAPS or toks[-1] in GENERIC_CAPS):
                    toks.pop()
                if not toks or len(toks) > 3:
                    continue
                run = " ".join(toks)
                if self.names.person(run) or run.lower() in ROLE_WORDS:
                    continue
                if self.orgs.product_like(run):
                    continue  # "… clamp down on bias in ChatGPT": the product, not the company
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
            self._org_known = True
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
            if (best is None or n > best[0]) and w.lower() not in SENTENCE_STOP_CAPS:
                if (
                    w not in GENERIC_CAPS
                    and not self.names.person(w)
                    and w.lower() not in ROLE_WORDS
                    and not self.orgs.product_like(w)
                ):
                    best = (n, w)
        return best

    def name_speaker(self, raw: str) -> str | None:
        """A capitalised run as a speaker: fullest person name, or the organisation.
        Products and features ("Quick Suite", "ChatGPT") are never speakers."""
        name = self._name_speaker(raw)
        if name and self.orgs.product_like(name):
            return None
        if name and " " not in name and f"{name}." in self.text:
            dotted = re.search(rf"(?<![\w.]){re.escape(name)}\.(?:ai|io|com|app|co)\b", self.text)
            if dotted:  # "Symbolic.ai", named so at least once: its full name
                return dotted.group(0)
        if name and " " in name and self.initial_only(name.split()[0]):
            return name.split(" ", 1)[1]  # the name index took "Wrote Pia Sandberg" whole
        return name

    def _name_speaker(self, raw: str) -> str | None:
        toks = [t for t in raw.split() if t]
        while toks and toks[0].lower() in SENTENCE_STOP_CAPS:
            toks.pop(0)
        while toks and toks[-1].lower() in SENTENCE_STOP_CAPS:
            toks.pop()
        if not toks:
            return None
        toks = [t for t in toks if not BASED.fullmatch(t)]  # "Berlin-based Tessellate AI"
        # "Following a meeting, …", "Hours later, …", "Wrote Pia Sandberg": a word the text
        # only capitalises where a sentence starts is no name (the name validation).
        while len(toks) > 1 and self.initial_only(toks[0]):
            toks.pop(0)
        if len(toks) == 1 and (
            (self.initial_only(toks[0]) and not self.names.person(toks[0]))
            or TITLE_ABBREV_ALONE.fullmatch(toks[0])
        ):
            return None  # … and "Rep." alone is a title without its name
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
            s0 = sentence_start(self.text, max(para_start, pos - 300), pos)
            first = re.search(r"\b(?:he|she|He|She)\b", self.text[s0:pos])
            if first and QUOTE_MARKS.search(self.text, s0 + first.end(), pos):
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
            lo = sentence_start(self.text, max(para_start, pos - 250), pos)
            lead = self.text[lo:pos]
            if lo > para_start and (not lead.strip(' “"‘(') or _OPENER.fullmatch(lead)):
                return self._previous_subject(lo, para_start)  # "… Kobo app. It notes …"
            found = None
            seg = QUOTED.sub(lambda q: " " * len(q.group(0)), self.text[lo:pos])
            for m in ORG_RUN.finditer(seg):
                run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
                if run and run not in GENERIC_CAPS:
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
            sentence_start(self.text, max(para_start, start - 300), start) != start
        ):
            return None  # the quote does not open its sentence
        end = start if start > para_start else max(0, para_start - 2)
        if end <= 0:
            return None
        lo = self.text.rfind("\n\n", 0, end) + 2 if start <= para_start else para_start
        p0 = sentence_start(self.text, max(lo, end - 400), end - 1)
        prev = self.text[p0:end]
        if QUOTE_MARKS.search(prev):
            return None  # a quoted sentence before: its own speaker continues
        lead = re.match(ASIDE_OPENER, prev)
        for nm in NAME_SEQ.finditer(
            prev, lead.end() if lead else 0, 70 + (lead.end() if lead else 0)
        ):
            if PREP_BEFORE.search(prev, 0, nm.start()) or prev.startswith(("’s", "'s"), nm.end()):
                continue  # "Lumen Arc's head of publishing, Sofie Brand, …": not Lumen Arc
            who = self.name_speaker(nm.group(0))
            if who and (self.names.person(who) or is_personlike(who)):
                return who
            if who and _SAID_AFTER.match(prev, nm.end()):
                return who  # "Duarte said she had asked for quotes. “…,” she said."
        v = _FIRST_SAID.search(prev)
        if v:  # "One senior developer, who asked not to be named, said …. “…,” she said."
            r = det_phrase_at_end(strip_asides(prev[: v.start()].rstrip()))
            if r:
                return self.role(r, p0 + v.start())
        return None

    def _previous_person_subject(self, pos: int, para_start: int) -> str | None:
        """A sentence-opening he/she: the person who opens the previous sentence, not the last
        name in it ("Christian Kroll … foresaw it after Trump’s reelection. He added …")."""
        s0 = sentence_start(self.text, max(para_start, pos - 200), pos)
        if s0 <= para_start or not _OPENER.fullmatch(self.text[s0:pos]):
            return None
        p0 = sentence_start(self.text, max(para_start, s0 - 300), s0 - 1)
        return self.person_opening(p0, s0)

    def person_opening(self, lo: int, hi: int) -> str | None:
        """The known person whose name opens text[lo:hi] (after an optional short lead-in)."""
        m = _NAME_OPENING.match(self.text, lo, hi)
        if not m:
            return None
        later = TITLED_NAME.match(self.text, m.end(), hi)
        if later and self.is_person(later.group(1)):  # "Dutch Green MEP Pieter van Rossum"
            return self.name_speaker(later.group(1))
        name = self.name_speaker(m.group(1))
        if name and (self.names.person(name) or is_personlike(name)):
            return name
        named = name_after_role(self.text[m.end() : min(hi, m.end() + 60)].lstrip())
        if named and self.is_person(named):  # "Council member Dale Hutchins, …"
            return self.name_speaker(named)
        return None

    def org_in_sentence(self, pos: int) -> str | None:
        """The first organisation-like name in the sentence holding ``pos`` (not a person,
        not a quoted title)."""
        para = self.text.rfind("\n\n", 0, pos) + 2 if pos > 0 else 0
        s0 = sentence_start(self.text, max(para, pos - 400), pos)
        end = SENT_END.search(self.text, pos)
        seg = QUOTED.sub(
            lambda q: " " * len(q.group(0)), self.text[s0 : end.start() if end else len(self.text)]
        )
        for m in ORG_RUN.finditer(seg):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            toks = run.split()
            while toks and (toks[0].lower() in SENTENCE_STOP_CAPS or toks[0] in GENERIC_CAPS):
                toks.pop(0)
            run = " ".join(toks)
            if run and not self.names.person(run) and not is_personlike(run):
                return run
        return None

    def previous_org(self, end: int, para_start: int) -> str | None:
        """An organisation named in the sentence before ``end`` (no article-wide guess)."""
        lo = sentence_start(self.text, max(para_start, end - 300), end - 1)
        prev = self.text[lo:end]
        if _ORG_SUBJECT.match(prev):
            return self.org()
        for m in ORG_RUN.finditer(prev):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            if not run or run in GENERIC_CAPS or run.lower() in SENTENCE_STOP_CAPS:
                continue
            if self.names.person(run) or is_personlike(run):
                return None  # "Bondi tells Apple …. It goes on": "it" is her letter
            return run
        brand = BRAND.search(prev)
        return brand.group(1) if brand else None

    def _previous_subject(self, end: int, para_start: int) -> str | None:
        """A sentence-opening "it": the organisation the previous sentence is about."""
        lo = sentence_start(self.text, max(para_start, end - 300), end - 1)
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
        for m in ORG_RUN.finditer(prev):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            if run and run not in GENERIC_CAPS and not self.names.person(run):
                return run
        m = BRAND.search(prev)
        return m.group(1) if m else self.org()

    def _ends_with_person(self, s: str) -> bool:
        last = last_name_seq(s)
        return last is not None and s.endswith(last) and self.is_person(last)

    def is_person(self, raw: str) -> bool:
        name = self.name_speaker(raw)
        return bool(name and (self.names.person(name) or is_personlike(name)))


ORG_RUN = re.compile(r"(?<![\w’'])[A-Z][\w&’'.-]*(?:\s+[A-Z][\w&’'.-]*){0,3}")
_ORG_SUBJECT = re.compile(
    r"\s*(?:(?:the|its)\s+(?:company|firm|startup|lawsuit|suit|complaint|filing|statement|post|"
    r"announcement|report|memo)|it)\b",
    re.I,
)
_CAP_RUN = re.compile(r"(?<![\w’'-])[A-Z][\w&’'-]*[a-z][\w&’'-]*(?:\s+[A-Z][\w&’'.-]*)*")
# Brands written with a lower-case first letter: xAI, iRobot, eBay.
BRAND = re.compile(r"(?<![\w’'])([a-z]{1,3}[A-Z][\w]*)(?![\w’'])")
_OPENER = re.compile(
    r"(?i)\s*(?:(?:and|but|so|then|still|yet|also|later|now)\b,?\s+)*(?:(?:in|on|at|after|during)\s+"
    r"[^,.;:“”\"]{1,40},\s+)?"
)  # "And", "In his post on X," before a sentence-opening he/she
# "Asked whether …, Solberg laughed": the clause before the subject is not the subject.
ASIDE_OPENER = (
    r"(?:(?:When\s+)?[Aa]sked\b[^,“”\"]{0,160},\s+"
    r"|(?:In|On|At|After|During|Speaking|Writing|Later|Earlier)\b[^,“”\"]{0,60},\s+)"
)
_NAME_OPENING = re.compile(
    rf"\s*{ASIDE_OPENER}?(?:(?:but|and|so|still|later|then)\s+)?({NAME_SEQ.pattern})(?![’'])"
)
_INSTITUTIONS = frozenset(
    """commission department agency court council committee parliament ministry office
    administration board authority bureau institute university foundation association union
    guild""".split()
)
TITLED_NAME = re.compile(
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
_SAID_BY_DOC = re.compile(
    r"[”\"’],?\s+((?:the|its|a|an)\s+[\w’'-]+(?:\s+[\w’'-]+){0,2})\s+(?:says|said|states|"
    r"stated|notes|noted|adds|added|reads|read|writes|wrote|concludes|concluded|warns|warned)"
    r"\.\s*$"
)
_SAID_AFTER = re.compile(r"\s+(?:said|says|told|added|wrote)\b")
_FIRST_SAID = re.compile(r"\s(?:said|says|told|added|wrote|explained|recalled|described)\b")
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
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_AFTER_CLOSE = re.compile(r"[”\"’'],?\s*$")
_OPENING_FOR = {"”": "“", '"': '"', "’": "‘", "'": "'"}
QUOTE_MARKS = re.compile(r"[“”\"]")
BASED = re.compile(r"[A-Z][\w.]*-(?:based|born|headquartered|listed)")


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


def strip_asides(s: str) -> str:
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


def last_name_seq(s: str) -> str | None:
    m = re.search(rf"({NAME_SEQ.pattern})[’']?s?$", s)
    if not m:
        return None
    return m.group(1)


PREP_BEFORE = re.compile(
    r"\b(?:to|via|in|at|on|from|with|by|for|of|about|over|after|before|since|than|like)\s+(?:the\s+)?$",
    re.I,
)


# Time and quantity words that open sentences ("Hours later, …", "Days after …").
_ADVERBIAL_WORDS = frozenset(
    """hours days weeks months years minutes moments seconds decades nights mornings later
    soon afterwards afterward once twice elsewhere nearby overnight""".split()
)
_CAP_WORD = re.compile(r"(?<![\w’'-])[A-Z][\w’'&-]*")
_STARTS_SENTENCE = frozenset('.!?:“"‘([•—–\n')


def _mid_sentence_caps(text: str) -> set[str]:
    """Capitalised words that appear at least once inside a sentence (not first in it)."""
    out: set[str] = set()
    for m in _CAP_WORD.finditer(text):
        i = m.start() - 1
        while i >= 0 and text[i] in " \t":
            i -= 1
        closing = i > 0 and text[i] in "\"'" and not text[i - 1].isspace()  # '…," Corvane said'
        if i >= 0 and (closing or text[i] not in _STARTS_SENTENCE):
            out.add(re.sub(r"[’']s$", "", m.group(0)))
    return out
