"""How strongly a story is about a topic, for ``/news <topic>``.

On a corpus where most stories carry a topic (``ai`` on AI news) "carries the topic"
says little: recency and coverage alone then order hundreds of stories, and a story
that mentions AI once beats one that is wholly about it. Relevance adds what a reader
means by "about": the topic named in the headline, in the lead, and carried by many of
the story's articles (their own tags), not only by one.

"Named" uses the engine's keyword map (``AI``, ``artificial intelligence``; topics
that imply it, such as ``OpenAI``) plus the words typed, gathered once per query; a
story's title and lead are split into words once, so scoring it is a few set look-ups
and a look at its tags.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from digests.models import Story
from digests.topics import IMPLIES, KEYWORDS, matches, tag_topics

# weights of the parts; a story about the topic through and through scores about 2.5
IN_TITLE = 1.0
IN_LEAD = 0.5
TAGGED_SHARE = 0.5  # times the share of its articles tagged with the topic
TAGGED_COUNT = 0.25  # times log2(1 + articles tagged with it): wide coverage of it
LEAD_CHARS = 400  # of the primary's text, when the story has no summary
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class _Naming:
    """What names one topic: exact words ("AI"), any-case words, any-case phrases."""

    exact: frozenset[str]
    folded: frozenset[str]
    phrases: tuple[str, ...]  # " lower-case words ", single spaces

    def in_text(self, text: _Text) -> bool:
        return bool(
            self.exact & text.words
            or self.folded & text.folded
            or any(p in text.lowered for p in self.phrases)
        )


@dataclass(frozen=True, slots=True)
class _Text:
    words: frozenset[str]
    folded: frozenset[str]
    lowered: str  # " words joined by single spaces ", lower-case (phrases match whole words)

    @classmethod
    def of(cls, text: str) -> _Text:
        words = _WORD.findall(text)
        lowered = f" {' '.join(words).lower()} "
        return cls(frozenset(words), frozenset(w.lower() for w in words), lowered)


@lru_cache(maxsize=256)
def naming(query: str) -> _Naming | None:
    """What names the topic ``query`` in running text (None when it has no words): the
    engine's keywords for it and for topics that imply it, and the words typed."""
    typed = _WORD.findall(query)
    if not typed:
        return None
    terms = {" ".join(typed)}
    for topic, keywords in KEYWORDS.items():
        if matches([topic], query) or matches(IMPLIES.get(topic, ()), query):
            terms.update(keywords)
    exact, folded, phrases = set(), set(), set()
    for term in terms:
        words = _WORD.findall(term)
        if len(words) == 1 and term != term.lower():  # "AI", "Nvidia": exactly
            exact.add(words[0])
        elif len(words) == 1:
            folded.add(words[0].lower())
        elif words:  # "A.I." is the words A, I; "artificial intelligence" a phrase
            phrases.add(f" {' '.join(words).lower()} ")
    return _Naming(frozenset(exact), frozenset(folded), tuple(sorted(phrases)))


_TEXTS: dict[str, tuple[Story, _Text, _Text]] = {}  # story id → (story, title, lead)
_TEXTS_MAX = 50_000


def _texts(story: Story) -> tuple[_Text, _Text]:
    """The story's title and lead as word sets, kept until the catalog rebuilds the story."""
    cached = _TEXTS.get(story.id)
    if cached is not None and cached[0] is story:
        return cached[1], cached[2]
    title = _Text.of(story.title)
    lead = _Text.of(story.summary or story.primary.text[:LEAD_CHARS])
    if len(_TEXTS) >= _TEXTS_MAX:
        _TEXTS.clear()
    _TEXTS[story.id] = (story, title, lead)
    return title, lead


def relevance(story: Story, query: str) -> float:
    """0 (only mentioned somewhere) to about 2.5 (headline, lead and every article)."""
    names = naming(query)
    if names is None:
        return 0.0
    title, lead = _texts(story)
    members = story.articles
    tagged = sum(1 for a in members if matches(tag_topics(a), query))
    return (
        IN_TITLE * names.in_text(title)
        + IN_LEAD * names.in_text(lead)
        + TAGGED_SHARE * tagged / len(members)
        + TAGGED_COUNT * math.log2(1 + tagged)
    )
