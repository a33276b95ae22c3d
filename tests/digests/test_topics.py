"""Topics: one slug per idea, from tags, category and text; matching ignores case and form."""

from __future__ import annotations

import pytest

from digests.models import Article
from digests.topics import article_topics, matches, normalize_topic


@pytest.mark.parametrize(
    ("raw", "slug"),
    [
        ("Ai", "ai"),
        ("AI", "ai"),
        (" artificial intelligence ", "ai"),
        ("Artificial Intelligence", "ai"),
        ("Machine Learning", "machine-learning"),
        ("machine_learning", "machine-learning"),
        ("LLM", "llm"),
        ("Llm", "llm"),
        ("Large Language Models", "llm"),
        ("Smart Home", "smart-home"),
        ("R&D", "r-and-d"),
        ("Cybersecurity", "security"),
    ],
)
def test_normalize_topic_folds_case_spacing_and_synonyms(raw: str, slug: str) -> None:
    assert normalize_topic(raw) == slug


@pytest.mark.parametrize(
    ("topics", "query", "expected"),
    [
        (("ai",), "AI", True),
        (("ai",), "artificial intelligence", True),
        (("ai",), "ai", True),
        (("machine-learning",), "Machine Learning", True),
        (("robotics",), "robots", True),
        (("robotics",), "Robot", True),
        (("tools",), "tool", True),
        (("policy",), "policies", True),
        (("llm",), "LLMs", True),
        (("ai",), "machine learning", False),
        (("security",), "privacy", False),
        (("ai", "work"), "", False),
    ],
)
def test_matches_is_case_and_form_insensitive(
    topics: tuple[str, ...], query: str, expected: bool
) -> None:
    assert matches(topics, query) is expected


def test_article_topics_merge_tag_variants_and_category() -> None:
    article = Article(
        id="x",
        title="A quiet week",
        text="Nothing much happened.",
        tags=("Ai", "AI", "Machine Learning", "Llm"),
        category="Work",
    )
    assert article_topics(article) == ("ai", "machine-learning", "llm", "work")


def test_article_topics_find_common_topics_in_title_and_text() -> None:
    article = Article(
        id="x",
        title="Humanoid robot maker raises $50M",
        text=(
            "Ransomware crews hit the company's hospital clients last year. "
            "The malware spread through an old VPN."
        ),
    )
    topics = article_topics(article)
    assert "robotics" in topics  # named in the title
    assert "security" in topics  # twice in the lead
    assert "ai" not in topics  # never mentioned


def test_lowercase_ai_inside_words_is_not_the_ai_topic() -> None:
    article = Article(
        id="x", title="Said the captain", text="The detail: a chair, a train, a rain. Again."
    )
    assert "ai" not in article_topics(article)
