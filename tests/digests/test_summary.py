"""Summaries: whole lead sentences, no junk, within the limit; and the sentence splitter under them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digests.sentences import split_sentences
from digests.summary import summarize
from tests.factories import article


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. on Monday. They talked.",
            ["Mr. Smith met Dr. Jones in the U.S. on Monday.", "They talked."],
        ),
        (
            "Acme Inc. said revenue rose 3.5% to $1.2B. Analysts cheered.",
            ["Acme Inc. said revenue rose 3.5% to $1.2B.", "Analysts cheered."],
        ),
        (
            "Use tools, e.g. hammers, with care. The shop opens at 9 a.m. Monday.",
            ["Use tools, e.g. hammers, with care.", "The shop opens at 9 a.m. Monday."],
        ),
        (
            "The vote closed at 5 p.m. The count began at once.",
            ["The vote closed at 5 p.m.", "The count began at once."],
        ),
        (
            'She said, "We are ready." Then she left.',
            ['She said, "We are ready."', "Then she left."],
        ),
        (
            "“We are all in,” Sarandos said. “Not for novelty.” The stock rose.",
            ["“We are all in,” Sarandos said.", "“Not for novelty.”", "The stock rose."],
        ),
        (
            "“It takes a great artist.” Ted Sarandos said so on Tuesday. Then silence.",
            ["“It takes a great artist.” Ted Sarandos said so on Tuesday.", "Then silence."],
        ),
        (
            "J. R. R. Tolkien wrote it. No. 5 is next.",
            ["J. R. R. Tolkien wrote it.", "No. 5 is next."],
        ),
    ],
)
def test_sentence_splitter_keeps_abbreviations_decimals_and_quotes_whole(
    text: str, expected: list[str]
) -> None:
    assert split_sentences(text) == expected


def test_summary_is_the_lead_sentences_whole() -> None:
    text = (
        "Harbor Labs released its language model under an open licence on Tuesday. "
        "The company said anyone may fine-tune it. Critics warned about misuse.\n\n"
        "A fourth sentence should not be needed here."
    )
    assert summarize(article(text=text)) == (
        "Harbor Labs released its language model under an open licence on Tuesday. "
        "The company said anyone may fine-tune it. Critics warned about misuse."
    )


def test_summary_stops_before_a_sentence_that_would_not_fit() -> None:
    first = "Harbor Labs released its language model under an open licence on Tuesday."
    second = "The company said that anyone may fine-tune it for any purpose at all, including commercial ones."
    summary = summarize(article(text=f"{first} {second}"), max_chars=len(first) + 10)
    assert summary == first


def test_overlong_first_sentence_is_cut_at_a_word_with_ellipsis() -> None:
    sentence = "Harbor Labs " + "released a very large model " * 20 + "today."
    summary = summarize(article(text=sentence), max_chars=120)
    assert len(summary) <= 120
    assert summary.endswith("…")
    assert sentence.startswith(summary[:-1])
    assert not summary[:-1].endswith(" ")
    assert sentence[len(summary) - 1] == " "  # cut fell on a word boundary


@pytest.mark.parametrize(
    "junk",
    [
        "By Jane Doe, Senior Reporter",
        "Updated at 10:32 a.m. ET on Tuesday, November 18.",
        "Subscribe to our newsletter for the latest news every morning.",
        "Read the full story at The Verge.",
        "Harbor Labs opens its model",
        "Tech Home Tech Security Privacy Gadgets News Reviews Deals",
        "The company's models include:",
        "Photo by Jane Doe via Getty Images, used with permission today.",
        "What's Your Reaction?",
        "Internal links: AI in Entertainment News, Netflix AI Updates",
    ],
)
def test_junk_before_the_lead_is_skipped(junk: str) -> None:
    lead = "Harbor Labs released its language model under an open licence on Tuesday."
    summary = summarize(article(text=f"{junk}\n\n{lead}"))
    assert summary == lead


def test_excerpt_is_never_used() -> None:
    piece = article(
        text="Harbor Labs released its model on Tuesday. It is free to use.",
        extra={"excerpt": "Harbor Labs released its model on Tuesday after months of a..."},
    )
    assert "a..." not in summarize(piece)
    assert summarize(piece) == "Harbor Labs released its model on Tuesday. It is free to use."


def test_bullets_are_skipped_when_there_is_prose_and_used_when_there_is_not() -> None:
    prose = "Harbor Labs released its language model under an open licence on Tuesday."
    bullets = "• Weights: the full weights are on the company's website for anyone.\n\n• Licence: Apache 2.0."
    assert summarize(article(text=f"{bullets}\n\n{prose}")) == prose
    only_bullets = summarize(article(text=bullets))
    assert only_bullets == "the full weights are on the company's website for anyone."


def test_leftover_markup_never_reaches_the_summary() -> None:
    text = (
        "Harbor Labs&#8217; model is **open** to <b>everyone</b> from Tuesday. It is free to use."
    )
    summary = summarize(article(text=text))
    assert summary == "Harbor Labs’ model is open to everyone from Tuesday. It is free to use."


def test_text_without_prose_gives_an_empty_summary() -> None:
    assert summarize(article(text="Tech Home Tech Security\n\nShare")) == ""


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=200),
        max_size=8,
    ),
    st.integers(min_value=80, max_value=600),
)
def test_summary_always_fits_and_is_made_of_whole_sentences(
    paragraphs: list[str], limit: int
) -> None:
    text = "\n\n".join(paragraphs)
    summary = summarize(article(text=text), max_chars=limit)
    assert len(summary) <= limit
    assert "\n" not in summary
    if summary and not summary.endswith("…"):
        assert re.search(r"""[.!?]["'”’)\]]*$""", summary)


