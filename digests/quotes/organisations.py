"""Which organisation or named body a phrase refers to in one article.

"the company", "the agency", "the union", an acronym ("FTC") or a bare name that opens a
sentence ("Vantor said …") all point back to a body the article named, usually more fully,
earlier on.  :class:`Organisations` finds it from the article text and its
:class:`~digests.quotes.names.NameIndex`; :mod:`digests.quotes.extract` asks it when a quote's speaker
is such a phrase.  Kept apart from the quote scanner so the organisation rules can be read,
and tested, on their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from digests.quotes.lexicon import STOP_CAPS
from digests.quotes.names import NameIndex, strip_roles

# Capitalised words that are never an organisation's name on their own (also used by
# digests.quotes when it picks out capitalised runs).
GENERIC_CAPS = frozenset(
    """AI TV CES RGB US UK EU CEO CTO LLM API AR VR XR PC OLED LED GPU CPU IPO SEC FTC FBI DOJ
    NFL NBA USB HDMI RAM SSD IT HR PR Q1 Q2 Q3 Q4 AGI LLMs""".split()
)
# "the agency", "the group": which head words a name of that kind ends with
_AGENCY_HEADS = frozenset(
    "Agency Commission Administration Department Bureau Authority Service Office Board".split()
)
_GROUP_HEADS = frozenset(
    """Group Alliance Coalition Association Council PAC Union Foundation Network Institute
    Center Centre Campaign Project Federation Guild""".split()
)
_ORG_KINDS: dict[str, frozenset[str]] = {
    "agency": _AGENCY_HEADS,
    "regulator": _AGENCY_HEADS,
    "group": _GROUP_HEADS,
    "organization": _GROUP_HEADS,
    "organisation": _GROUP_HEADS,
    "union": frozenset("Union Workers Federation Guild Association Teamsters".split()),
    **{
        k.lower(): frozenset({k})
        for k in """Institute Commission Council Alliance Coalition Association Department
        Ministry Foundation Committee Board Bureau Authority Administration University""".split()
    },
}
_DOTTED = re.compile(r"(?:[A-Z]\.){2,}")
_KIND_RUN = re.compile(
    r"(?<![\w’'])[A-Z][\w’'.-]*(?:\s+(?:(?:of|for|and|in|&)\s+(?:the\s+)?)?[A-Z][\w’'.-]*)*"
)
# Nouns a text uses to refer back to the organisation it just named ("the hospital said").
_SUBJECT_BODIES = frozenset(
    """company firm startup hospital union agency group council school district university
    museum club bank carrier retailer airline automaker insurer landlord operator utility
    developer publisher studio network charity regulator watchdog commission authority
    ministry department board committee body trust society institute association
    organisation organization platform app service chain lender""".split()
)
# An organisation opening a sentence as its subject: "Vantor said", "Keystone Residential,
# which owns …, said", "St. Agnes said in a statement".
_SUBJECT_ORG = re.compile(
    r"(?:^|(?<=[a-z0-9)][.!?]\s)|(?<=[”\"]\s)|(?<=\n)|(?<=[-–—]\s))"
    r"((?:The\s+)?[A-Z][\w&.-]*(?:\s+(?:(?:and|of|for|&)\s+)?[A-Z][\w&.-]*){0,5})"
    r"(?=(?:\s+(?:union|group|council|coalition|alliance))?,\s+(?:which|a|an|the|whose|who)\b"
    r"|(?:[’']s\s+[a-z]+)?(?:\s+(?:also|then|later|now|still|already|just|recently|quickly))?"
    r"\s+(?:[a-z]{3,}ed|said|says|has|had|have|is|are|was|were|"
    r"will|would|did|does|announced|confirmed|told|wrote|added|posted|declined|disputes|denied|"
    r"argued)\b|\s+(?:shares|stock)\s+(?:fell|rose|jumped|dropped|slid|climbed|gained|sank|soared)\b)"
    r"|(?<=, )((?:The\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})(?=\s+(?:said|says|told|wrote)\b)"
    # "Danish developer Vestara Energi said"
    r"|(?<=\s)(?:developer|company|firm|group|maker|giant|bank|operator|retailer|carrier|insurer|"
    r"start-?up|airline|automaker|chain|union|agency|regulator|lender|miner|publisher)\s+"
    r"([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,4})(?=\s+(?:said|says|told|announced)\b)"
)
# How texts use a product or feature, and how they have an organisation act.
_PRODUCT_BEFORE = re.compile(r"\b(?:use|uses|using|used|in|into|inside|via)\s+(?:the\s+)?$")
_LONGER_NAME = re.compile(r" [A-Z]")
_PRODUCT_AFTER = re.compile(
    r"(?:[’']s)?\s+(?:app|apps|model|models|feature|features|chatbot|assistant|users?|"
    r"accounts?|subscriptions?|responses?|answers?|versions?|update|interface|window|button|"
    r"tab|mode|plugin|extension|integration)\b"
)
_ORG_AFTER = re.compile(
    r"(?:[’']s)?\s+(?:said|says|wrote|writes|announced|told|confirmed|declined|CEO|chief|"
    r"spokesperson|spokesman|spokeswoman|executives?|founder|co-founder|employees|staff)\b"
)
_NOT_THE_COMPANY = frozenset("Union Workers Federation Guild Association Council".split())


# Nouns a text introduces a body as, then refers back to ("…, a union that …" … "the union").
_INTRODUCIBLE = frozenset(
    """group union company firm startup agency regulator operator organization organisation
    association alliance coalition collective campaign charity nonprofit body publisher studio
    developer maker label network outlet lab band club team party gang""".split()
)


_NAMED_BY_NOUN = frozenset(
    "union group party band club team council charity campaign coalition alliance".split()
)


@lru_cache(maxsize=64)
def _introduction_re(noun: str) -> re.Pattern[str]:
    name = r"(?:The\s+)?[A-Z][\w&’'.-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w&’'.-]*){0,5}"
    return re.compile(
        rf"(?P<name>{name}),\s+(?i:a|an|the)\s+(?:[\w’'-]+\s+){{0,4}}?{noun}\b"
        rf"(?=\s*(?:,|\.|\bthat\b|\bwhich\b|\bwho\b|\bwhose\b|\brepresenting\b|\bbased\b|\bfor\b|"
        rf"\bregistered\b|\bheadquartered\b|\bowned\b|\bfounded\b|\brun\b|\bbacked\b|\bin\b))"
        rf"|\b(?i:a|an)\s+(?:[\w-]+\s+){{0,2}}{noun}\s+(?:calling\s+itself|known\s+as|called|"
        rf"named)\s+[“\"‘]?(?P<called>{name})"
        + (
            rf"|\b[Tt]he\s+(?P<the>[A-Z][\w&’'.-]*(?:\s+(?:(?:and|of|for|&)\s+)?[A-Z][\w&’'.-]*)"
            rf"{{0,5}})\s+{noun}\b"
            if noun in _NAMED_BY_NOUN  # "the Unite union"; but "the Steam maker" is Valve
            else r"(?P<the>(?!))"
        )
    )


class Organisations:
    """Per-article organisation resolution; caches acronym expansions.

    ``is_person`` is the caller's test for "this name is a person" (it resolves names the
    way quote speakers are resolved), passed in so this module need not import the quote
    scanner.
    """

    def __init__(self, text: str, names: NameIndex, is_person: Callable[[str], bool]) -> None:
        self.text = text
        self.names = names
        self._is_person = is_person
        self._acronyms: dict[str, str | None] = {}
        self._products: dict[str, bool] = {}

    def body(self, noun: str, pos: int) -> str | None:
        """'the union', 'the agency': the body an earlier sentence introduced as a ``noun``,
        else the nearer of the last name of that kind and the last subject organisation."""
        named = self.introduced_as(noun, pos)
        if not named and pos >= 0:
            # "the agency" -> the last "… Commission" named, or the organisation that was
            # last a sentence's subject ("BrightHaus did not admit …"): the nearer wins
            kind = self.named_kind_at(noun, pos)
            subj = self.subject_org_at(pos) if noun in _SUBJECT_BODIES else None
            if kind and _ORG_KINDS.get(noun, {noun.title()}) == {noun.title()}:
                subj = None  # "the weather service" and a "… Service" named: that one
            best = max((c for c in (kind, subj) if c), default=None)
            named = best[1] if best else None
        elif not named and noun in _ORG_KINDS:
            named = self.named_kind(noun, pos)
        return named

    def subject_org(self, pos: int) -> str | None:
        """The name of :meth:`subject_org_at`, without its position."""
        found = self.subject_org_at(pos)
        return found[1] if found else None

    def subject_org_at(self, pos: int) -> tuple[int, str] | None:
        """The organisation that was last the subject of a sentence before ``pos`` ("Vantor
        said the rules would …"), named as fully as the text does."""
        lo = max(0, pos - 3000)
        found = None
        for m in _SUBJECT_ORG.finditer(self.text, lo, pos):
            toks = (m.group(1) or m.group(2) or m.group(3)).split()
            while toks and toks[0].lower() in STOP_CAPS:
                toks.pop(0)  # "On Tuesday", "The"
            run = " ".join(toks)
            if " " not in run and not re.search(rf"[a-z,] {re.escape(run)}\b", self.text):
                continue  # "Others are …", "Conditions were …": a word opening a sentence
            if (
                not run
                or any(t.lower() in STOP_CAPS for t in toks)
                or run in GENERIC_CAPS
                or self._surname_used(run)
                or strip_roles(run) != run  # "Instacart CEO Chris Rogers" is a person
                or self.product_like(run)  # "ChatGPT expresses …": a product, not a company
            ):
                continue
            found = (m.start(), run)
        return (found[0], self.fullest(found[1])) if found else None

    def _surname_used(self, name: str) -> bool:
        """A person's name: the text refers to them by their last name alone ("Pilling")."""
        toks = name.split()
        if len(toks) == 1:
            full = self.names.person(name)
            return full is not None and full != name and full.split()[-1] == name
        if not self._is_person(name):
            return False
        pat = rf"(?<!{re.escape(toks[-2])} ){re.escape(toks[-1])}\b"
        return re.search(pat, self.text) is not None

    def product_like(self, name: str) -> bool:
        """A product or feature, not a speaker: the text uses it ("in ChatGPT", "using Quick
        Suite", "ChatGPT's responses", "the Copilot Appearance feature") more than it has it
        speak or employ people ("OpenAI wrote", "Nvidia CEO")."""
        if name not in self._products:
            used = said = 0
            if self.text.count(name) < 2:
                self._products[name] = False  # needs two uses to be a product
                return False
            at = self.text.find(name)
            while at >= 0:
                end = at + len(name)
                edge = self.text[at - 1 : at] if at else ""
                after = self.text[end : end + 1]
                if (edge and (edge.isalnum() or edge in "_’'-")) or (
                    after and (after.isalnum() or after in "_-")
                ):
                    pass  # inside a longer word
                elif _LONGER_NAME.match(self.text, end):
                    pass  # "the Kobo Writing Life dashboard": another name
                elif _PRODUCT_BEFORE.search(self.text, max(0, at - 12), at):
                    used += 1
                elif _PRODUCT_AFTER.match(self.text, end):
                    used += 1
                elif _ORG_AFTER.match(self.text, end):
                    said += 1
                at = self.text.find(name, end)
            self._products[name] = used >= 2 and used > 2 * said
        return self._products[name]

    def org_like(self, name: str) -> bool:
        """A two-word name the text shortens to its first word ("Castellan Ports" ->
        "Castellan") is an organisation; people are shortened to their last ("Pilling")."""
        toks = name.split()
        if len(toks) < 2:
            full = self.names.person(name)
            return full is None or full.split()[-1] != name
        first = len(
            re.findall(rf"(?<![\w’']){re.escape(toks[0])}(?!\s+{re.escape(toks[1])})\b", self.text)
        )
        last = len(re.findall(rf"(?<!{re.escape(toks[-2])} ){re.escape(toks[-1])}\b", self.text))
        return first > last

    def fullest(self, name: str) -> str:
        """'Vantor' -> 'Vantor Tools', 'St. Agnes' -> 'St. Agnes Medical Center'."""
        if name.isupper() and 2 <= len(name) <= 6:
            return self.expand_acronym(name) or name
        for m in re.finditer(rf"(?<![\w’']){re.escape(name)}(?:\s+[A-Z][\w&’'.-]*)+", self.text):
            cand = m.group(0)  # the first longer form: how the text introduced it
            if cand.split()[-1] in _NOT_THE_COMPANY or strip_roles(cand) != cand:
                continue  # "Daesan Motor Workers Union", "Instacart CEO Chris Rogers"
            if len(cand.split()) <= 5:
                return cand
        return name

    def introduced_as(self, noun: str, pos: int, within: int = 1500) -> str | None:
        """'Game Workers Quebec, a union that …' / 'a group calling itself “Quiet Ledger”':
        the last name the text introduced as a ``noun`` before ``pos``."""
        if noun not in _INTRODUCIBLE:
            return None
        lo = max(0, pos - within) if pos >= 0 else 0
        hi = pos if pos >= 0 else len(self.text)
        found = None
        for m in _introduction_re(noun).finditer(self.text, lo, hi):
            found = m.group("name") or m.group("called") or m.group("the")
        if found:
            found = found.removeprefix("The ").strip()
        return found or None

    def named_kind(self, noun: str, pos: int) -> str | None:
        """The last name before ``pos`` whose head word fits ``noun`` ("the institute" ->
        "AI Security Institute"); an acronym standing for one counts as that name."""
        found = self.named_kind_at(noun, pos)
        return found[1] if found else None

    def named_kind_at(self, noun: str, pos: int) -> tuple[int, str] | None:
        """:meth:`named_kind` with where the name stands, so callers can take the nearer."""
        heads = _ORG_KINDS.get(noun) or frozenset({noun.title()})
        found = None
        for m in _KIND_RUN.finditer(self.text, 0, pos if pos >= 0 else len(self.text)):
            pieces = [re.sub(r"[’']s$", "", p).split() for p in m.group(0).split(" in ")]
            named = [w for w in pieces if len(w) > 1 and w[-1] in heads]  # "Museum in London"
            words = named[-1] if named else pieces[-1]  # "the IEA's report"
            if words[-1] in heads and len(words) > 1:
                found = (m.start(), " ".join(words[1:] if words[0] == "The" else words))
            elif words[-1].isupper() and len(words) == 1 and len(words[0]) >= 2:
                full = self.expand_acronym(words[0])
                if full and full.split()[-1] in heads:
                    found = (m.start(), full)
        return found

    def expand_acronym(self, acronym: str) -> str | None:
        """'FTC' -> 'Federal Trade Commission' when the article spells it out."""
        if acronym in self._acronyms:
            return self._acronyms[acronym]
        full = None
        for m in _KIND_RUN.finditer(self.text):
            words = [
                w for w in m.group(0).split() if w not in ("The", "of", "for", "and", "in", "&")
            ]
            letters = "".join(w.replace(".", "") if _DOTTED.fullmatch(w) else w[0] for w in words)
            rest = "".join(w.replace(".", "") if _DOTTED.fullmatch(w) else w[0] for w in words[1:])
            if len(words) > 2 and words[0] in ("US", "U.S.", "UK", "EU") and rest == acronym:
                letters = acronym  # "US Food and Drug Administration" -> "FDA"
            if len(words) > 1 and letters == acronym:  # "U.S. Geological Survey" -> "USGS"
                full = m.group(0).removeprefix("The ")
                break
        self._acronyms[acronym] = full
        return full
