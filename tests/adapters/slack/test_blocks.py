"""Block Kit output: valid for slack_sdk, inside every Slack limit, escaped, whatever the article says."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from adapters.base import Reply
from adapters.slack.blocks import (
    MAX_BLOCKS,
    digest_header,
    digest_messages,
    reply_messages,
    story_message,
)
from adapters.slack.text import escape, fit
from digests.models import Article, Digest, Quote, Story

from .helpers import digest, story

ALLOWED_LINK = re.compile(r"<(https?://[^|<>\s]+)\|[^<>]*>")


def texts(node: Any) -> list[str]:
    """Every mrkdwn/plain text string inside blocks."""
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("type") in ("mrkdwn", "plain_text") and isinstance(node.get("text"), str):
            found.append(node["text"])
        for value in node.values():
            found += texts(value)
    elif isinstance(node, list):
        for value in node:
            found += texts(value)
    return found


def check_limits(blocks: list[dict[str, Any]]) -> None:
    """The limits Slack enforces that slack_sdk's models do not all check."""
    assert 1 <= len(blocks) <= MAX_BLOCKS
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()  # slack_sdk's own checks (types, required fields, some lengths)
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000
            if "accessory" in block:
                assert len(block["accessory"]["alt_text"]) <= 2000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(len(e["text"]) <= 2000 for e in block["elements"])


def assert_no_injection(blocks: list[dict[str, Any]], fallback: str) -> None:
    for text in [*texts(blocks), fallback]:
        stripped = ALLOWED_LINK.sub("", text)  # our own links are fine
        stripped = re.sub(r"(?m)^> ", "", stripped)  # and our own quote blocks
        assert "<" not in stripped and ">" not in stripped, text


def test_story_shows_linked_title_outlet_date_summary_quotes_also_covered_and_image() -> None:
    rich = story(1, others=2, quotes=2, image="https://img.example.org/bridge.jpg")
    message = story_message(rich)
    blocks = message.blocks
    check_limits(blocks)
    title = blocks[0]["text"]["text"]
    assert title == "*<https://example.org/news/1|City council approves river bridge plan 1>*"
    assert blocks[0]["accessory"]["image_url"] == "https://img.example.org/bridge.jpg"
    meta = " ".join(e["text"] for e in blocks[1]["elements"])
    assert "example.org" in meta and "03 Nov 2026 14:05 UTC" in meta and "art000" in meta
    assert "after a long debate" in blocks[2]["text"]["text"]
    quotes = blocks[3]["text"]["text"]
    assert "“We finally have a plan that works for number 0” — *Mayor Ana Ruiz 0*" in quotes
    assert quotes.count("\n") == 1
    also = blocks[4]["elements"][0]["text"]
    assert "<https://example.org/news/110|outlet0.com>" in also and "outlet1.com" in also
    assert "City council approves river bridge plan 1 (example.org)" in message.text
    assert (
        message.blocks_without_image is not None
        and "accessory" not in message.blocks_without_image[0]
    )


def test_story_without_url_image_quotes_or_others_stays_minimal_and_valid() -> None:
    bare = story(2, quotes=0, url=None, source=None, published=None)
    blocks = story_message(bare).blocks
    check_limits(blocks)
    assert blocks[0]["text"]["text"] == "*City council approves river bridge plan 2*"
    assert "accessory" not in blocks[0]
    assert len(blocks) == 3


def test_unsafe_image_and_link_schemes_are_dropped() -> None:
    sneaky = story(3, url="javascript:alert(1)", image="data:image/png;base64,AAAA")
    blocks = story_message(sneaky).blocks
    assert "accessory" not in blocks[0]
    assert "javascript" not in str(blocks)


def test_many_outlets_are_summarised_not_listed_past_the_limit() -> None:
    wide = story(4, others=30)
    blocks = story_message(wide).blocks
    check_limits(blocks)
    assert "and 22 more" in blocks[-1]["elements"][0]["text"]


