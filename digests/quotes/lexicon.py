"""Word lists and patterns shared by every rule: speech verbs, role words, the stop-word
lists for capitalised runs, and the name pattern.
"""

from __future__ import annotations

import re

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
# A title abbreviation standing alone ("Rep.") names nobody.
TITLE_ABBREV_ALONE = re.compile(rf"{_TITLE_ABBREV}?")
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
ROLE_ALT = "|".join(sorted(set(ROLE_NOUNS), key=len, reverse=True))
DET = r"(?:a|an|the|one|another|two|three|four|several|some|many|other|its|his|her|their)"
# "a Perplexity spokesperson", "the company", "one Reddit user", "officials", "Apple's lawyers"
ROLE_PHRASE = re.compile(rf"(?:(?:{DET})\s+)?(?:[\w’'.&-]+\s+){{0,3}}?(?:{ROLE_ALT})\b", re.I)


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


_SPEECH_WORD = re.compile(rf"\b({_VERB_ALT})\b")


def speech_verb_re() -> re.Pattern[str]:
    return _SPEECH_WORD


def is_participle(verb: str) -> bool:
    return verb in _PARTICIPLES


# Words that start a capitalised run at sentence start but are not names.
SENTENCE_STOP_CAPS = frozenset(
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
