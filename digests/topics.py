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
from functools import lru_cache
from itertools import compress

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

# Topic → the words and phrases that name it in a title or lead. A single word
# with a capital letter ("AI", "NASA", "Nvidia") must match exactly; other terms
# match in any case. Phrases are up to three words. IMPLIES adds broader topics.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "ai": ("AI", "A.I.", "artificial intelligence"),
    "generative-ai": ("generative AI", "genAI", "gen AI", "generative artificial intelligence"),
    "llm": ("LLM", "LLMs", "large language model", "large language models", "chatbot", "chatbots"),
    "openai": ("OpenAI", "Sam Altman"),
    "chatgpt": ("ChatGPT",),
    "robotics": ("robot", "robots", "robotic", "robotics", "humanoid", "humanoids"),
    "security": (
        "cybersecurity",
        "cyber security",
        "hacker",
        "hackers",
        "hacked",
        "hacking",
        "malware",
        "ransomware",
        "data breach",
        "vulnerability",
        "vulnerabilities",
    ),
    "privacy": ("privacy", "personal data"),
    "chips": (
        "semiconductor",
        "semiconductors",
        "chipmaker",
        "chipmakers",
        "GPU",
        "GPUs",
        "Nvidia",
        "TSMC",
    ),
    "electric-vehicles": (
        "EV",
        "EVs",
        "electric vehicle",
        "electric vehicles",
        "electric car",
        "electric cars",
        "Tesla",
    ),
    "space": ("NASA", "SpaceX", "orbit", "orbital", "satellite", "satellites", "rocket", "rockets"),
    "gaming": (
        "video game",
        "video games",
        "videogame",
        "gaming",
        "PlayStation",
        "Xbox",
        "Nintendo",
    ),
    "streaming": ("Netflix", "streaming", "HBO Max"),
    "policy": (
        "regulation",
        "regulations",
        "regulator",
        "regulators",
        "regulatory",
        "lawmakers",
        "Congress",
        "FTC",
        "antitrust",
        "lawsuit",
    ),
    "climate": ("climate", "emissions", "clean energy", "solar"),
    "healthcare": (
        "healthcare",
        "health care",
        "hospital",
        "hospitals",
        "patient",
        "patients",
        "medical",
    ),
    "cryptocurrency": ("crypto", "cryptocurrency", "cryptocurrencies", "bitcoin", "blockchain"),
    "smartphones": ("iPhone", "smartphone", "smartphones"),
}
IMPLIES: dict[str, tuple[str, ...]] = {
    "generative-ai": ("ai",),
    "chatgpt": ("openai", "ai"),
    "openai": ("ai",),
    "llm": ("ai",),
}
LEAD_CHARS = 1500
_TERM_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.]*[A-Za-z0-9]|[A-Za-z0-9]")


def _term_index() -> dict[tuple[str, ...], str]:
    """Term → topic, keyed by its words (exact case, or lower-cased for lower-case terms)."""
    index: dict[tuple[str, ...], str] = {}
    for topic, terms in KEYWORDS.items():
        for term in terms:
            words = tuple(_TERM_TOKEN.findall(term))
            exact = len(words) == 1 and term != term.lower()  # acronyms and brand names
            index[words if exact else tuple(w.lower() for w in words)] = topic
    return index


_TERMS = _term_index()
_MAX_TERM_WORDS = max(len(k) for k in _TERMS)
# First words of all terms: most words start none, so they skip the n-gram lookups.
_FIRST_WORDS = frozenset(k[0] for k in _TERMS)
_FIRST_WORDS_LOWER = frozenset(w.lower() for w in _FIRST_WORDS)


_NON_SLUG = re.compile(r"[^a-z0-9+]+")


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=4096)
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
    return _tag_topics(tuple(article.tags), article.category)


@lru_cache(maxsize=1024)
def _tag_topics(tags: tuple[str, ...], category: str | None) -> tuple[str, ...]:
    return _dedupe((*tags, category) if category else tags)


def _count_terms(text: str, counts: dict[str, int], weight: int) -> None:
    words = _TERM_TOKEN.findall(text)
    # tokens are ASCII without spaces, so one lower() of them all splits back word for word
    lowered = " ".join(words).lower().split(" ") if words else []
    first = _FIRST_WORDS
    # a word can start a term only if its lower case starts one (checked exactly below);
    # picking those positions in C skips the Python loop over the other ~98% of words
    maybe = compress(range(len(lowered)), map(_FIRST_WORDS_LOWER.__contains__, lowered))
    for i in maybe:
        word, low = words[i], lowered[i]
        if word not in first and low not in first:
            continue
        for n in range(1, _MAX_TERM_WORDS + 1):
            exact = tuple(words[i : i + n])
            topic = _TERMS.get(exact) or _TERMS.get(tuple(lowered[i : i + n]))
            if topic is not None:
                counts[topic] = counts.get(topic, 0) + weight


def text_topics(title: str, text: str) -> tuple[str, ...]:
    """Topics from the keyword map: named in the title, or at least twice in the lead."""
    counts: dict[str, int] = {}
    _count_terms(title, counts, 2)
    _count_terms(text[:LEAD_CHARS], counts, 1)
    found: dict[str, None] = {}
    for topic in KEYWORDS:  # stable order: the order of the map
        if counts.get(topic, 0) >= 2:
            found[topic] = None
            found.update(dict.fromkeys(IMPLIES.get(topic, ())))
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
