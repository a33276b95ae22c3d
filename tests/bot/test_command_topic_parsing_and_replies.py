"""/news details a newcomer trips over: multi-word and plural topics, notes, one usage line,
private no-op answers, singular counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.commands import REGISTRY

from .helpers import GENERAL
from .test_commands import ask, bot, make_settings, start_bot  # noqa: F401  (bot is a fixture)


async def test_a_quoted_multi_word_topic_is_one_topic(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    reply = await ask(b, 'subscribe "Machine Learning" ai')
    assert not reply.error
    assert await b.storage.topics(GENERAL) == ["ai", "machine-learning"]


async def test_unquoted_words_are_separate_topics(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    await ask(b, "subscribe machine learning")
    assert await b.storage.topics(GENERAL) == ["learning", "machine"]


async def test_usage_and_help_say_multi_word_topics_are_quoted(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    assert '"machine learning"' in REGISTRY["subscribe"].usage
    assert REGISTRY["subscribe"].usage in (await ask(b, "help")).text


async def test_an_unbalanced_quote_shows_the_subcommands_usage(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    reply = await ask(b, 'subscribe "machine learning ai')
    assert reply.error and reply.ephemeral
    assert reply.text.startswith("unbalanced quotes")
    assert f"Usage: `{REGISTRY['subscribe'].usage}`" in reply.text
    assert await b.storage.topics(GENERAL) == []


async def test_plural_spellings_fold_into_the_topic_in_use(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    await ask(b, "subscribe AIs LLMs robot")  # "robot" is the keyword topic robotics
    assert await b.storage.topics(GENERAL) == ["ai", "llm", "robotics"]
    again = await ask(b, "subscribe ais Robotic")
    assert "Already subscribed: ai, robotics" in again.text
    gone = await ask(b, "unsubscribe AIs")
    assert "Unsubscribed from ai" in gone.text
    assert await b.storage.topics(GENERAL) == ["llm", "robotics"]


async def test_an_unknown_plural_still_matches_its_singular_subscription(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    await ask(b, "subscribe widgets")
    reply = await ask(b, "subscribe widget")
    assert "Already subscribed: widgets" in reply.text
    assert await b.storage.topics(GENERAL) == ["widgets"]


async def test_subscribing_to_a_topic_without_stories_says_they_will_come(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    reply = await ask(b, "subscribe zzzqqq ai")
    assert "No stories on zzzqqq yet; they will come when they arrive." in reply.text
    assert "No stories on ai" not in reply.text and "No stories on zzzqqq, ai" not in reply.text
    assert await b.storage.topics(GENERAL) == ["ai", "zzzqqq"]  # subscribed all the same


async def test_a_topic_with_stories_gets_no_such_note(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    assert "No stories" not in (await ask(b, "subscribe climate")).text


async def test_a_no_op_subscription_change_answers_only_the_asker(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    missing = await ask(b, "unsubscribe nosuchtopic")
    assert missing.ephemeral and "Not subscribed to nosuchtopic." in missing.text
    await ask(b, "subscribe ai")
    assert (await ask(b, "subscribe ai")).ephemeral
    removed = await ask(b, "unsubscribe ai nosuchtopic")  # a real change: the channel sees it
    assert not removed.ephemeral and "Unsubscribed from ai." in removed.text


async def test_a_bad_schedule_shows_the_usage_once(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    reply = await ask(b, "schedule hourly")
    assert reply.error and reply.text.startswith("unknown schedule 'hourly'")
    assert reply.text.lower().count("usage") == 1
    assert f"Usage: `{REGISTRY['schedule'].usage}`" in reply.text


async def test_topic_lookup_counts_one_story_in_the_singular(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    reply = await ask(b, "robots")
    assert len(reply.stories) == 1
    assert reply.text == "1 story on “robots”:"


async def test_topic_lookup_says_top_n_of_m_only_when_it_cut_the_list(tmp_path: Path) -> None:
    b, _ = await start_bot(make_settings(tmp_path, newsbot_digest_size=1))
    try:
        assert (await ask(b, "ai")).text == "Top 1 of 2 stories on “ai”:"
    finally:
        await b.storage.aclose()


async def test_unquoted_words_that_name_a_topic_together_get_a_quoting_hint(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    split = await ask(b, "subscribe generative AI")  # generative-ai is a known topic
    assert (
        'For "generative AI" as one topic, quote it: `/news subscribe "generative AI"`.'
        in split.text
    )
    assert "quote it" not in (await ask(b, "subscribe zzzqqq ai")).text


async def test_no_quoting_hint_for_comma_lists_or_already_quoted_topics(bot: Any) -> None:  # noqa: F811
    b, _ = bot
    assert "quote it" not in (await ask(b, "subscribe generative, ai")).text
    assert "quote it" not in (await ask(b, 'subscribe "generative AI" climate')).text