def test_text_cut_off_at_the_source_is_shown_as_cut() -> None:
    text = "Last week I drove to the harbour to meet some of the most promising engineers in AI…"
    assert summarize(article(text=text)) == (
        "Last week I drove to the harbour to meet some of the most promising engineers in AI…"
    )


def test_by_starting_a_real_sentence_is_not_a_byline() -> None:
    text = "By Jane Doe, Senior Reporter\n\nBy now, the harbour office has moved every boat inland."
    assert (
        summarize(article(text=text)) == "By now, the harbour office has moved every boat inland."
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\"“”'’UuSs.e.g3,\n")), max_size=120))
def test_splitter_loses_and_invents_no_text(text: str) -> None:
    sentences = split_sentences(text)
    assert all(s == s.strip() and s for s in sentences)
    assert "".join(sentences).replace(" ", "") == "".join(text.split())


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=79))
def test_tiny_limits_still_fit(limit: int) -> None:
    text = "Harbor Labs on Tuesday published the full weights of its Tidewater language model."
    summary = summarize(article(text=text, title="Other"), max_chars=limit)
    assert 0 < len(summary) <= limit


@pytest.mark.parametrize("limit", [0, -5])
def test_a_limit_below_one_is_a_clear_error(limit: int) -> None:
    with pytest.raises(ValueError, match="max_chars must be at least 1"):
        summarize(
            article(text="Harbor Labs published its weights on Tuesday, the company said."),
            max_chars=limit,
        )


@pytest.mark.parametrize(
    "caption",
    [
        "Ada Brenn (left) and Olu Bassey (right) at the harbour on October 25, 2022.",
        "Ada Brenn and Olu Bassey outside the harbour office in Westport on March 3, 2024.",
        "Photo: the harbour office after the storm, taken from the pier.",
        "The new ferry, pictured during sea trials off the coast last spring.",
        "Image by Westport Harbour Authority of the pier closed for repairs.",
    ],
)
def test_a_photo_caption_is_not_summary_material(caption: str) -> None:
    lead = "Westport closed its pier on Monday after storms damaged the main supports."
    assert summarize(article(text=f"{caption}\n\n{lead}")) == lead


def test_a_credit_glued_to_the_next_sentence_is_dropped() -> None:
    text = "Kerry Wan/ZDNETThe harbour office has moved every boat inland for the winter."
    assert summarize(article(text=text)) == (
        "The harbour office has moved every boat inland for the winter."
    )


def test_image_alt_text_is_not_summary_material() -> None:
    text = (
        "![Ada Brenn speaking at the harbour on a windy day](pier.jpg) Westport closed its "
        "pier on Monday after storms damaged the main supports."
    )
    assert summarize(article(text=text)) == (
        "Westport closed its pier on Monday after storms damaged the main supports."
    )


def test_a_caption_in_html_never_reaches_the_summary() -> None:
    from digests.ingest import parse_bytes

    raw = (
        b"---\ntitle: Pier closed\ndate: 2026-11-02\n---\n<figure><img src='p.jpg' alt='The pier seen from the "
        b"harbour wall at dawn'><figcaption>Ada Brenn (left) on the pier on October 25, "
        b"2022.</figcaption></figure><p class='caption'>Ada Brenn (left) and Olu Bassey "
        b"(right) on October 25, 2022.</p><p>Westport closed its pier on Monday after storms "
        b"damaged the main supports.</p>"
    )
    art = parse_bytes(raw, "pier.md")
    assert summarize(art) == (
        "Westport closed its pier on Monday after storms damaged the main supports."
    )


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("The rally was held in Washington, D.C. The next day it rained.", 2),
        ("Protests in Washington, D.C. drew thousands on Sunday. Police made no arrests.", 2),
        ("The U.S. Senate voted on Jan. 5 to pass the bill. It failed in the House.", 2),
        ("J.R.R. Tolkien wrote it in 1937 for his children. Fans loved it at once.", 2),
    ],
)
def test_sentences_split_at_sentence_ends_not_at_abbreviations(text: str, first: int) -> None:
    from digests.sentences import split_sentences

    assert len(split_sentences(text)) == first


def test_a_later_whole_sentence_beats_cutting_an_overlong_first_one() -> None:
    long = "Harbor Labs " + "released a very large model " * 20 + "today."
    short = "The model is free to use for anyone at all."
    summary = summarize(article(text=f"{long} {short}"), max_chars=120)
    assert summary == short
