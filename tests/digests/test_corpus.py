"""The real corpus (../shared/corpus, read in place): everything parses, summaries are clean,
the two seed files are one story and their quotes are Ted Sarandos's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digests.engine import build_stories
from digests.ingest import parse_file
from digests.models import Article, Story
from digests.quotes import extract_quotes
from digests.summary import summarize

pytestmark = pytest.mark.corpus

TAG = re.compile(r"<[A-Za-z/!][^>]*>")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
KNOWN_JUNK = re.compile(
    r"what'?s your reaction|internal links|\bfaqs?\b|read the full story|getty images|"
    r"photo credit|image credit|\| image:|subscribe to|sign up for|sources & further reading|"
    r"(?-i:^By [A-Z][a-z]+ [A-Z])|^updated\b|^posted\b|tech home|share this|\]\(|\*\*|^#",
    re.IGNORECASE,
)
SEEDS = ("000_99ae4e0afe004da9.txt", "002_8514d68a27b8e8e1.txt")


@pytest.fixture(scope="module")
def articles(corpus_dir: Path) -> list[Article]:
    paths = sorted((corpus_dir / "articles").glob("*.md"))
    return [parse_file(p) for p in paths]


@pytest.fixture(scope="module")
def seeds(corpus_dir: Path) -> list[Article]:
    return [parse_file(corpus_dir / "seeds" / name) for name in SEEDS]


@pytest.fixture(scope="module")
def stories(articles: list[Article], seeds: list[Article]) -> list[Story]:
    return build_stories([*articles, *seeds])


def test_all_529_articles_and_both_seeds_parse(
    articles: list[Article], seeds: list[Article]
) -> None:
    assert len(articles) == 529
    assert all(a.title and a.text for a in [*articles, *seeds])


def test_no_summary_has_a_tag_an_entity_or_known_junk(
    articles: list[Article], seeds: list[Article]
) -> None:
    bad = []
    for article in [*articles, *seeds]:
        summary = summarize(article)
        if TAG.search(summary) or ENTITY.search(summary) or KNOWN_JUNK.search(summary):
            bad.append((article.path, summary))
    assert bad == []


def test_summaries_are_whole_sentences_within_the_limit(articles: list[Article]) -> None:
    summaries = [summarize(a) for a in articles]
    assert all(len(s) <= 320 for s in summaries)
    complete = [s for s in summaries if re.search(r"""[.!?]["'”’)\]]*$""", s)]
    assert len(complete) >= 0.97 * len(summaries)


def test_the_seeds_are_one_story(stories: list[Story]) -> None:
    story = next(s for s in stories if any(a.path.endswith(SEEDS[0]) for a in s.articles))
    assert {Path(a.path).name for a in story.articles} >= set(SEEDS)


def test_different_stories_on_the_same_topic_stay_apart(stories: list[Story]) -> None:
    ai_stories = [s for s in stories if "ai" in s.topics]
    assert len(ai_stories) > 300
    largest = max(len({a.title for a in s.articles}) for s in stories)
    assert largest <= 4  # no snowball of unrelated AI articles


@pytest.mark.parametrize("name", SEEDS)
def test_seed_quotes_are_attributed_to_ted_sarandos(corpus_dir: Path, name: str) -> None:
    article = parse_file(corpus_dir / "seeds" / name)
    quotes = extract_quotes(article.text, title=article.title)
    great_artist = [q for q in quotes if "takes a great artist" in q.text]
    help_us = [q for q in quotes if "going to help us" in q.text]
    assert great_artist and help_us
    assert {q.speaker for q in great_artist + help_us} == {"Ted Sarandos"}


def test_the_seed_story_shows_sarandos_as_a_key_speaker(stories: list[Story]) -> None:
    story = next(s for s in stories if any(a.path.endswith(SEEDS[1]) for a in s.articles))
    assert any(q.key and q.speaker == "Ted Sarandos" for q in story.quotes)
