"""Topics as normalised slugs, and form-insensitive topic matching.

Feeds tag the same idea as "Ai", "AI", "Artificial intelligence"; people type
``/news AI`` or ``--topic robots``. Everything goes through one slug form
(lower-case, words joined by "-", known synonyms folded: ``artificial-intelligence``
→ ``ai``, ``llms`` → ``llm``) and matching also ignores singular/plural.

Beyond tags and category, a small keyword map finds common topics in the title
and lead text. It is deliberately short and explicit, so a surprising topic on a
story can be traced to one line here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from digests.models import Article

__all__ = ["article_topics", "matches", "normalize_topic", "tag_topics"]

# Synonyms folded into one slug (keys and values are already slugs).
ALIASES: dict[str, str] = {
    "artificial-intelligence": "ai",
    "a-i": "ai",
    "genai": "generative-ai",
    "gen-ai": "generative-ai",
    "large-language-model": "llm",
    "large-language-models": "llm",
    "llms": "llm",
    "ml": "machine-learning",
    "natural-language-processing": "nlp",
    "cv": "computer-vision",
    "open-ai": "openai",
    "chat-gpt": "chatgpt",
    "cybersecurity": "security",
    "cyber-security": "security",
    "infosec": "security",
    "evs": "electric-vehicles",
    "ev": "electric-vehicles",
    "electric-vehicle": "electric-vehicles",
    "robots": "robotics",
    "robot": "robotics",
    "video-games": "gaming",
    "video-game": "gaming",
    "games": "gaming",
    "semiconductors": "chips",
    "semiconductor": "chips",
    "health": "healthcare",
    "crypto": "cryptocurrency",
    "smarthome": "smart-home",
}

# Topic → pattern over title and lead text. Acronyms are matched case-sensitively.
KEYWORDS: dict[str, str] = {
    "ai": r"\bAI\b|(?i:\bartificial intelligence\b)",
    "generative-ai": r"(?i:\bgenerative AI\b|\bgen ?AI\b)",
    "llm": r"\bLLMs?\b|(?i:\blarge language models?\b|\bchatbots?\b)",
    "openai": r"\bOpenAI\b|\bChatGPT\b|\bSam Altman\b",
    "chatgpt": r"\bChatGPT\b",
    "robotics": r"(?i:\brobot(?:s|ic|ics)?\b|\bhumanoids?\b)",
    "security": r"(?i:\bcyber ?security\b|\bhack(?:er|ers|ed|ing)?\b|\bmalware\b|\bransomware\b|\bdata breach\b|\bvulnerabilit(?:y|ies)\b)",
    "privacy": r"(?i:\bprivacy\b|\bpersonal data\b)",
    "chips": r"(?i:\bsemiconductors?\b|\bchipmakers?\b|\bGPUs?\b|\bNvidia\b|\bTSMC\b)",
    "electric-vehicles": r"\bEVs?\b|(?i:\belectric (?:vehicles?|cars?|trucks?)\b|\bTesla\b)",
    "space": r"(?i:\bNASA\b|\bSpaceX\b|\borbit(?:al)?\b|\bsatellites?\b|\brockets?\b)",
    "gaming": r"(?i:\bvideo ?games?\b|\bgaming\b|\bPlayStation\b|\bXbox\b|\bNintendo\b|\bSteam\b)",
    "streaming": r"(?i:\bNetflix\b|\bstreaming\b|\bDisney\+|\bHBO Max\b)",
    "policy": r"(?i:\bregulat(?:ion|ors?|ory)\b|\blawmakers\b|\bCongress\b|\bFTC\b|\bantitrust\b|\blawsuit\b)",
    "climate": r"(?i:\bclimate\b|\bemissions\b|\bclean energy\b|\bsolar\b)",
    "healthcare": r"(?i:\bhealth ?care\b|\bhospitals?\b|\bpatients?\b|\bmedical\b)",
    "cryptocurrency": r"(?i:\bcrypto(?:currenc(?:y|ies))?\b|\bbitcoin\b|\bblockchain\b)",
    "smartphones": r"(?i:\biPhone\b|\bsmartphones?\b|\bPixel \d|\bGalaxy S\d)",
}
_KEYWORD_RES = {topic: re.compile(pattern) for topic, pattern in KEYWORDS.items()}
LEAD_CHARS = 1500
_NON_SLUG = re.compile(r"[^a-z0-9+]+")


def normalize_topic(value: str) -> str:
    """``"Machine Learning"`` → ``"machine-learning"``; ``"AI"``/``"Ai"`` → ``"ai"``."""
    slug = value.strip().lower().replace("&", " and ").replace("_", " ")
    slug = _NON_SLUG.sub("-", slug).strip("-")
    return ALIASES.get(slug, slug)


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _match_key(value: str) -> str:
    """The form two topics must share to match: slug, synonyms folded, each word singular."""
    slug = normalize_topic(value)
    key = "-".join(_singular(part) for part in slug.split("-"))
    return ALIASES.get(key, key)


def _dedupe(topics: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for topic in topics:
        slug = normalize_topic(topic)
        if slug:
            seen.setdefault(_match_key(slug), slug)
    return tuple(seen.values())


def tag_topics(article: Article) -> tuple[str, ...]:
    """Topics the source itself gave: tags, then category."""
    values = list(article.tags)
    if article.category:
        values.append(article.category)
    return _dedupe(values)


def text_topics(title: str, text: str) -> tuple[str, ...]:
    """Topics from the keyword map: named in the title, or at least twice in the lead."""
    lead = text[:LEAD_CHARS]
    found = []
    for topic, pattern in _KEYWORD_RES.items():
        if pattern.search(title) or len(pattern.findall(lead, 0, LEAD_CHARS)) >= 2:
            found.append(topic)
    return tuple(found)


def article_topics(article: Article) -> tuple[str, ...]:
    """Normalised topics of one article: its tags and category, then keyword topics."""
    return _dedupe((*tag_topics(article), *text_topics(article.title, article.text)))


def matches(topics: Iterable[str], query: str) -> bool:
    """Whether a story with ``topics`` belongs under ``query`` ("AI", "ai", "Robots", …)."""
    key = _match_key(query)
    if not key:
        return False
    return any(_match_key(topic) == key for topic in topics)
