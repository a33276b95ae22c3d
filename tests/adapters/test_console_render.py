"""Terminal rendering: what a person reading `newsbot digest` sees for each story."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console

from adapters.console.render import also_covered_by, render_digest, render_story
from digests.models import Article, Digest, Quote, Story

PRIMARY = Article(
    id="9e1e1cbc5342db83",
    title="Harbor Labs releases Tidewater [bold]weights[/bold]",
    text="…",
    url="https://wire.example/tidewater",
    source="wire.example",
    published=datetime(2026, 11, 18, 9, tzinfo=UTC),
)
OTHERS = (
    *(Article(id=f"o{i}", title="t", text="…", source=f"outlet{i}.example") for i in range(6)),
    Article(id="same", title="t", text="…", source="wire.example"),
)
STORY = Story(
    id=PRIMARY.id,
    primary=PRIMARY,
    summary="Harbor Labs published the full weights of its Tidewater model on Tuesday.",
    others=OTHERS,
    quotes=(
        Quote("Closed models are a dead end for science.", "Mara Quillfeather", key=True),
        Quote("We would rather be copied than ignored.", None, key=True),
        Quote("It was a long week.", "Someone Else", key=False),
    ),
)


def _text(renderable: object) -> str:
    console = Console(width=200, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_story_shows_title_outlet_date_ref_summary_and_key_quotes() -> None:
    out = _text(render_story(STORY, number=1))
    assert (
        "1. Harbor Labs releases Tidewater [bold]weights[/bold]" in out
    )  # markup shown, not applied
    assert "wire.example · 18 Nov 2026 · ref 9e1e1c" in out
    assert STORY.summary in out
    assert "“Closed models are a dead end for science.” — Mara Quillfeather" in out
    assert "“We would rather be copied than ignored.”" in out
    assert "It was a long week" not in out  # not a key quote


def test_also_covered_by_lists_other_outlets_once_and_caps_the_list() -> None:
    assert also_covered_by(STORY) == (
        "outlet0.example, outlet1.example, outlet2.example, outlet3.example +2 more"
    )
    assert "Also covered by: outlet0.example" in _text(render_story(STORY))
    lone = Story(id="x", primary=PRIMARY, summary="s")
    assert also_covered_by(lone) == ""
    assert "Also covered by" not in _text(render_story(lone))


def test_digest_numbers_stories_under_its_title() -> None:
    other = Story(
        id="abcdef123", primary=Article(id="abcdef123", title="Second story", text="…"), summary=""
    )
    out = _text(render_digest(Digest(title="News digest: ai", stories=(STORY, other))))
    assert "News digest: ai" in out
    assert out.index("1. Harbor Labs") < out.index("2. Second story")
    assert "ref abcdef" in out


def test_empty_digest_says_so() -> None:
    assert "No stories match." in _text(render_digest(Digest(title="News digest", stories=())))


def test_an_article_without_an_outlet_is_shown_by_its_quoted_headline() -> None:
    plain = Article(
        id="p1",
        title="Netflix Doubles Down on Generative AI—Is the Entertainment Divide Getting Wider?",
        text="…",
    )
    story = Story(id=PRIMARY.id, primary=PRIMARY, summary="s", others=(plain, OTHERS[0]))
    shown = also_covered_by(story)
    assert shown.startswith("“Netflix Doubles Down on Generative AI")
    assert shown.endswith("…”, outlet0.example")  # cut headline, marked as a headline
    assert len(shown.split("”")[0]) <= 61
    # an outlet-less copy under the story's own headline is not "other coverage"
    copy = Article(id="c1", title=PRIMARY.title, text="…")
    assert also_covered_by(Story(id="c", primary=PRIMARY, summary="s", others=(copy,))) == ""


def test_title_keeps_its_link_and_bold_even_when_the_url_has_spaces() -> None:
    import io

    odd = Article(id="odd", title="Odd link", text="…", url="https://odd.example/a b on")
    screen = io.StringIO()
    Console(file=screen, width=120, force_terminal=True, color_system="standard").print(
        render_story(Story(id="odd", primary=odd, summary="s"))
    )
    out = screen.getvalue()
    assert "\x1b]8;id=" in out and ";https://odd.example/a b on\x1b\\" in out  # a terminal link
    assert "\x1b[1mOdd link" in out  # bold, not silently unstyled by a failed style parse


def test_apostrophes_at_the_ends_of_a_quote_are_kept() -> None:
    story = Story(
        id="q",
        primary=PRIMARY,
        summary="s",
        quotes=(Quote("'90s kids remember the modems'", "Ana Ruiz", key=True),),
    )
    assert "“'90s kids remember the modems'” — Ana Ruiz" in _text(render_story(story))
