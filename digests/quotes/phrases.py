"""Reading the speaker phrase next to a speech verb: the subject that ends a clause
("… Ted Sarandos" said) or starts one (said "Ted Sarandos, Netflix CEO"), with asides,
appositives, acronyms, handles and brands.
"""

from __future__ import annotations

import re

from digests.quotes.lexicon import HANDLE, NAME_SEQ, ROLE_WORDS, SENTENCE_STOP_CAPS
from digests.quotes.names import is_personlike, strip_roles
from digests.quotes.organisations import GENERIC_CAPS
from digests.quotes.resolve import (
    BRAND,
    PREP_BEFORE,
    TITLED_NAME,
    Resolver,
    last_name_seq,
    strip_asides,
)
from digests.quotes.roles import name_after_role, role_at_end, role_at_start


class SpeakerPhrases(Resolver):
    """The speaker phrase at the end or the start of a clause next to a speech verb."""

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
        s = strip_asides(s)
        s = _IN_PLACE_END.sub("", s)  # "The Ministry of Economic Affairs in Taipei"
        m = _ROLE_FOR_ORG.search(s)
        if m and not self._ends_with_person(s.rstrip(" ,")):
            return m.group(1).rstrip(" ,")  # "A spokesperson for the Department for Science, …"
        m = _NAME_THEN_ASIDE.match(s) if s.endswith(",") else None
        if m and (_aside_is_name(s, m.end(1)) or PREP_BEFORE.search(s, 0, m.start(1))):
            m = None  # "A lawyer for Ashcombe, Peter Quillan,": the aside is the speaker
        if m is not None and not self.is_person(m.group(1)):
            m = None  # "The Digital Commerce Alliance, a trade group whose members …,"
        if m is None and s.endswith(","):
            org = _ORG_THEN_ASIDE.match(s)
            name = org.group(1).removeprefix("The ") if org else ""
            if name and name.split()[0].lower() not in SENTENCE_STOP_CAPS:
                return name  # "Airlines for America, the industry’s main trade group,"
        if m:  # "Samuel Ortega, director of the FTC's Bureau of Consumer Protection,"
            who = self.name_speaker(m.group(1))
            if who and (self.names.person(who) or is_personlike(who)):
                return who
        s = _ADVERBS.sub("", s.rstrip()).rstrip(" ,")
        s = _POST_NOMINAL.sub("", s)  # "Rachel Okonjo MP"
        if not s:
            return None
        m = re.search(r"(?:^|\s)(he|she|they|it|I|we)(?:[’'](?:s|re|ve|d|ll))?$", s, re.I)
        if m:
            return self.pronoun(m.group(1), base + m.start(1), para_start)
        m = re.search(r"(?:^|[\s(])((?:u/[\w-]+|@\w+))$", s)
        if m:
            return m.group(1)
        m = _APPOSITIVE.search(s)
        if m and not s.endswith(",") and self._ends_with_person(s):
            m = None  # "On Bluesky, the developer Ravi Sundar": the name closing it speaks
        if m and _IN_RELATIVE.search(s, s.rfind(",", 0, m.start(1)) + 1, m.start(1)):
            m = None  # "…, which was published in the newspaper X, the CEO said": not X
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
        last = last_name_seq(s)
        if last is not None and not _object_of_thing(s, last):
            who = self.name_speaker(last)
            if who:
                return who
        r = role_at_end(s)
        if r:
            return self.role(r, base + len(s))
        m = _ACRONYM_END.search(s)
        if m and m.group(1) not in GENERIC_CAPS:
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
        m = BRAND.match(s)
        if m:
            return m.group(1)
        m = _DOC_FROM.match(s)
        if m:  # "a press release from the office of Assemblymember Buffy Wicks"
            who = self.subject_at_start(m.group("who"), base + m.start("who"), para_start)
            if who:
                return who
        named = name_after_role(s)
        if named and self.is_person(named):  # "said lab head Anna Keller"
            return self.name_speaker(named)
        m = _TITLE_THEN_NAME.match(s)
        if m and is_personlike(m.group(2)):  # "Google VP and Head of Search, Liz Reid,"
            if any(w.lower().strip(".’'s") in ROLE_WORDS for w in m.group(1).split()):
                return self.name_speaker(m.group(2))
        r = role_at_start(s)
        m = NAME_SEQ.match(s)
        if m and m.group(0).split()[0].lower() not in SENTENCE_STOP_CAPS:
            later = TITLED_NAME.match(s, m.end())
            if later and not (_PERSON_OF.match(s, m.end()) and self.is_person(m.group(0))):
                return self.name_speaker(later.group(1))  # "Google DeepMind CEO Demis Hassabis"
            if r and len(r) > m.end() + 1:
                return self.role(r, base)  # "Apple's lawyers", "a Samsung executive"
            return self.name_speaker(m.group(0))  # "Lena Hartwig of the Water Alliance"
        if r:
            after = NAME_SEQ.match(s, len(r) + 1) if s[len(r) : len(r) + 1] == " " else None
            if after and self.is_person(after.group(0)):
                return self.name_speaker(after.group(0))  # "shop owner Anneke Brouwer"
            return self.role(r, base)
        m = _THE_NAME.match(s)  # "according to the National Weather Service"
        if m and m.group(1).split()[0].lower() not in SENTENCE_STOP_CAPS:
            return self.name_speaker(m.group(1))
        return None


