"""What "also covered by" lists: one entry per outlet, headline-only articles quoted, copies left out."""

from __future__ import annotations

from datetime import UTC, datetime

from digests.coverage import other_coverage, outlet_label
from digests.models import Article
from tests import factories

WHEN = datetime(2026, 11, 20, tzinfo=UTC)


def _article(aid: str, title: str, source: str | None, url: str | None = None) -> Article:
    return factories.article(aid, title, source=source, url=url, published=WHEN)


def test_outlets_are_listed_once_and_the_primary_outlet_is_not_repeated() -> None:
    primary = _article("a", "Big news", "dispatch.example.com")
    story = factories.story(
        primary,
        _article("b", "Big news, again", "dispatch.example.com"),
        _article("c", "Big news elsewhere", "coastwatch.example.net", "https://c.example/1"),
        _article("d", "More big news", "coastwatch.example.net"),
    )
    entries = other_coverage(story)
    assert [e.label for e in entries] == ["coastwatch.example.net"]
    assert entries[0].url == "https://c.example/1"


def test_an_article_without_outlet_is_named_by_its_quoted_headline() -> None:
    primary = _article("a", "Harbor Labs opens its model", "dispatch.example.com")
    rewrite = _article(
        "b", "Tidewater Goes Open: Harbor Labs Hands Its Biggest Model to Every Developer", None
    )
    assert [e.label for e in other_coverage(factories.story(primary, rewrite))] == [
        "“Tidewater Goes Open: Harbor Labs Hands Its Biggest Model…”"
    ]
    assert outlet_label(rewrite).startswith("“") and len(outlet_label(rewrite)) <= 62


def test_a_copy_with_the_same_headline_and_no_outlet_is_not_other_coverage() -> None:
    primary = _article("a", "Same headline", "dispatch.example.com")
    assert other_coverage(factories.story(primary, _article("b", "Same headline", None))) == []


def test_copies_without_an_outlet_do_not_make_a_story_look_widely_covered() -> None:
    from digests.engine import rank

    copies = [_article(f"c{i}", "Filler roundup", None) for i in range(9)]
    filler = factories.story(copies[0], *copies[1:])
    news = factories.story(
        _article("n1", "Real news", "dispatch.example.com"),
        _article("n2", "Real news, rewritten", "coastwatch.example.net"),
    )
    ranked = rank([filler, news], now=WHEN)
    assert [s.id for s in ranked] == ["n1", "c0"]
