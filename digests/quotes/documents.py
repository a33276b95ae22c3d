"""Rule family *documents*: role and document phrases as speakers ("the company", "the
statement reads", "the CQC's report", "the judge") resolved to who they stand for.
"""

from __future__ import annotations

import re

from digests.quotes.context import sentence_start
from digests.quotes.lexicon import SENTENCE_STOP_CAPS, STOP_CAPS, is_participle, speech_verb_re
from digests.quotes.names import is_personlike, strip_roles
from digests.quotes.organisations import GENERIC_CAPS
from digests.quotes.resolve import BASED, ORG_RUN, Resolver


class DocumentRoles(Resolver):
    """Role and document phrases resolved to the person, body or issuer they stand for."""

    def role(self, phrase: str, pos: int = -1) -> str:
        """A role or document phrase as a speaker; ``pos`` (where it stands) lets a document
        ("the statement reads") resolve to whoever issued it just before."""
        if "-" in phrase:
            phrase = " ".join(t for t in phrase.split() if not BASED.fullmatch(t))
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
            # "The new console from Ardent Games “…,” the launch video promises"
            return (self.org_in_sentence(pos) if pos >= 0 else None) or self.org() or phrase
        m = _OWNED_DOC.fullmatch(phrase)
        if m and not self.is_person(m.group(1)):  # "The CQC’s report" -> the CQC
            return self.name_speaker(m.group(1)) or m.group(1)
        m = _ROLE_OWNED_DOC.fullmatch(phrase)
        if m:  # "The regulator's investigation report" -> whoever "the regulator" is
            owner = self.role(f"the {m.group(1).lower()}", pos)
            if owner[:1].isupper() and not owner.lower().startswith("the "):
                return owner
        m = _NAMED_DOC.fullmatch(phrase)
        if m and not self.is_person(m.group(1)):  # "The Screen Ledger report said"
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
        org = self.org() if _EPITHET.fullmatch(phrase) else None
        if org:
            return org  # "the Steam maker", "the search giant": the article's company
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
        for m in ORG_RUN.finditer(self.text, max(0, pos - 600), pos):
            run = strip_roles(re.sub(r"[’']s$", "", m.group(0)))
            toks = run.split()
            while toks and (toks[0].lower() in SENTENCE_STOP_CAPS or toks[0] in GENERIC_CAPS):
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
                s0 = sentence_start(self.text, max(para, at - 300), at)
                seg = self.text[s0:at]
                if seg.count("“") > seg.count("”") or NOUN_BEFORE.search(seg):
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


# "Altman’s comments", "the claims": the cue word is a noun here, not a verb.
NOUN_BEFORE = re.compile(
    r"(?:[’']s|\b(?:the|a|an|his|her|their|its|our|these|those|my|your))\s+$", re.I
)


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
_ISSUED = re.compile(
    r"\b(?:released|issued|published|put\s+out|sent)\s+(?:a|an|its|the)\s+(?:[\w-]+\s+)?"
    r"(?:statement|announcement|press\s+release|release|memo|letter)\b"
)
_EMBEDDED = re.compile(r"\b(?:that|which|who|like|including|such\s+as)\b")
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
# People a story leaves unnamed, then calls "the official", "the analyst".
_UNNAMED_PEOPLE = frozenset(
    """official spokesperson spokesman spokeswoman analyst source executive lawyer attorney
    researcher developer engineer employee resident worker driver nurse teacher student parent
    mother father neighbor neighbour witness aide adviser advisor person man woman user
    investor insider diplomat officer""".split()
)
