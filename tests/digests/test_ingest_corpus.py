"""The real corpus (../shared/corpus, read in place): everything parses and comes out clean."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from digests.ingest import load_paths, parse_file
from digests.models import Article

pytestmark = pytest.mark.corpus

TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")
MARKDOWN = re.compile(r"\*\*|__\w|\]\(|!\[|^#{1,6}\s|^\s*[-*+]\s", re.M)
JUNK = re.compile(
    r"What['’]s Your Reaction|Internal links:|^FAQs?\b|Techcrunch event|Why you can trust ZDNET|"
    r"Follow ZDNET|Written by|Read the full story at|Getty Images|Image Credits|Share on|"
    r"^(?:Tech|Home|Innovation)$|appeared first on|Have a tip for",
    re.M,
)


@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> list[Article]:
    result = load_paths([corpus_dir / "articles", corpus_dir / "seeds"])
    return result.articles


def test_every_article_and_both_seeds_parse(corpus_dir: Path) -> None:
    result = load_paths([corpus_dir / "articles"])
    assert len(result.articles) == 529 and result.errors == []
    for seed in sorted((corpus_dir / "seeds").iterdir()):
        article = parse_file(seed)
        assert article.title and article.text


def test_the_techcrunch_seed_is_reported_as_a_duplicate_of_its_corpus_copy(
    corpus_dir: Path,
) -> None:
    result = load_paths([corpus_dir / "articles", corpus_dir / "seeds"])
    assert len(result.articles) == 530
    (dup,) = result.errors
    assert dup.path.endswith("002_8514d68a27b8e8e1.txt") and "duplicate of" in dup.error


def test_texts_have_no_markup_entities_or_site_junk(corpus: list[Article]) -> None:
    problems = []
    for article in corpus:
        for name, bad in (("tag", TAG), ("markdown", MARKDOWN), ("junk", JUNK)):
            hit = bad.search(article.text)
            if hit:
                problems.append((article.path, name, hit.group()))
        if (
            html.unescape(article.text) != article.text
            or html.unescape(article.title) != article.title
        ):
            problems.append((article.path, "entity", ""))
        if "\n\n\n" in article.text or article.text != article.text.strip():
            problems.append((article.path, "spacing", ""))
    assert problems == []


def test_titles_are_decoded_and_metadata_is_complete(corpus: list[Article]) -> None:
    by_name = {Path(a.path or "").name: a for a in corpus}
    apple = by_name[
        "apple-calls-openai-s-hardware-business-rotten-to-its-core-in-trade-secret-theft-lawsuit.md"
    ]
    assert (
        apple.title
        == "Apple calls OpenAI's hardware business 'rotten to its core' in trade secret theft lawsuit"
    )
    assert apple.source == "engadget.com"
    assert not apple.text.startswith(apple.title)  # the headline glued to the lead is removed
    assert all(a.published is not None and a.published.tzinfo is not None for a in corpus)
    with_url = [a for a in corpus if a.url]
    assert len(with_url) >= 259
    assert not any("utm_" in a.url or "src=rss" in a.url for a in with_url if a.url)
    assert len({a.id for a in corpus}) == len(corpus)


def test_flattened_zdnet_pages_keep_the_article_not_the_furniture(corpus: list[Article]) -> None:
    (article,) = [
        a
        for a in corpus
        if (a.path or "").endswith(
            "i-read-microsoft-s-windows-11-quality-progress-report-and-the-subtext-says-it-all.md"
        )
    ]
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith(
        "Microsoft's latest progress report details much-needed Windows 11"
    )
    assert "Microsoft says it's refocusing Windows on performance and reliability." in paragraphs


def test_plain_text_seed_keeps_bullets_and_quote_but_drops_the_junk_tail(corpus_dir: Path) -> None:
    article = parse_file(corpus_dir / "seeds" / "000_99ae4e0afe004da9.txt")
    assert (
        article.title
        == "Netflix Doubles Down on Generative AI—Is the Entertainment Divide Getting Wider?"
    )
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Netflix’s quarterly report signals a major embrace")
    assert any(p.startswith("• Quarterly signals:") and "Ted Sarandos" in p for p in paragraphs)
    assert paragraphs[-1].endswith("—Ted Sarandos, Netflix CEO")
    assert "Industry Split" not in article.text  # headings dropped
    assert "Sneak peek" not in article.text and "Sources:" not in article.text
