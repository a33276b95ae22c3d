"""Which articles read in one pass are the same article, versions of one, or different.

An article's id comes from its URL, but a URL is not always one article: a live
"tracker" page is saved again as it grows (the same article, newer), and some sites
give unrelated posts one placeholder URL (different articles). Dropping all but the
first by id loses the second kind and keeps the oldest of the first. So, among the
articles sharing an id:

* the same headline and text read twice (a copy under another file name) is one
  article, reported once as a copy;
* versions of one page (similar headline or much of the text in common) are one
  article: the newest wins (latest own date; on the same date the first path), the
  older versions are reported;
* anything else is a different article and keeps its place under an id of its own,
  derived from its URL *and* its file path (or headline), stable across runs.

The outcome depends on the set read, not on the order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from digests.models import Article, IngestError

TITLE_SIMILAR = 0.5  # word-set Jaccard of headlines for "the same page, updated"
TEXT_SHARED = 0.3  # share of the shorter text's word 5-grams found in the other
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _shingles(text: str, n: int = 5) -> set[int]:
    words = _words(text[:20000])
    return {hash(tuple(words[i : i + n])) for i in range(max(0, len(words) - n + 1))}


def same_page(a: Article, b: Article) -> bool:
    """Whether two articles under one URL are plausibly versions of the same article."""
    ta, tb = set(_words(a.title)), set(_words(b.title))
    if ta and tb and len(ta & tb) / len(ta | tb) >= TITLE_SIMILAR:
        return True
    sa, sb = _shingles(a.text), _shingles(b.text)
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= TEXT_SHARED


def distinct_id(article: Article) -> str:
    """An id for a different article that shares its URL's id with others."""
    basis = f"{article.id}\0{article.path or article.title}"
    return hashlib.blake2b(basis.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def _age(article: Article) -> datetime:
    """Its own date (a file's modification time says nothing about the article)."""
    if article.published is None or article.extra.get("date_from") == "mtime":
        return datetime.min.replace(tzinfo=UTC)
    return article.published


def _oldest_first(group: Iterable[Article]) -> list[Article]:
    """By date; on the same date the first path (as read, sorted) counts as the newest."""
    by_path = sorted(group, key=lambda a: (a.path or "", a.title, a.text), reverse=True)
    return sorted(by_path, key=_age)


def resolve(articles: Sequence[Article]) -> tuple[list[Article], list[IngestError]]:
    """Articles with one id each (in input order of the kept ones) and a notice for every
    article not kept on its own (a copy, or an older version), naming the one kept."""
    by_id: dict[str, list[Article]] = {}
    for article in articles:
        by_id.setdefault(article.id, []).append(article)
    kept: dict[int, Article] = {}  # position of the kept article's first reading → article
    notices: list[IngestError] = []
    position = {id(a): i for i, a in reversed(list(enumerate(articles)))}
    for group in by_id.values():
        if len(group) == 1:
            kept[position[id(group[0])]] = group[0]
            continue
        for n, (newest, others) in enumerate(_pages(group)):
            chosen = replace(newest, id=distinct_id(newest)) if n else newest
            where = chosen.path or chosen.url or chosen.id
            for other in others:
                same = other.title == chosen.title and other.text == chosen.text
                what = "the same headline and text" if same else "an older version of the page"
                notices.append(
                    IngestError(
                        other.path or other.url or other.id,
                        f"duplicate of {where}: {what} (same URL, article id {chosen.id}); "
                        "the newest is kept",
                    )
                )
            kept[min(position[id(a)] for a in (newest, *others))] = chosen
    return [kept[i] for i in sorted(kept)], notices


def _pages(group: Iterable[Article]) -> list[tuple[Article, list[Article]]]:
    """Split articles sharing an id into pages (versions linked by :func:`same_page`), each
    as (the newest version, the others). The page holding the oldest version keeps the
    URL's id; other pages get :func:`distinct_id` (see :func:`resolve`)."""
    ordered = _oldest_first(group)
    pages: list[list[Article]] = []
    for article in ordered:
        home = next((p for p in pages if any(same_page(article, v) for v in p)), None)
        if home is None:
            pages.append([article])
        else:
            home.append(article)
    return [(page[-1], page[:-1]) for page in pages]