def test_digest_header_says_title_period_and_count() -> None:
    header = digest_header(digest(3, title="AI & chips <daily>"))
    check_limits(header.blocks)
    assert header.blocks[0]["text"]["text"] == "AI &amp; chips &lt;daily&gt;"
    facts = header.blocks[1]["elements"][0]["text"]
    assert "03 Nov 00:00 – 04 Nov 00:00 2026 UTC" in facts
    assert "3 stories" in header.blocks[1]["elements"][1]["text"]
    assert len(digest_messages(digest(3))) == 4


def test_reply_with_many_stories_is_split_into_messages_within_the_block_limit() -> None:
    reply = Reply(
        "Here is everything",
        stories=tuple(story(i, others=1) for i in range(1, 21)),
        share_hint="Post to the channel with /news share",
    )
    messages = reply_messages(reply)
    assert len(messages) > 1
    for message in messages:
        check_limits(message.blocks)
    shown = " ".join(str(m.blocks) for m in messages)
    assert all(f"river bridge plan {i}>" in shown for i in range(1, 21))
    assert "/news share" in str(messages[-1].blocks[-1])


def test_error_reply_is_marked() -> None:
    (message,) = reply_messages(Reply("Unknown topic `xyz`", error=True))
    assert message.blocks[0]["text"]["text"].startswith(":warning: Unknown topic")


def test_fit_cuts_at_a_word_boundary_and_never_splits_an_entity() -> None:
    assert fit("alpha beta gamma delta", 13) == "alpha beta…"
    cut = fit("a & b & c & d & e & f", 12)
    assert len(cut) <= 12 and not re.search(r"&[a-z]*…", cut)
    assert escape("<!here> & <@U1>") == "&lt;!here&gt; &amp; &lt;@U1&gt;"


hostile_text = st.lists(
    st.sampled_from(
        [*"<>&|!@#*_~`:^ \nabcXYZé🔥", "<!channel>", "<!here>", "<@U12>", "<http://x|y>", "word "]
    ),
    max_size=800,
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=hostile_text,
    summary=hostile_text,
    quote=hostile_text,
    speaker=hostile_text,
    source=hostile_text,
    digest_title=hostile_text,
    others=st.integers(0, 15),
)
def test_any_article_text_renders_valid_escaped_blocks(
    title: str, summary: str, quote: str, speaker: str, source: str, digest_title: str, others: int
) -> None:
    primary = Article(
        id="h1",
        title=title,
        text="",
        url="https://example.org/a?x=1&y=<2>|z",
        source=source,
        image="https://example.org/i.png",
    )
    hostile = Story(
        id="h1",
        primary=primary,
        summary=summary,
        others=tuple(
            Article(
                id=f"o{i}",
                title=title,
                text="",
                url=f"https://o{i}.example/{title[:50]}",
                source=source,
            )
            for i in range(others)
        ),
        quotes=(
            Quote(quote or "x", speaker or None, key=True),
            Quote(summary or "y", None, key=True),
        ),
    )
    # a command reply may echo what a user typed (``/news subscribe <!channel>``)
    reply = Reply(digest_title, stories=(hostile,), share_hint=speaker, ephemeral=False)
    posted = [story_message(hostile), *digest_messages(Digest(digest_title, (hostile,)))]
    for message in [*posted, *reply_messages(reply)]:
        check_limits(message.blocks)
        assert_no_injection(message.blocks, message.text)
    assert all(len(message.text) <= 600 for message in posted)  # notification text stays short


def test_very_long_hostile_text_is_shortened_not_rejected() -> None:
    flood = "<!channel> & <@U1> " * 800  # ~15,000 characters, longer again once escaped
    long_story = Story(
        id="long1",
        primary=Article(
            id="long1", title=flood, text="", url="https://example.org/" + "a" * 2500, source=flood
        ),
        summary=flood,
        quotes=tuple(Quote(flood, flood, key=True) for _ in range(3)),
        others=tuple(Article(id=f"o{i}", title=flood, text="", source=flood) for i in range(12)),
    )
    for message in [story_message(long_story), digest_header(Digest(flood, (long_story,)))]:
        check_limits(message.blocks)
        assert_no_injection(message.blocks, message.text)
    summary = story_message(long_story).blocks[2]["text"]["text"]
    assert 2900 <= len(summary) <= 3000 and summary.endswith("…")
