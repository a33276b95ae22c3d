"""The /news handler as a user meets it: every subcommand, bad arguments, permissions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.base import ChannelRef, CommandRequest, DeliveryError, Reply
from bot.app import NewsBot
from bot.commands import REGISTRY
from bot.settings import Settings
from bot.storage import Storage

from .helpers import ARTICLES, GENERAL, T0, RecordingAdapter


def make_settings(tmp_path: Path, **kw: Any) -> Settings:
    return Settings(_env_file=None, database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **kw)  # type: ignore[call-arg]


async def start_bot(settings: Settings) -> tuple[NewsBot, RecordingAdapter]:
    bot = NewsBot(settings, clock=lambda: T0)
    await bot.open()
    await bot.storage.upsert_articles(ARTICLES)
    await bot.catalog.refresh()
    adapter = RecordingAdapter()
    bot.publisher.add(adapter)
    return bot, adapter


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[tuple[NewsBot, RecordingAdapter]]:
    b, adapter = await start_bot(make_settings(tmp_path))
    yield b, adapter
    await b.storage.aclose()


def req(
    text: str,
    *,
    user: str = "ann",
    admin: bool = True,
    event_id: str | None = None,
    channel: ChannelRef = GENERAL,
) -> CommandRequest:
    return CommandRequest(
        channel=channel, user_id=user, text=text, user_name=user, is_admin=admin, event_id=event_id
    )


async def ask(b: NewsBot, text: str, **kw: Any) -> Reply:
    return await b.handle_command(req(text, **kw))


def ref_of(b: NewsBot, article_id: str) -> str:
    (story,) = [s for s in b.catalog.stories if article_id in {a.id for a in s.articles}]
    return story.ref


# help -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "help", "HELP"])
async def test_help_lists_every_subcommand_with_examples(bot: Any, text: str) -> None:
    b, _ = bot
    reply = await ask(b, text)
    assert not reply.error and reply.ephemeral
    for name, cmd in REGISTRY.items():
        assert cmd.usage in reply.text, name
    assert "/news <topic>" in reply.text
    assert "Examples:" in reply.text and "/news subscribe ai climate" in reply.text


# topic lookup -----------------------------------------------------------------------


async def test_topic_lookup_answers_privately_with_ranked_stories_and_share_hint(bot: Any) -> None:
    b, adapter = bot
    reply = await ask(b, "AI")
    titles = [s.title for s in reply.stories]
    assert reply.ephemeral and not reply.error
    assert titles == [ARTICLES[0].title, ARTICLES[1].title]  # newer first
    assert (
        reply.share_hint is not None and f"/news share {reply.stories[0].ref}" in reply.share_hint
    )
    assert adapter.sent == []  # nothing posted to the channel


async def test_topic_lookup_matches_words_in_article_text(bot: Any) -> None:
    b, _ = bot
    reply = await ask(b, "sea wall")
    assert [s.title for s in reply.stories] == [ARTICLES[2].title]


async def test_topic_lookup_with_nothing_found_says_so_kindly(bot: Any) -> None:
    b, _ = bot
    reply = await ask(b, "volcanoes")
    assert not reply.error and reply.stories == ()
    assert "No stories about “volcanoes”" in reply.text


# subscriptions and permissions --------------------------------------------------------


async def test_subscribe_normalises_topics_and_tells_the_channel(bot: Any) -> None:
    b, _ = bot
    reply = await ask(b, "subscribe AI, Climate")
    assert not reply.error and not reply.ephemeral
    assert "ai, climate" in reply.text
    again = await ask(b, "subscribe ai")
    assert "Already subscribed: ai" in again.text
    assert (await ask(b, "topics")).text == "This channel follows: ai, climate."


async def test_unsubscribe_removes_and_reports_unknown_topics(bot: Any) -> None:
    b, _ = bot
    await ask(b, "subscribe ai climate")
    reply = await ask(b, "unsubscribe climate sport")
    assert "Unsubscribed from climate" in reply.text and "Not subscribed to sport" in reply.text
    assert await b.storage.topics(GENERAL) == ["ai"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("subscribe", "name at least one topic to subscribe to"),
        ("unsubscribe", "name at least one topic to unsubscribe from"),
        ("topics extra", "`topics` takes no arguments"),
        ("digest now", "`digest` takes no arguments"),
        ("react", "give a story ref and one emoji"),
        ("react abc123", "give a story ref and one emoji"),
        ("react abc123 👍 extra", "too many arguments"),
        ("react nosuch 👍", "no current story has ref 'nosuch'"),
        ("react !! 👍", "'!!' is not a story ref"),
        ("share", "give exactly one story ref"),
        ("share a b", "share takes one ref at a time"),
        ("stats please", "`stats` takes no arguments"),
        ("subscribe " + "x" * 300, "topic 'xxxxxxxxxxxxxxxxxxxx'… is too long"),
        ("subscribe " + " ".join(f"t{i}" for i in range(30)), "30 topics at once is too many"),
    ],
)
async def test_bad_arguments_get_a_short_usage_naming_the_problem(
    bot: Any, text: str, problem: str
) -> None:
    b, _ = bot
    reply = await ask(b, text)
    assert reply.error and reply.ephemeral
    assert reply.text.startswith(problem)
    assert f"Usage: `{REGISTRY[text.split()[0]].usage}`" in reply.text
    assert "Traceback" not in reply.text


async def test_unbalanced_quotes_are_a_usage_error(bot: Any) -> None:
    b, _ = bot
    reply = await ask(b, 'subscribe "machine learning')
    assert reply.error and "unbalanced quotes" in reply.text


async def test_non_admins_cannot_change_settings_but_can_read(bot: Any) -> None:
    b, _ = bot
    denied = await ask(b, "subscribe sport", user="bob", admin=False)
    assert denied.error and "Only channel admins can use `/news subscribe`" in denied.text
    assert (await ask(b, "unsubscribe ai", user="bob", admin=False)).error
    assert await b.storage.topics(GENERAL) == []
    assert not (await ask(b, "topics", user="bob", admin=False)).error
    assert (await ask(b, "ai", user="bob", admin=False)).stories
    assert not (await ask(b, "stats", user="bob", admin=False)).error


async def test_allow_list_grants_settings_changes(tmp_path: Path) -> None:
    b, _ = await start_bot(make_settings(tmp_path, newsbot_admins=["carol", "slack:U42"]))
    try:
        assert not (await ask(b, "subscribe ai", user="carol", admin=False)).error
        slack = ChannelRef("slack", "T1", "C1")
        assert not (await ask(b, "subscribe ai", user="U42", admin=False, channel=slack)).error
        assert (await ask(b, "subscribe ai", user="dave", admin=False)).error
        # a display name is not an id: renaming yourself "carol" on Slack grants nothing
        impostor = CommandRequest(
            channel=slack, user_id="U99", user_name="carol", text="subscribe sport"
        )
        refused = await b.handle_command(impostor)
        assert refused.error and "yours is U99" in refused.text
        assert await b.storage.topics(slack) == ["ai"]
    finally:
        await b.storage.aclose()


async def test_everyone_mode_lets_anyone_change_settings(tmp_path: Path) -> None:
    b, _ = await start_bot(make_settings(tmp_path, newsbot_settings_by="everyone"))
    try:
        assert not (await ask(b, "subscribe ai", user="dave", admin=False)).error
        assert await b.storage.topics(GENERAL) == ["ai"]
    finally:
        await b.storage.aclose()


# digest -------------------------------------------------------------------------------


async def test_digest_posts_the_channels_topics_once(bot: Any) -> None:
    b, adapter = bot
    await ask(b, "subscribe climate")
    reply = await ask(b, "digest")
    assert not reply.error and "Posted a digest of 2 stories" in reply.text
    ((channel, digest, key),) = adapter.sent
    assert channel == GENERAL and key.startswith("digest:")
    assert [s.title for s in digest.stories] == [ARTICLES[2].title, ARTICLES[3].title]
    # the posted story messages are recorded, so reactions map back to stories
    assert await b.storage.posted_story_ids(GENERAL) == {s.id for s in digest.stories}
    again = await ask(b, "digest")
    assert "Nothing new on climate" in again.text and len(adapter.sent) == 1
    await ask(b, "subscribe sport")
    await ask(b, "digest")
    assert [s.title for s in adapter.sent[-1][1].stories] == [ARTICLES[4].title]  # only what is new


async def test_digest_skips_stories_the_scheduler_sent_or_queued_and_vice_versa(bot: Any) -> None:
    from bot.commands.digest import candidate_stories
    from bot.outbox import Outbox

    b, adapter = bot
    await ask(b, "subscribe climate ai")
    coast, airfield = (
        ref_story_id(b, ref_of(b, ARTICLES[2].id)),
        ref_story_id(b, ref_of(b, ARTICLES[3].id)),
    )
    # an alert for the sea wall story is queued (not yet posted) by scheduled delivery
    outbox = Outbox(b.storage, clock=lambda: T0)
    assert await outbox.add_alert(await b.storage.channel_id(GENERAL), coast)
    await ask(b, "digest")
    posted = {s.id for s in adapter.sent[-1][1].stories}
    assert coast not in posted and airfield in posted
    # and what the manual digest posted is no candidate for the next scheduled one
    _, candidates = await candidate_stories(b.ctx, GENERAL)
    assert not posted & {s.id for s in candidates}


async def test_a_posted_story_is_not_posted_again_when_an_earlier_dated_rewrite_arrives(
    bot: Any,
) -> None:
    import dataclasses
    from datetime import timedelta

    b, adapter = bot
    await ask(b, "subscribe climate")
    await ask(b, "digest")
    early = dataclasses.replace(
        ARTICLES[2],
        id="c0slowfeed00001",
        url="https://slow.example.com/sea-wall",
        source="slow.example.com",
        published=ARTICLES[2].published - timedelta(hours=1),
    )
    await b.storage.upsert_articles([early])
    await b.catalog.refresh()
    again = await ask(b, "digest")
    assert "Nothing new on climate" in again.text and len(adapter.sent) == 1


async def test_digest_without_topics_covers_everything_and_says_how_to_narrow(bot: Any) -> None:
    b, adapter = bot
    reply = await ask(b, "digest")
    assert "no topics yet" in reply.text
    assert len(adapter.sent[0][1].stories) == b.settings.newsbot_digest_size


async def test_digest_delivery_failure_is_reported(bot: Any) -> None:
    b, adapter = bot
    adapter.fail = DeliveryError("channel_not_found", permanent=True)
    reply = await ask(b, "digest")
    assert reply.error and "channel_not_found" in reply.text
    assert await b.storage.posted_story_ids(GENERAL) == set()


# share, react, stats --------------------------------------------------------------------


async def test_share_posts_the_story_to_the_channel(bot: Any) -> None:
    b, adapter = bot
    ref = ref_of(b, ARTICLES[3].id)
    reply = await ask(b, f"share {ref}")
    assert not reply.error and ARTICLES[3].title in reply.text
    assert adapter.posted_story_ids() == [ref_story_id(b, ref)]


async def test_manual_posts_use_fresh_keys_and_promise_a_first_attempt(bot: Any) -> None:
    # a fresh key lets Slack skip its history look-up; a reused one would make it skip a real post
    b, adapter = bot
    ref = ref_of(b, ARTICLES[3].id)
    await ask(b, f"share {ref}")
    await ask(b, f"share {ref}")
    await ask(b, "digest")
    keys = [key for _, _, key in adapter.sent]
    assert len(adapter.sent) == 3 and len(set(keys)) == 3
    assert adapter.first_attempts == [True, True, True]


def ref_story_id(b: NewsBot, ref: str) -> str:
    (story,) = b.catalog.by_ref(ref)
    return story.id


async def test_react_records_feedback_that_stats_explains(bot: Any) -> None:
    b, _ = bot
    ai_ref, sport_ref = ref_of(b, ARTICLES[0].id), ref_of(b, ARTICLES[4].id)
    up = await ask(b, f"react {ai_ref} 👍")
    assert not up.error and "counts for it" in up.text
    down = await ask(
        b, f"react {sport_ref} :sleeping:", user="bob", admin=False
    )  # reading-level: open to all
    assert "counts against it" in down.text
    odd = await ask(b, f"react {ai_ref} 🦄")
    assert "kept but neutral" in odd.text
    stats = await ask(b, "stats")
    assert "3 reactions from 2 people" in stats.text
    assert f"[{ai_ref}] {ARTICLES[0].title}" in stats.text
    assert "ai +1.0 (rank +0.10)" in stats.text and "sport −1.0 (rank −0.10)" in stats.text
    assert "robots.example.com +1.0" in stats.text
    assert "up to +0.3" in stats.text and "👍" in stats.text


async def test_a_channels_reactions_reorder_its_own_digests_only(bot: Any) -> None:
    b, adapter = bot
    other = ChannelRef("console", "local", "elsewhere")
    coast, solar = ref_of(b, ARTICLES[2].id), ref_of(b, ARTICLES[3].id)
    # (the lookup puts solar first: its headline names a climate keyword; digests go by date)
    assert {s.ref for s in (await ask(b, "climate")).stories} == {coast, solar}
    await ask(b, f"react {solar} 👍", user="ann")
    await ask(b, f"react {coast} 👎", user="bob")
    for channel in (GENERAL, other):
        await ask(b, "subscribe climate", channel=channel)
        await ask(b, "digest", channel=channel)
    here, there = (tuple(s.ref for s in content.stories) for _, content, _ in adapter.sent)
    assert here == (solar, coast)
    assert there == (coast, solar)  # feedback given in #general does not steer #elsewhere


async def test_stats_with_no_reactions_explains_how_to_start(bot: Any) -> None:
    b, _ = bot
    reply = await ask(b, "stats")
    assert "No reactions in this channel yet" in reply.text and "/news react" in reply.text


async def test_a_retried_command_event_is_handled_once(bot: Any) -> None:
    b, adapter = bot
    first = await ask(b, "digest", event_id="Ev1")
    second = await ask(b, "digest", event_id="Ev1")
    assert "Posted a digest" in first.text and second.text == "Already handled that command."
    assert len(adapter.sent) == 1


async def test_a_redelivery_arriving_while_the_first_still_posts_does_not_post_again(
    bot: Any,
) -> None:
    import asyncio

    b, adapter = bot
    posting, release = asyncio.Event(), asyncio.Event()
    send = adapter.send

    async def slow_send(*args: Any, **kw: Any) -> Any:
        posting.set()
        await release.wait()  # the platform retries because we have not answered yet
        return await send(*args, **kw)

    adapter.send = slow_send  # type: ignore[method-assign]
    first = asyncio.create_task(ask(b, "digest", event_id="Ev2"))
    await asyncio.wait_for(posting.wait(), 10)
    retry = await asyncio.wait_for(ask(b, "digest", event_id="Ev2"), 10)
    release.set()
    assert "Posted a digest" in (await first).text
    assert retry.text == "Already handled that command."
    assert len(adapter.sent) == 1


async def test_two_people_asking_for_a_digest_at_once_get_one_post(bot: Any) -> None:
    import asyncio

    b, adapter = bot
    send = adapter.send

    async def slow_send(*args: Any, **kw: Any) -> Any:
        await asyncio.sleep(0)  # let the other request run while this one is posting
        await asyncio.sleep(0)
        return await send(*args, **kw)

    adapter.send = slow_send  # type: ignore[method-assign]
    first, second = await asyncio.gather(ask(b, "digest", user="ann"), ask(b, "digest", user="bob"))
    assert len(adapter.sent) == 1
    assert sorted(r.text.split(" ")[0] for r in (first, second)) == ["Nothing", "Posted"]


async def test_an_internal_failure_is_a_short_message_not_a_traceback(
    bot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    b, _ = bot

    async def broken(*_a: object, **_k: object) -> list[str]:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(Storage, "topics", broken)
    reply = await ask(b, "topics")
    assert reply.error and "something went wrong" in reply.text
    assert "database on fire" not in reply.text and "Traceback" not in reply.text
