"""Same-story grouping: rewrites join on shared quotes, names and figures; same-topic stories stay apart."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digests.cluster import cluster, group_units, pair_scores, unit_of
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


def test_many_same_topic_stories_and_duplicates_stay_apart() -> None:
    # how long this takes at scale: bench/bench_digest.py --distinct (clustering us/article)
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
    groups = cluster([*fillers, *copies, REWRITE])
    sizes = sorted(len(g) for g in groups)
    assert sizes[-1] == 21  # the 20 copies and the rewrite
    assert sizes[:-1] == [1] * (len(groups) - 1)  # every filler alone


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


def _partition(groups: list[list[Article]]) -> set[frozenset[str]]:
    return {frozenset(a.id for a in g) for g in groups}


def _shuffle_set() -> list[Article]:
    """Rewrites, same-topic stories, syndicated copies under new headlines and a thin template."""
    rng = random.Random(11)
    fillers = [_filler_article(i, rng) for i in range(60)]
    copies = [
        Article(id=f"syn{i}", title=f"Headline {i}", text=WIRE.text, source=f"p{i}.example")
        for i in range(5)
    ]
    template = [
        Article(id=f"tpl{i}", title=f"Deals of week {i % 3}", text="Deals. " * 80) for i in range(6)
    ]
    # a copy of another story whose headline quotes the wire story: whether the unit (one
    # body) joins the wire story must not depend on which copy is read first
    board = replace(OTHER_AI_2, id="board", text=OTHER_AI_2.text + " The chair starts in May." * 12)
    quoting = replace(
        board,
        id="zz-quoting",
        title="“Closed models are a dead end for science,” Mara Quillfeather says",
    )
    return [WIRE, REWRITE, OTHER_AI_1, board, quoting, *fillers, *copies, *template]


def test_shuffled_input_gives_identical_stories() -> None:
    articles = _shuffle_set()
    expected = _partition(cluster(articles))
    rng = random.Random(5)
    for _ in range(30):
        rng.shuffle(articles)
        assert _partition(cluster(articles)) == expected
    # the copies join the wire story whichever of them is read first
    assert frozenset({"wire", "rewrite", *(f"syn{i}" for i in range(5))}) in expected
    # one body, one unit, represented by its smallest id ("board"), wherever it comes
    assert frozenset({"board", "zz-quoting"}) in expected
    # a thin template body groups its headlines, never different headlines
    assert frozenset({"tpl0", "tpl3"}) in expected


def test_shuffled_corpus_gives_identical_stories(corpus_dir: Path) -> None:
    from digests.ingest import load_paths

    articles = list(
        load_paths([str(corpus_dir / "articles"), str(corpus_dir / "articles-more")]).articles
    )
    expected = _partition(cluster(articles, workers=1))
    rng = random.Random(1)
    for _ in range(4):
        rng.shuffle(articles)
        assert _partition(cluster(articles, workers=1)) == expected
    reversed_half = articles[::-1][: len(articles) // 2]
    assert _partition(cluster(reversed_half, workers=1)) == _partition(
        cluster(sorted(reversed_half, key=lambda a: a.id), workers=1)
    )


def test_regrouping_the_stories_a_new_unit_touches_equals_a_full_recluster() -> None:
    """The locality the bot's incremental stories rely on: after adding one unit, only
    pairs sharing one of its features change, so regrouping the groups of the units
    that share a feature with it (with document frequencies over everything) gives
    exactly what grouping everything again gives."""
    articles = _shuffle_set()
    units = [unit_of(a) for a in articles]
    rng = random.Random(2)
    for _ in range(20):
        k = rng.randrange(len(units))
        before = units[:k] + units[k + 1 :]
        new = units[k]
        groups = [[before[i].key for i in g] for g in group_units(before)]
        everything = [*before, new]
        df: dict[int, int] = {}
        for u in everything:
            for c in u.features:
                df[c] = df.get(c, 0) + 1
        touched_keys = {u.key for u in before if set(u.features) & set(new.features)}
        touched = [g for g in groups if touched_keys & set(g)]
        by_key = {u.key: u for u in everything}
        part = [by_key[key] for g in touched for key in g] + [new]
        regrouped = {frozenset(part[i].key for i in g) for g in group_units(part, df)}
        untouched = {frozenset(g) for g in groups if g not in touched}
        full = {frozenset(everything[i].key for i in g) for g in group_units(everything)}
        assert regrouped | untouched == full
