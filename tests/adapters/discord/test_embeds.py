"""Stories and replies rendered as embeds stay inside every Discord limit."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.embeds import (
    CONTENT_MAX,
    digest_header,
    digest_messages,
    embed_length,
    reply_messages,
    shorten,
    split_text,
    story_embed,
)
from digests.models import Digest, Quote
from tests.adapters.discord.conftest import make_story
from tests.fakes.discord import embed_violations

HOSTILE = st.sampled_from(
    ["@everyone", "@here", "<@123>", "<@&123>", "[x](javascript:alert)", "**", "`", "\n", " "]
)
TEXT = st.lists(st.one_of(st.text(min_size=0, max_size=400), HOSTILE), max_size=30).map("".join)


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "The quick brown fox jumps over the lazy dog"
    short = shorten(text, 20)
    assert short == "The quick brown fox…"
    assert len(short) <= 20
    assert shorten("short", 20) == "short"


def test_split_text_prefers_paragraph_breaks_and_keeps_every_word() -> None:
    text = ("alpha " * 200).strip() + "\n\n" + ("beta " * 300).strip()
    chunks = split_text(text, CONTENT_MAX)
    assert all(len(c) <= CONTENT_MAX for c in chunks)
    assert chunks[0].split()[-1] == "alpha"
    assert " ".join(chunks).split() == text.split()


def test_story_embed_has_linked_title_quotes_outlet_date_thumbnail_and_rewrites() -> None:
    story = make_story(
        3,
        quotes=(Quote("We will ship it next year, no matter what", "Ada Lovelace", key=True),),
        others=2,
        image="https://img.example/p.jpg",
    )
    embed = story_embed(story)
    assert embed["title"] == story.title
    assert embed["url"] == story.url
    assert embed["description"] == story.summary
    assert embed["thumbnail"] == {"url": "https://img.example/p.jpg"}
    assert embed["timestamp"].startswith("2026-03-01T12:00")
    quote, also = embed["fields"]
    assert quote["name"] == "— Ada Lovelace"
    assert "We will ship it next year" in quote["value"]
    assert also["name"] == "Also covered by"
    assert "[rewrite0.example](https://rewrite0.example/3)" in also["value"]
    assert embed["footer"]["text"] == f"outlet3.example · 01 Mar 2026 · ref {story.ref}"


def test_non_web_image_and_url_are_left_out_rather_than_rejected_by_discord() -> None:
    story = make_story(1, image="/local/file.png")
    story = replace(story, primary=replace(story.primary, url="javascript:x"))
    embed = story_embed(story)
    assert "thumbnail" not in embed and "url" not in embed
    assert embed_violations({"embeds": [embed]}) == []


def test_many_rewrites_end_with_and_n_more_inside_the_field_limit() -> None:
    embed = story_embed(make_story(1, others=200))
    value = embed["fields"][-1]["value"]
    assert len(value) <= 1024
    assert value.endswith("more")


def test_digest_is_a_header_then_one_message_per_story() -> None:
    digest = Digest(title="Tech", stories=tuple(make_story(i) for i in range(3)))
    parts = digest_messages(digest)
    assert [p.story_id for p in parts] == [None, *(s.id for s in digest.stories)]
    assert "**Tech** · 3 stories" in (parts[0].content or "")
    assert all(len(p.embeds) == 1 for p in parts[1:])


def test_reply_with_many_stories_is_split_ten_embeds_per_message() -> None:
    parts = reply_messages("Top stories on ai", tuple(make_story(i) for i in range(23)))
    assert [len(p.embeds) for p in parts] == [10, 10, 3]
    assert parts[0].content == "Top stories on ai"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=TEXT,
    summary=TEXT,
    quote=TEXT,
    speaker=TEXT,
    source=TEXT,
    quotes=st.integers(0, 30),
    others=st.integers(0, 60),
)
def test_hostile_and_huge_stories_never_break_a_discord_limit(
    title: str, summary: str, quote: str, speaker: str, source: str, quotes: int, others: int
) -> None:
    base = make_story(1, title=title or "t", summary=summary * 20 or "s", others=others)
    story = replace(
        base,
        primary=replace(base.primary, source=source * 40),
        quotes=tuple(
            Quote((quote or "q") * 50, speaker * 30 or None, key=True) for _ in range(quotes)
        ),
    )
    embed = story_embed(story)
    assert embed_violations({"embeds": [embed]}) == []
    assert embed_length(embed) <= 6000
    for part in reply_messages(title * 30, (story,) * 12, share_hint=summary):
        assert embed_violations({"content": part.content, "embeds": list(part.embeds)}) == []


@given(title=TEXT)
def test_digest_header_fits_in_one_message(title: str) -> None:
    header = digest_header(Digest(title=title * 50, stories=()))
    assert 0 < len(header) <= CONTENT_MAX
