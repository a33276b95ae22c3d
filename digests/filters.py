"""Include/exclude word filters for a channel's feeds, the way MonitoRSS users expect.

Matching is case-insensitive and on whole words: ``ai`` matches "AI rules" and
"the AI's", never "said" or "Thailand"; a quoted phrase matches its words in order
with any spacing between them. An item passes when it matches at least one include
filter (if there are any) and no exclude filter; both look at the title and the
summary (the item's own text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

INCLUDE, EXCLUDE = "include", "exclude"


@dataclass(frozen=True, slots=True)
class WordFilter:
    mode: str  # include | exclude
    phrase: str


@lru_cache(maxsize=4096)
def _pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def matches(phrase: str, text: str) -> bool:
    """Whether ``phrase`` occurs in ``text`` as whole words, ignoring case."""
    return bool(phrase.split()) and _pattern(" ".join(phrase.split())).search(text) is not None


def passes(filters: Iterable[WordFilter], title: str, summary: str) -> bool:
    """Include-any, exclude-all, on title + summary."""
    text = f"{title}\n{summary}"
    filters = list(filters)
    includes = [f.phrase for f in filters if f.mode == INCLUDE]
    excludes = [f.phrase for f in filters if f.mode == EXCLUDE]
    if includes and not any(matches(p, text) for p in includes):
        return False
    return not any(matches(p, text) for p in excludes)
