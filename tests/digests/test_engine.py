"""Stories from clusters, ranking by recency/size/feedback, and digest filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digests.engine import build_stories, make_digest, rank
from digests.models import Article
from tests.digests.test_cluster import OTHER_AI_1, OTHER_AI_2, REWRITE, T0, WIRE
from tests.factories import article

NOW = T0 + timedelta(days=1)


def _article(
    i: int, *, hours_ago: float, source: str = "a.example", tags: tuple[str, ...] = ()
) -> Article:
    return article(
        f"id{i:03d}",
        f"Story number {i} about the harbour",
        f"Story number {i} happened at the harbour on Monday morning. Nobody was hurt.",
        source=source,
        url=None,
        hours_ago=hours_ago,
        now=NOW,
        tags=tags,
    )


def test_rewrites_become_one_story_with_the_most_complete_article_as_primary() -> None:
    bare = Article(
        id="bare", title=REWRITE.title, text=REWRITE.text, published=T0 - timedelta(hours=1)
    )
    stories = build_stories([bare, OTHER_AI_1, WIRE])
    story = next(s for s in stories if len(s.articles) == 2)
    assert story.primary.id == "wire"  # has outlet and URL-less but sourced, longer
    assert story.id == "bare"  # earliest member: the id stays when later rewrites join
    assert [a.id for a in story.others] == ["bare"]
    assert story.summary.startswith("Harbor Labs on Tuesday published the full weights")
    assert len(stories) == 2


def test_story_id_stays_when_a_later_rewrite_joins() -> None:
    before = build_stories([WIRE])[0]
    after = next(s for s in build_stories([REWRITE, WIRE]) if len(s.articles) == 2)
    assert before.id == after.id == "wire"


def test_story_has_attributed_quotes_and_topics_from_all_members() -> None:
    wire = Article(
        id=WIRE.id,
        title=WIRE.title,
        text=WIRE.text,
        source=WIRE.source,
        published=WIRE.published,
        tags=("AI",),
    )
    rewrite = Article(
        id=REWRITE.id,
        title=REWRITE.title,
        text=REWRITE.text,
        source=REWRITE.source,
        published=REWRITE.published,
        tags=("Ai", "Open Source"),
    )
    story = next(s for s in build_stories([wire, rewrite]) if len(s.articles) == 2)
    assert story.topics == ("ai", "open-source")
    speakers = {q.speaker for q in story.quotes}
    assert any(s and "Quillfeather" in s for s in speakers)
    assert any(q.key for q in story.quotes)
    texts = [q.text for q in story.quotes]
    assert len(texts) == len({t.lower() for t in texts})  # the rewrite's copy is not repeated


def test_others_list_one_article_per_outlet_before_duplicates() -> None:
    base = dict(title=WIRE.title, text=WIRE.text)
    members = [
        WIRE,
        Article(
            id="dup-same-outlet", source="wire.example", published=T0 + timedelta(hours=1), **base
        ),
        Article(
            id="other-outlet", source="mirror.example", published=T0 + timedelta(hours=2), **base
        ),
    ]
    (story,) = build_stories(members)
    assert [a.id for a in story.others] == ["other-outlet", "dup-same-outlet"]


def test_rank_prefers_recent_then_bigger_stories() -> None:
    fresh = _article(1, hours_ago=1)
    old = _article(2, hours_ago=72)
    stories = build_stories([old, fresh])
    assert [s.primary.id for s in rank(stories, now=NOW)] == ["id001", "id002"]


def test_rank_counts_outlets_not_copies() -> None:
    wide = build_stories([WIRE, REWRITE])  # two outlets
    narrow = build_stories(
        [
            OTHER_AI_1,
            Article(
                id="copy",
                title=OTHER_AI_1.title,
                text=OTHER_AI_1.text,
                source=OTHER_AI_1.source,
                published=OTHER_AI_1.published,
            ),
        ]
    )
    ranked = rank([*narrow, *wide], now=T0 + timedelta(days=3))
    assert ranked[0].primary.id == "wire"
    assert ranked[0].score > ranked[1].score


def test_feedback_boost_reorders_but_is_bounded() -> None:
    a, b = build_stories([_article(1, hours_ago=1), _article(2, hours_ago=2)])
    assert rank([a, b], now=NOW)[0].id == a.id
    boosted = rank([a, b], now=NOW, boost=lambda s: 1.0 if s.id == b.id else 0.0)
    assert boosted[0].id == b.id
    # a huge score from a runaway feedback table cannot bury a brand-new story forever
    brand_new = build_stories([_article(3, hours_ago=0)])[0]
    stale = build_stories([_article(4, hours_ago=24 * 30)])[0]
    ranked = rank(
        [stale, brand_new], now=NOW, boost=lambda s: -1e9 if s.id == brand_new.id else 1e9
    )
    assert ranked[0].score - ranked[1].score < 1.5


def test_make_digest_filters_by_topic_since_and_limit() -> None:
    ai = _article(1, hours_ago=1, tags=("AI",))
    robots = _article(2, hours_ago=2, tags=("Robots",))
    old_ai = _article(3, hours_ago=100, tags=("Artificial Intelligence",))
    stories = build_stories([ai, robots, old_ai])

    by_topic = make_digest(stories, title="t", topic="ai", now=NOW)
    assert [s.primary.id for s in by_topic.stories] == ["id001", "id003"]
    assert make_digest(stories, title="t", topic="robot", now=NOW).stories[0].primary.id == "id002"

    recent = make_digest(stories, title="t", since=NOW - timedelta(hours=48), now=NOW)
    assert {s.primary.id for s in recent.stories} == {"id001", "id002"}
    assert recent.period_start == NOW - timedelta(hours=48)

    assert len(make_digest(stories, title="t", limit=1, now=NOW).stories) == 1
    assert len(make_digest(stories, title="t", now=NOW).stories) == 3  # no limit: everything


def test_digest_defaults_now_to_the_current_time() -> None:
    digest = make_digest(build_stories([OTHER_AI_2]), title="t")
    assert digest.period_end is not None
    assert abs(digest.period_end - datetime.now(UTC)) < timedelta(minutes=1)


def test_naive_times_are_read_as_utc() -> None:
    stories = build_stories([_article(1, hours_ago=1), _article(2, hours_ago=100)])
    naive_now = NOW.replace(tzinfo=None)
    digest = make_digest(stories, title="t", since=naive_now - timedelta(hours=48), now=naive_now)
    assert [s.primary.id for s in digest.stories] == ["id001"]


def test_a_story_covered_again_today_ranks_as_fresh_news() -> None:
    # the primary (most complete) article is three days old; a rewrite came out an hour ago
    complete = Article(
        id="wire3d",
        title=WIRE.title,
        text=WIRE.text,
        url="https://wire.example/tidewater",
        source="wire.example",
        author="A. Writer",
        published=NOW - timedelta(days=3),
    )
    follow_up = Article(
        id="blog1h", title=REWRITE.title, text=REWRITE.text, published=NOW - timedelta(hours=1)
    )
    ongoing = next(s for s in build_stories([complete, follow_up]) if len(s.articles) == 2)
    assert ongoing.primary.id == "wire3d"
    single = build_stories([_article(1, hours_ago=6)])[0]
    assert [s.id for s in rank([single, ongoing], now=NOW)] == [ongoing.id, single.id]


def test_stories_built_in_worker_processes_match_and_keep_the_callers_articles() -> None:
    from digests.cluster import cluster
    from digests.engine import stories_for

    articles = [WIRE, REWRITE, OTHER_AI_1, OTHER_AI_2] + [
        _article(i, hours_ago=i, tags=("Robots",)) for i in range(5, 250)
    ]
    groups = cluster(articles)
    calls: list[tuple[int, int]] = []
    parallel = stories_for(groups, workers=2, on_progress=lambda d, t: calls.append((d, t)))
    sequential = stories_for(groups)
    assert [(s.id, s.summary, s.quotes, s.topics) for s in parallel] == [
        (s.id, s.summary, s.quotes, s.topics) for s in sequential
    ]
    assert any(q.speaker == "Mara Quillfeather" for q in parallel[0].quotes)
    assert parallel[0].primary is WIRE  # the caller's objects, not copies from a worker
    done, total = calls[-1]  # progress counts the articles analysed
    assert done == total > 0


def test_a_quote_the_summary_already_shows_is_not_a_key_quote() -> None:
    article = Article(
        id="lead-quote",
        title="Ferry service returns to the island",
        text=(
            "“We finally have our morning boat back after two long winters,” harbour master"
            " Ines Dahl said on Monday.\n\n"
            "The ferry will run twice a day from the north pier until October, the island"
            " council confirmed, after a winter of repairs to the landing stage and the"
            " mooring posts that the February storm had torn loose from the harbour wall.\n\n"
            "“Tickets will cost the same as they did before the storm,” Dahl added.\n\n"
            "Local shop owners welcomed the news and expect more visitors this summer."
        ),
        published=NOW,
    )
    story = build_stories([article])[0]
    assert "We finally have our morning boat back" in story.summary
    key = [q for q in story.quotes if q.key]
    assert key, story.quotes
    assert all(q.text not in story.summary for q in key)
    assert key[0].text.startswith("Tickets will cost the same")
    assert key[0].speaker == "Ines Dahl"
    assert any(q.text.startswith("We finally have") for q in story.quotes)  # still listed


def test_a_failing_quote_extraction_costs_that_article_its_quotes_only(monkeypatch) -> None:
    import digests.analysis as analysis

    def boom(text: str, *, title: str | None = None) -> tuple:
        if "harbour" in text:
            raise RecursionError("pathological text")
        return ()

    monkeypatch.setattr(analysis, "extract_quotes", boom)
    stories = build_stories([_article(1, hours_ago=1), _article(2, hours_ago=2)])
    assert len(stories) == 2
    assert all(s.quotes == () for s in stories)
    assert all(s.summary for s in stories)