_ADVERBS = re.compile(
    r"(?:\b(?:also|has|have|had|was|were|is|are|would|will|could|later|then|previously|recently|"
    r"reportedly|once|even|publicly|simply|further|repeatedly|often|long|just|first|directly|"
    r"separately|again|similarly|likewise|succinctly|bluntly|flatly|famously|already|[a-z]{3,}ly|"
    r"subsequently|earlier|told|quoted\s+as|in\s+a\s+statement|in\s+an?\s+\w+)\s*,?\s*)+$"
)
_DOC_FROM = re.compile(
    r"(?i:a|an|the)\s+(?:[\w-]+\s+)?(?i:press\s+release|statement|letter|blog\s+post|post|"
    r"announcement|filing|memo|email|note|report|study|survey|analysis)\s+(?:(?:sent|written|"
    r"signed|issued|published|released|commissioned)\s+)?(?:(?:to|in|on|last|this)\s+[\w\s]{1,30}?"
    r"\s+)?(?:from|by)\s+(?:(?i:the)\s+office\s+of\s+)?"
    r"(?P<who>\S.{0,80})"
)
_BRAND_END = re.compile(r"(?:^|\s)([a-z]{1,3}[A-Z][\w]*)$")
_APPOSITIVE = re.compile(
    rf"^\s*(?:.*?[,.;]\s+)?({NAME_SEQ.pattern}),\s+(?:a|an|the|its|his|her|their|who|whose|"
    r"[A-Z][\w’'.&-]*(?:[’']s)?)\s[^,;:“”\"]{0,80},?$"
)
_NAMED_AS = re.compile(
    r",?\s*(?:titled|entitled|called|named|dubbed|headed)\s+[“\"‘][^”\"’]*[”\"’],?$"
)
_TITLE_THEN_NAME = re.compile(rf"([^,;:“”\"]{{2,60}}),\s+({NAME_SEQ.pattern})(?:,|\.|\s|$)")
_RELATIVE = re.compile(r",\s+(?:a|an|the)\s+[^,]{1,60}?\s+(?:that|which|who)$")
_ACRONYM_END = re.compile(
    r"(?:^|[\s(])([A-Z][A-Z0-9&]{0,5}(?:-[A-Z][A-Z0-9&]{0,7})?|[0-9][A-Z][A-Z0-9]*)$"
)
# "Lena Hartwig of the Scioto Water Alliance": a person, then where they work.
_PERSON_OF = re.compile(r"\s+(?:of|at|from)\s+(?:the\s+)?[A-Z]")
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


_ORG_THEN_ASIDE = re.compile(
    r"^\s*((?:The\s+)?[A-Z][\w&’'.-]*(?:\s+(?:(?:of|for|and|&)\s+)?[A-Z][\w&’'.-]*){0,5}),"
    r"\s+(?:a|an|the)\s+[^;:“”\"]{2,100},$"
)


def _aside_is_name(s: str, after: int) -> bool:
    """The aside after the name at ``after`` is itself just a person's name."""
    aside = s[after:].strip(" ,")
    m = NAME_SEQ.fullmatch(aside)
    return m is not None and is_personlike(strip_roles(aside))


# A relative clause: a name inside it is its object, not the sentence's subject.
_IN_RELATIVE = re.compile(r"\b(?:which|who|whom|that|whose)\b")
