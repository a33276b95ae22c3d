"""Stored per-article analyses: hashed by content, packed and unpacked losslessly, and
used by the engine instead of analysing again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import digests.analysis as analysis_mod
from digests.analysis import ArticleAnalysis, analyse, analyse_many, content_hash
from digests.cluster import cluster
from digests.engine import build_stories, stories_for
from digests.models import Article

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)

WIRE = Article(
    id="wire",
    title="Tidewater Ferries restores the island route after storm repairs",
    text=(
        "Tidewater Ferries will restore its Kestrel Island route on Friday after six weeks of "
        "storm repairs, the company said.\n\n"
        "“We finally have the pier we were promised,” said harbour master Mara Quillfeather, "
        "who oversaw the $4.2 million rebuild.\n\n"
        "Fares rise 12% from March, Tidewater Ferries said."
    ),
    url="https://wire.example/ferry",
    source="wire.example",
    published=NOW - timedelta(hours=3),
    tags=("Transport",),
)
REWRITE = Article(
    id="blog",
    title="Kestrel Island ferry is back",
    text=(
        "Mara Quillfeather said the $4.2 million pier rebuild was finished: “We finally have the "
        "pier we were promised,” the harbour master told reporters.\n\n"
        "Tidewater Ferries sails to Kestrel Island again from Friday; fares rise 12%."
    ),
    source="blog.example",
    published=NOW - timedelta(hours=1),
    tags=("Islands",),
)


def test_a_packed_analysis_unpacks_to_the_same_analysis() -> None:
    result = analyse(WIRE)
    assert result.quotes and result.summary and result.features and result.topics
    assert ArticleAnalysis.from_bytes(result.to_bytes()) == result
    assert result.content_hash == content_hash(WIRE)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[1,2]\n",
        b'{"a": 1}\n',
        b"[99, 1, 2, 3, 4, 5, 6, 7]\n",
        b"[1" + b"0" * 5,
        b'[3, "h", 320, "s", [], [], [], false]\n1234567',  # codes cut mid-number
    ],
)
def test_bytes_that_are_not_an_analysis_are_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        ArticleAnalysis.from_bytes(data)


def test_truncated_analysis_is_a_value_error() -> None:
    packed = analyse(WIRE).to_bytes()
    with pytest.raises(ValueError):
        ArticleAnalysis.from_bytes(packed[: len(packed) // 2])


def test_the_hash_follows_what_the_analysis_reads_and_nothing_else() -> None:
    base = content_hash(WIRE)
    assert content_hash(replace(WIRE, text=WIRE.text + " More.")) != base
    assert content_hash(replace(WIRE, title="Another headline")) != base
    assert content_hash(replace(WIRE, tags=("Ferries",))) != base
    assert content_hash(replace(WIRE, category="Travel")) != base
    # where and when it was published do not change what the engine derives
    assert content_hash(replace(WIRE, id="x", url="https://other.example/y", published=NOW)) == base


def test_a_new_engine_version_changes_every_hash(monkeypatch) -> None:
    base = content_hash(WIRE)
    monkeypatch.setattr(analysis_mod, "engine_version", lambda: "999.test")
    assert content_hash(WIRE) != base


def test_stories_from_stored_analyses_equal_stories_analysed_afresh(monkeypatch) -> None:
    articles = [WIRE, REWRITE]
    fresh = build_stories(articles)
    stored = {
        a.id: ArticleAnalysis.from_bytes(x.to_bytes())
        for a, x in zip(articles, analyse_many(articles), strict=True)
    }

    def never(*_args, **_kwargs):
        raise AssertionError("analysed again although an analysis was stored")

    for name in ("summarize", "extract_quotes", "article_topics", "coded_features"):
        monkeypatch.setattr(analysis_mod, name, never)
    monkeypatch.setattr("digests.cluster.coded_features", never)
    reused = build_stories(articles, analyses=stored)
    assert reused == fresh
    assert len(reused) == 1 and reused[0].quotes


def test_clusters_from_stored_features_equal_clusters_computed_afresh() -> None:
    articles = [WIRE, REWRITE, replace(WIRE, id="other", title="Elsewhere", text="Unrelated.")]
    stored = dict(zip(articles, analyse_many(articles), strict=True))
    coded = {a.id: (x.features, x.thin) for a, x in stored.items()}
    assert cluster(articles, stored=lambda a: coded[a.id]) == cluster(articles)
    assert cluster(articles, stored=lambda a: None) == cluster(articles)


def test_an_analysis_for_another_summary_length_is_not_used() -> None:
    stored = {WIRE.id: replace(analyse(WIRE), summary="stale", summary_chars=100)}
    story = stories_for([[WIRE]], analyses=stored)[0]
    assert story.summary != "stale" and story.summary == analyse(WIRE).summary


def test_same_content_is_analysed_once(monkeypatch) -> None:
    calls: list[str] = []
    real = analysis_mod.summarize

    def counting(article, **kwargs):
        calls.append(article.id)
        return real(article, **kwargs)

    monkeypatch.setattr(analysis_mod, "summarize", counting)
    copies = [replace(WIRE, id=f"copy{i}", url=f"https://m{i}.example/x") for i in range(3)]
    results = analyse_many(copies)
    assert calls == ["copy0"]
    assert results[0] == results[1] == results[2]


def test_analyses_from_worker_processes_equal_analyses_in_process() -> None:
    articles = [replace(WIRE, id=f"w{i}", text=f"{WIRE.text}\n\nUpdate {i}.") for i in range(6)]
    articles += [REWRITE]
    assert analyse_many(articles, workers=2) == analyse_many(articles, workers=1)
