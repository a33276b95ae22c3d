"""Who is speaking: name spotting, attribution cues and coreference for quote speakers.

Pure regex and table look-ups (no models), so it runs in microseconds per article.
``NameIndex`` remembers every person-like name an article mentions, so a later
"Sarandos said" or "he said" resolves to the fullest form ("Ted Sarandos").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

# Verbs and phrases that introduce or close a direct quotation.
SPEECH_VERBS = (
    "said says say saying told tells telling added adds adding wrote writes writing "
    "explained explains explaining noted notes noting stated states stating argued argues arguing "
    "claimed claims claiming continued continues asked asks asking replied replies responded "
    "recalled recalls admitted admits acknowledged acknowledges warned warns warning declared "
    "declares proclaimed proclaims insisted insists emphasized emphasised stressed stresses "
    "suggested suggests surmised joked jokes quipped quips posted posts tweeted tweets commented "
    "comments remarked remarks observed observes announced announces promised promises described "
    "describes describing called calls calling shared shares sharing mused muses conceded "
    "concedes complained complains predicted predicts cautioned cautions concluded concludes "
    "countered counters alleged alleges alleging boasted urged urges contended contends agreed "
    "agrees offered offers reads confirmed confirms explaining reiterated "
    "reiterates testified wrote pointed points acknowledged tells texted emailed messaged "
    "summed sums laughed laughs recounted recounts elaborated elaborates exclaimed whispered "
    "shouted replies answered answers believes adding "
    "insisting predicting says cited cites citing declaring confessed confesses lamented laments "
    "vowed vows opined opines retorted scoffed reflected reasoned speculated clarified assured "
    "accused accuses accusing demanded demands allege claim argue contend insist warn note "
    "framed frames characterized characterised"
).split()
_VERB_ALT = "|".join(sorted(set(SPEECH_VERBS), key=len, reverse=True))
_PARTICIPLES = frozenset(v for v in SPEECH_VERBS if v.endswith("ing"))

# Title and role words that may precede a name ("Netflix CEO Ted Sarandos").
ROLE_WORDS = frozenset(
    """ceo cto cfo coo cmo cpo ciso vp svp evp president vice chief officer director head manager
    editor editor-in-chief senior founder co-founder cofounder chairman chairwoman chair judge
    justice senator sen rep representative secretary attorney general governor gov mayor professor
    prof dr mr mrs ms analyst partner lead principal engineer researcher scientist commissioner
    minister prime executive leader speaker community news product technology operating financial
    technical global deputy assistant associate district former billionaire rapper actor actress
    author writer reporter correspondent columnist spokesperson spokesman spokeswoman developer
    designer producer showrunner creator host co-host chancellor king queen prince pope general
    colonel captain sergeant officer detective agent staff contributing managing creative
    marketing sales strategy research engineering vice-president u.s. us magistrate
    assemblymember assemblyman assemblywoman councilmember councilman councilwoman congressman
    congresswoman lawmaker coach manager striker forward goalkeeper quarterback captain
    economist strategist historian curator conductor inspector superintendent sheriff
    ambassador envoy commander trooper firefighter nurse physician surgeon mep mp councillor
    councilor alderman alderwoman trustee cllr cr""".split()
)

# Last words that make a capitalised sequence an organisation, place or product, not a person.
ORGISH = frozenset(
    """store music intelligence business news studios studio labs lab games inc corp corporation
    group pro max ultra plus watch vision pay tv books maps cloud search assistant summit
    conference street journal times post week day city house court department university
    institute school foundation fund capital ventures partners media network platform app apps
    model models mode safety family center centre office council agency commission committee
    party act bill policy club team project program programme series edition version chat code
    engine processor phone glasses research systems technologies devices electronics motors
    airlines bank exchange market markets mobile online live prime video photos docs drive mail
    home help settings explorer insider insiders forum podcast show festival awards association
    union league board administration ministry agents agent ai semiconductor security health
    county state states kingdom republic island islands valley bay beach river lake
    tower road avenue square airport station hotel hospital church library museum gallery
    theater theatre arena stadium mall reserve guard army navy force forces police service
    services solutions software hardware computing systems robotics dynamics energy power
    entertainment pictures records productions publishing press review magazine daily weekly
    tribune herald gazette chronicle telegraph guardian observer reporter wire radio channel
    ledger courier bulletin dispatch examiner inquirer sentinel monitor enquirer beacon globe
    tools industries holdings brands foods pharmaceuticals pharma therapeutics biosciences bio
    logistics analytics aerospace airways mining materials chemicals resources semiconductors
    instruments medical care insurance financial telecom communications wireless broadband
    networks mobility works residential properties realty homes apartments ventures
    manufacturing robotics automation cybersecurity payments fintech
    station network tech digital interactive alliance coalition initiative society federation
    consortium collective trust cooperative""".split()
)
# First words that start place or organisation names ("New York", "San Francisco").
ORG_FIRST = frozenset(
    """new san los las santa st united north south east west great the la le el du de
    saint fort mount lake port royal national federal international american european british
    chinese indian japanese korean french german microsoft google apple amazon meta openai
    netflix samsung nvidia intel tesla anthropic""".split()
)
PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "org"}

# Latin letters with accents count ("Pablo Gómez", "Łukasz"); "NBCUniversal" is one token.
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēėęěğģīįıķĺļľłńņňōőœŕŗřśŝşšţťūůűųźżž"
_L = f"[{UPPER}{LOWER}]"
# "Sen.", "Dr.": a title abbreviation is a token, so "Sen. Curtis Brandvold" is one run
# (strip_roles then drops the title); its period never ends a name sequence early.
_TITLE_ABBREV = r"(?:Sen|Rep|Dr|Gov|Mr|Mrs|Ms|Prof|Lt|Gen|Sgt|Capt|Col|Adm|Rev|Hon|Atty|Supt|Det)\."
_TOKEN = (
    rf"(?:{_TITLE_ABBREV}(?=\s+[{UPPER}])"
    rf"|(?:[{UPPER}][{LOWER}]+|[A-Z]{{2,}}[a-z]{{2}}){_L}*(?:-{_L}+|[’'](?!s\b){_L}+)*"
    rf"|[{UPPER}][’'][{UPPER}][{LOWER}]+|[{UPPER}]\.)"
)
_PARTICLE = r"(?:de|da|del|della|van|von|der|den|al|bin|la|le|du|dos|das|ter|ten|op)"
# Words of one name are on one line: "…posted on X.\n\nMeridian CEO …" is two names.
NAME_SEQ = re.compile(
    rf"(?<![\w’'.]){_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}{_TOKEN}){{0,4}}(?!\w)(?![’'](?!s\b))"
)
HANDLE = re.compile(r"(?<![\w/])(?:u/[\w-]+|@[A-Za-z_][\w]{1,30})")

ROLE_NOUNS = (
    "spokesperson spokespeople spokesman spokeswoman representative representatives rep "
    "executive executives official officials source sources engineer engineers researcher "
    "researchers analyst analysts user users redditor redditors employee employees founder "
    "founders company firm startup lawsuit complaint filing report statement memo letter post "
    "announcement "
    "team group agency department administration government court judge lawyer lawyers "
    "attorney attorneys person people critics critic experts expert developer developers "
    "insider insiders members member authors author writer customer customers "
    "spokespersons staffer staffers worker workers leader leaders investor investors "
    "scientist scientists student students teacher teachers doctor doctors manager managers "
    "owner owners partner partners commenter commenters poster fan fans viewer viewers "
    "reader readers director directors organizers organisers organization organisation "
    "studio publisher maker makers lab ceo cto cfo ftc fcc sec doj fbi police giant video "
    "website trailer resident residents official neighbour neighbor neighbours neighbors "
    "witness witnesses parent parents economist economists strategist strategists "
    "activist activists advocate advocates governor mayor minister senator lawmaker "
    "lawmakers legislator legislators prosecutor prosecutors regulator regulators "
    "coach player players striker captain spokesman nurse nurses physician physicians "
    "professor professors scholar scholars historian historians consultant consultants "
    "capitalist capitalists diplomat diplomats negotiator negotiators suit indictment "
    "artist artists ministry investigators investigator inspectors auditors officers "
    "agents"
).split()
_ROLE_ALT = "|".join(sorted(set(ROLE_NOUNS), key=len, reverse=True))
_DET = r"(?:a|an|the|one|another|two|three|four|several|some|many|other|its|his|her|their)"
# "a Perplexity spokesperson", "the company", "one Reddit user", "officials", "Apple's lawyers"
ROLE_PHRASE = re.compile(rf"(?:(?:{_DET})\s+)?(?:[\w’'.&-]+\s+){{0,3}}?(?:{_ROLE_ALT})\b", re.I)
_ROLE_AT_END = re.compile(
    rf"(?:^|(?<=\s))((?:(?:{_DET})\s+)?(?:[A-Za-z][\w’'.&-]*\s+){{0,3}}?(?:{_ROLE_ALT}))\s*$",
    re.I,
)
# Greedy: "a senior administration official", not "a senior administration".
_ROLE_AT_START = re.compile(
    rf"^((?:(?:{_DET})\s+)?(?:[A-Za-z][\w’'.&-]*\s+){{0,3}}(?:{_ROLE_ALT}))\b", re.I
)


# Capitalised words that start sentences but are never part of a name.
STOP_CAPS = frozenset(
    """the a an but and in on at as if when while after before this that these those it he she we
    they i its his her our their for with from by to of so yet or now then also however still
    meanwhile here there what why how who where which since until although though because even
    just only both each every some many most more one two last next earlier later according asked
    said speaking like unlike despite during over under through into per via not no yes my your
    please today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    instead indeed whether all any another other such than thus overall similarly separately
    additionally finally first second third onstage responding setting sneak should could would
    will can did does do take make let see get look read check try you us amid amidst among beyond
    around across behind within without upon toward towards against between""".split()
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
    run = text[pos : _NAME_CHARS.match(text, pos).end()]
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
                oblique = bool(_OBLIQUE.search(text, max(0, pos - 40), pos))
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


_SPEECH_WORD = re.compile(rf"\b({_VERB_ALT})\b")


def speech_verb_re() -> re.Pattern[str]:
    return _SPEECH_WORD


def is_participle(verb: str) -> bool:
    return verb in _PARTICIPLES


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
    rf"(?:[a-z][\w-]*\s+){{0,2}}?(?i:{_ROLE_ALT})"
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
