"""clean.py: what readers would see if markup or site junk leaked into summaries."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from digests.clean import clean_html, clean_markdown, clean_plain, clean_title, decode_entities

TAG = re.compile(r"<[a-zA-Z/!?][^<>]*>")


def test_html_paragraphs_keep_text_and_drop_figures_headings_and_share_bars() -> None:
    body = (
        '<div class="share-tools"><a>Share on X</a></div>'
        "<figure><img src='x.jpg'><figcaption>A caption (Photo: Jo/Getty Images)</figcaption></figure>"
        "<p>First paragraph with an <a href='/x'>inline link</a> &amp; an entity.</p>"
        "<h2>Sub heading</h2><p>Second&nbsp;paragraph&#8217;s text.</p>"
    )
    assert clean_html(body) == (
        "First paragraph with an inline link & an entity.\n\nSecond paragraph’s text."
    )


def test_html_list_items_become_bullet_paragraphs() -> None:
    text = clean_html("<p>Three changes:</p><ul><li>Faster boot</li><li>New <b>menus</b></li></ul>")
    assert text.split("\n\n") == ["Three changes:", "• Faster boot", "• New menus"]


def test_markdown_syntax_is_removed_but_words_are_kept() -> None:
    body = (
        "## Heading\n\nSome **bold** and *italic* words with a [link](https://x.y/z) "
        "and `code`.\n![alt](https://img/x.png)\n\n1. First step\n2. Second step\n\n---\n\n> Quoted line here."
    )
    assert clean_markdown(body).split("\n\n") == [
        "Some bold and italic words with a link and code.",
        "• First step",
        "• Second step",
        "Quoted line here.",
    ]


def test_soft_wrapped_markdown_lines_join_into_one_paragraph() -> None:
    assert clean_markdown("One sentence that\nwraps over lines.\n\nNext one.") == (
        "One sentence that wraps over lines.\n\nNext one."
    )


def test_plain_text_lines_are_paragraphs_and_the_junk_tail_is_dropped() -> None:
    body = (
        "Lead paragraph of the story.\n"
        "Section Heading Without Punctuation\n"
        "- Bullet item carries a quote: 'this is what she said.'\n"
        "FAQ – Everything about it\n"
        "Why does it matter?\n"
        "Internal links: A, B\n"
        "What's Your Reaction?\n"
    )
    assert clean_plain(body).split("\n\n") == [
        "Lead paragraph of the story.",
        "• Bullet item carries a quote: 'this is what she said.'",
    ]


def test_flattened_page_breadcrumbs_bylines_and_glued_sentences_are_repaired() -> None:
    body = (
        "Tech\n   \n  Home\n   \n  Security\n   \n"
        "  Big breach hits retailer\n   \n"
        "  The dek explains what happened in one sentence.\n"
        "  Written by \n  Jo Reporter, Staff WriterStaff Writer  July 25, 2025 at 11:42 a.m. PT"
        "    Ann Photo/Getty ImagesThe retailer said data was stolen.Customers were told on Friday."
    )
    assert clean_markdown(body, title="Big breach hits retailer").split("\n\n") == [
        "The dek explains what happened in one sentence.",
        "The retailer said data was stolen.",
        "Customers were told on Friday.",
    ]


def test_linked_also_headlines_go_but_sentences_that_merely_look_similar_stay() -> None:
    flattened = "Big news today. Also: Ten other new job roles AI could createAcross the industry, firms agree."
    assert clean_markdown(flattened) == "Big news today.\n\nAcross the industry, firms agree."
    prose = "Also: the firm said “we will ship in May,” a spokesperson said.\n\nMore from the report shows growth."
    assert clean_markdown(prose) == prose


def test_a_short_attributed_quote_is_not_mistaken_for_a_heading() -> None:
    body = "Lead sentence of the story.\n“We’re all in.” —Ted Sarandos\nShort Heading Here\n"
    assert clean_plain(body).split("\n\n") == [
        "Lead sentence of the story.",
        "“We’re all in.” —Ted Sarandos",
    ]


def test_event_ads_end_the_article() -> None:
    body = "Real paragraph one.\n\n\t\tTechcrunch event\n\n\t\t\tJoin the waitlist\n\t\tTickets are live! Save now."
    assert clean_markdown(body) == "Real paragraph one."


def test_title_entities_are_decoded() -> None:
    assert (
        clean_title("Netflix&#8217;s &#038; Hulu&#x2019;s  <em>new</em> deal")
        == "Netflix’s & Hulu’s new deal"
    )


def test_double_escaped_entities_and_escaped_tags_never_survive() -> None:
    assert decode_entities("a &amp;amp; b &lt;script&gt;x&lt;/script&gt;") == "a & b  x "


def _assert_clean(text: str) -> None:
    assert TAG.search(text) is None
    assert html.unescape(text) == text  # no entity left to decode


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/&;#x0123abp lihfigure\n*_[]()!-•\"'"))))
def test_any_markup_soup_comes_out_without_tags_or_entities(soup: str) -> None:
    for clean in (clean_html, clean_markdown, clean_plain):
        _assert_clean(clean(soup))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_arbitrary_unicode_comes_out_without_tags_or_entities(raw: str) -> None:
    for clean in (clean_html, clean_markdown, clean_plain):
        _assert_clean(clean(raw))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aAbBcC01 \n\n.,!?'\"“”-:"))))
def test_cleaning_prose_twice_changes_nothing(raw: str) -> None:
    for clean in (clean_markdown, clean_plain):
        once = clean(raw)
        assert clean(once) == once


def test_linkedin_mid_sentence_is_not_a_lost_heading() -> None:
    body = (
        "Chief executive Nadia Frohl wrote in a post on LinkedIn that the company “should"
        " have been clearer, earlier.”\n\nThe fine was the largest of its kind."
    )
    text = clean_markdown(body)
    assert text.startswith("Chief executive Nadia Frohl wrote in a post on LinkedIn that")
