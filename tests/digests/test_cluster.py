"""Same-story grouping: rewrites join on shared quotes, names and figures; same-topic stories stay apart."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from digests.cluster import cluster, pair_scores
from digests.models import Article

T0 = datetime(2026, 11, 18, 9, tzinfo=UTC)

# One fictional event, written twice in different words (few shared word runs),
# sharing what rewrites keep: the quotes, the people, the product and the figures.
WIRE = Article(
    id="wire",
    title="Harbor Labs releases Tidewater model weights to everyone",
    source="wire.example",
    published=T0,
    text=(
        "Harbor Labs on Tuesday published the full weights of its Tidewater language model, "
        "the largest release of its kind this year.\n\n"
        "“Closed models are a dead end for science,” chief executive Mara Quillfeather said at "
        "a press event in Oslo. “We would rather be copied than ignored.”\n\n"
        "The model was trained on 4.2 trillion tokens and cost roughly $38 million to build, "
        "according to the company. Researchers at Kelpwater University tested it first."
    ),
)
REWRITE = Article(
    id="rewrite",
    title="Tidewater goes open: what Harbor Labs' bet means",
    source="blog.example",
    published=T0 + timedelta(hours=20),
    text=(
        "Another lab has thrown its doors open.\n\n"
        "• The news: Harbor Labs made Tidewater downloadable for anyone, weights included.\n\n"
        "• The quote: 'Closed models are a dead end for science' — Mara Quillfeather, "
        "who runs the company, added that 'we would rather be copied than ignored.'\n\n"
        "• The numbers: $38 million in compute and 4.2 trillion tokens of training text, with "
        "early tests by Kelpwater University."
    ),
)
# Same topic, different events: share only common names.
OTHER_AI_1 = Article(
    id="other1",
    title="OpenAI adds memory to ChatGPT for all users",
    source="news.example",
    published=T0,
    text=(
        "OpenAI said ChatGPT will now remember past chats for every user. Sam Altman called it "
        "“the feature people asked for the most” in a post on Monday. Users can switch it off."
    ),
)
OTHER_AI_2 = Article(
    id="other2",
    title="OpenAI board names new chair",
    source="news.example",
    published=T0 + timedelta(hours=5),
    text=(
        "OpenAI has a new board chair, the company said on Tuesday. Sam Altman welcomed the "
        "choice and said “the board is stronger than ever before” in a statement to staff."
    ),
)


def test_rewrite_with_shared_quotes_and_names_joins_the_original() -> None:
    groups = cluster([WIRE, OTHER_AI_1, REWRITE, OTHER_AI_2])
    ids = sorted(sorted(a.id for a in g) for g in groups)
    assert ["rewrite", "wire"] in ids
    assert ["other1"] in ids and ["other2"] in ids
    assert len(groups) == 3


def test_clusters_keep_input_order() -> None:
    groups = cluster([OTHER_AI_1, WIRE, OTHER_AI_2, REWRITE])
    assert [[a.id for a in g] for g in groups] == [["other1"], ["wire", "rewrite"], ["other2"]]


def test_rewrite_far_outside_the_time_window_is_a_new_story() -> None:
    late = Article(
        id="late",
        title=REWRITE.title,
        text=REWRITE.text,
        source=REWRITE.source,
        published=T0 + timedelta(days=30),
    )
    assert len(cluster([WIRE, late])) == 2


def test_file_modification_time_does_not_count_as_a_date() -> None:
    undated = Article(
        id="undated",
        title=REWRITE.title,
        text=REWRITE.text,
        published=T0 + timedelta(days=400),
        extra={"date_from": "mtime"},
    )
    assert len(cluster([WIRE, undated])) == 1


def _filler_article(i: int, rng: random.Random) -> Article:
    """An AI story of its own: common names (OpenAI, Nvidia) plus names only it has."""
    name = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(4)).title()
    return Article(
        id=f"f{i}",
        title=f"{name} Robotics raises money for warehouse robots",
        source=f"site{i % 7}.example",
        published=T0 + timedelta(minutes=i),
        text=(
            f"{name} Robotics, a startup in Lisbon, said on Monday it raised ${i % 90 + 5} million. "
            f"Founder Ana {name}son said “our robots learn a new warehouse in {i % 11 + 2} days flat.” "
            "Like many startups it runs models from OpenAI on chips from Nvidia."
        ),
    )


def test_many_same_topic_stories_and_duplicates_stay_fast_and_apart() -> None:
    rng = random.Random(7)
    fillers = [_filler_article(i, rng) for i in range(3000)]
    copies = [
        Article(
            id=f"copy{i}",
            title=WIRE.title,
            text=WIRE.text,
            source=f"mirror{i}.example",
            published=T0,
        )
        for i in range(20)
    ]
    started = time.perf_counter()
    groups = cluster([*fillers, *copies, REWRITE])
    elapsed = time.perf_counter() - started
    sizes = sorted(len(g) for g in groups)
    assert sizes[-1] == 21  # the 20 copies and the rewrite
    assert sizes[:-1] == [1] * (len(groups) - 1)  # every filler alone
    assert elapsed < 5.0


def test_pair_scores_only_cover_articles_sharing_a_feature() -> None:
    scores = pair_scores([WIRE, REWRITE, OTHER_AI_1])
    assert (0, 1) in scores
    assert (0, 2) not in scores and (1, 2) not in scores


def test_syndicated_copies_with_new_headlines_are_one_story() -> None:
    copies = [
        Article(
            id=f"syn{i}", title=f"Headline variant {i}", text=WIRE.text, source=f"paper{i}.example"
        )
        for i in range(40)
    ]
    rng = random.Random(3)
    fillers = [_filler_article(i, rng) for i in range(200)]
    groups = cluster([*fillers, *copies])
    assert sorted(len(g) for g in groups)[-1] == 40
    assert len(groups) == 201


def test_only_articles_within_the_window_of_each_other_are_compared() -> None:
    def copy(i: int, published: datetime | None) -> Article:
        return Article(
            id=f"r{i}",
            title=REWRITE.title,
            text=REWRITE.text,
            source=f"s{i}.example",
            published=published,
        )

    # input order differs from date order; a rewrite every three days, one undated
    days = [6, 0, 3, 9]
    articles = [copy(i, T0 + timedelta(days=d)) for i, d in enumerate(days)]
    articles.append(copy(9, None))
    pairs = set(pair_scores(articles))
    within = {(i, j) for i in range(4) for j in range(i + 1, 4) if abs(days[i] - days[j]) <= 4}
    assert pairs == within | {(i, 4) for i in range(4)}
    # … and the chain of neighbours still makes one story of them all
    assert len(cluster(articles)) == 1
