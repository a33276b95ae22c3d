"""Distinct articles shaped like users' for benchmarks, derived from the real corpus.

Each generated article is a sentence-level recombination of real articles from
``../shared/corpus/articles`` + ``articles-more`` (read in place, never copied into the
repo): its lead comes from one article and the rest interleaves sentences of two
others, with a new headline, URL and date. Bodies are checked distinct (a body seen
before is regenerated), so nothing is a copy of anything else; real quotes, names and
figures keep their real frequencies, so clustering and quotes see realistic text.

    from bench.corpus_gen import derived_articles
    articles = derived_articles(12_000, seed=1)   # list[digests.models.Article]
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digests.models import Article

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
_SENTENCE = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“\"])")


def source_articles(corpus: Path = CORPUS) -> list[Article]:
    """The real articles the derived ones are made of."""
    from digests.ingest import load_paths

    folders = [corpus / "articles", corpus / "articles-more"]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise SystemExit(f"corpus folder(s) not found: {', '.join(missing)}")
    return list(load_paths([str(f) for f in folders]).articles)


def _sentences(article: Article) -> list[str]:
    return [s for p in article.text.split("\n\n") for s in _SENTENCE.split(p) if len(s) > 20]


def derived_articles(
    n: int, *, seed: int = 1, start: datetime | None = None, days: int = 365
) -> list[Article]:
    """``n`` articles with distinct bodies, dated over ``days`` days from ``start``."""
    rng = random.Random(seed)
    sources = [(a, _sentences(a)) for a in source_articles()]
    sources = [(a, s) for a, s in sources if len(s) >= 4]
    start = start or datetime(2025, 1, 1, tzinfo=UTC)
    seen: set[bytes] = set()
    out: list[Article] = []
    while len(out) < n:
        (lead, s1), (_, s2), (_, s3) = rng.sample(sources, 3)
        k = rng.randint(2, min(6, len(s1)))
        body = s1[:k] + [
            x
            for pair in zip(s2[: rng.randint(2, 8)], s3[: rng.randint(2, 8)], strict=False)
            for x in pair
        ]
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        text = "\n\n".join(paragraphs)
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
        if digest in seen:
            continue
        seen.add(digest)
        i = len(out)
        words = lead.title.split()
        title = " ".join(words[: rng.randint(3, max(3, len(words)))]) + f" ({i})"
        out.append(
            Article(
                id=f"gen{seed:02d}{i:07d}",
                title=title,
                text=text,
                url=f"https://gen{i % 40}.example/{seed}/{i}",
                source=f"gen{i % 40}.example",
                published=start + timedelta(seconds=rng.randrange(days * 86400)),
                tags=lead.tags,
            )
        )
    return out


if __name__ == "__main__":
    arts = derived_articles(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(len(arts), "articles,", len({a.text for a in arts}), "distinct bodies")
