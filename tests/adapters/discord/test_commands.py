"""``/news`` through the real discord.py: login, READY, sync, INTERACTION_CREATE answered."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest

from adapters.base import CommandRequest, Reply
from adapters.discord import DiscordAdapter, DiscordConfig, DiscordStartError
from adapters.discord.commands import DM_ANSWER, FAILURE_ANSWER, topic_choices
from tests.adapters.discord.conftest import (
    CHANNEL,
    GUILD,
    Recorder,
    config_for,
    connected,
    make_story,
)
from tests.fakes.discord import EPHEMERAL, MANAGE_CHANNELS, MANAGE_GUILD, TOKEN, FakeDiscord

SUBCOMMANDS = {
    "topic",
    "share",
    "subscribe",
    "unsubscribe",
    "topics",
    "schedule",
    "alerts",
    "digest",
    "react",
    "stats",
    "why",
    "help",
    "feed",
    "filter",
}


async def test_login_identifies_with_minimal_intents_and_syncs_news_globally(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    assert fake.connected
    (identify,) = fake.identifies
    expected = discord.Intents.none()
    expected.guilds = expected.guild_reactions = True
    assert identify["intents"] == expected.value
    assert not discord.Intents._from_value(identify["intents"]).message_content
    (news,) = fake.commands[None]
    assert news["name"] == "news"
    assert {o["name"] for o in news["options"]} == SUBCOMMANDS
    assert adapter.client.get_guild(GUILD) is not None  # GUILD_CREATE was processed


async def test_development_guild_gets_commands_instantly(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    async with connected(fake, recorder, guild_id=GUILD):
        assert [c["name"] for c in fake.commands[GUILD]] == ["news"]
        assert None not in fake.commands
        rec = await fake.invoke("topics", channel_id=CHANNEL)
        await fake.wait_until(lambda: rec.answered)
        assert recorder.commands[0].text == "topics"


async def test_rejected_token_says_how_to_fix_it(fake: FakeDiscord, recorder: Recorder) -> None:
    bot = DiscordAdapter(config_for(fake, token="wrong"), recorder.on_command, recorder.on_reaction)
    with pytest.raises(DiscordStartError, match="Reset Token"):
        await bot.start()


async def test_unreachable_api_says_which_url_failed(recorder: Recorder) -> None:
    config = DiscordConfig(
        token=TOKEN, api_url="http://127.0.0.1:9/api/v10", gateway_url="ws://127.0.0.1:9/"
    )
    bot = DiscordAdapter(config, recorder.on_command, recorder.on_reaction)
    with pytest.raises(DiscordStartError, match=r"127\.0\.0\.1:9/api/v10.*DISCORD_API_URL"):
        await bot.start()
    with pytest.raises(DiscordStartError, match="not started"):
        bot.client  # noqa: B018  (nothing left half-open)


@pytest.mark.parametrize(
    ("sub", "options", "text"),
    [
        ("topic", {"query": "ai chips"}, "ai chips"),
        ("subscribe", {"topics": "ai, climate"}, "subscribe ai, climate"),
        ("unsubscribe", {"topics": "space"}, "unsubscribe space"),
        ("topics", {}, "topics"),
        ("schedule", {"spec": 'cron "0 9 * * 1-5"'}, 'schedule cron "0 9 * * 1-5"'),
        ("schedule", {}, "schedule"),
        ("alerts", {"state": "on", "topics": "ai"}, "alerts on ai"),
        ("alerts", {"topics": "ai"}, "alerts ai"),
        ("react", {"story": "abc123", "emoji": "👍"}, "react abc123 👍"),
        # a typed custom emoji is recorded like a clicked one (name:id)
        (
            "react",
            {"story": "abc123", "emoji": "<:partyparrot:998877>"},
            "react abc123 partyparrot:998877",
        ),
        ("react", {"story": "abc123", "emoji": "<a:dance:42>"}, "react abc123 dance:42"),
        ("stats", {}, "stats"),
        ("why", {}, "why"),
        ("help", {}, "help"),
        ("share", {"story": "3f9a1c"}, "share 3f9a1c"),
        ("digest", {}, "digest"),
        (
            "feed",
            {"action": "add", "target": "https://a.example/rss ai"},
            "feed add https://a.example/rss ai",
        ),
        ("feed", {"action": "list"}, "feed list"),
        ("feed", {"action": "remove", "target": "2"}, "feed remove 2"),
        (
            "filter",
            {"action": "add", "words": 'exclude "sponsored post"'},
            'filter add exclude "sponsored post"',
        ),
        ("filter", {"action": "list"}, "filter list"),
    ],
)
async def test_each_subcommand_reaches_the_core_as_text(
    fake: FakeDiscord,
    adapter: DiscordAdapter,
    recorder: Recorder,
    sub: str,
    options: dict[str, str],
    text: str,
) -> None:
    rec = await fake.invoke(sub, options, channel_id=CHANNEL, user_id=77)
    await fake.wait_until(lambda: rec.answered)
    (request,) = recorder.commands
    assert request.text == text
    assert (request.channel.platform, request.channel.workspace, request.channel.channel) == (
        "discord",
        str(GUILD),
        str(CHANNEL),
    )
    assert request.user_id == "77"
    assert request.event_id == f"discord:interaction:{rec.id}"
    (callback,) = rec.callbacks  # a quick core answer is the interaction response: one request
    assert callback["type"] == 4 and callback["data"]["content"] == f"ok: {text}"
    assert rec.followups == []


@pytest.mark.parametrize(
    ("permissions", "admin"),
    [(0, False), (MANAGE_GUILD, True), (MANAGE_CHANNELS, True), (1 << 11, False)],
)
async def test_manage_server_or_channels_makes_an_admin(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder, permissions: int, admin: bool
) -> None:
    rec = await fake.invoke(
        "subscribe", {"topics": "ai"}, channel_id=CHANNEL, permissions=permissions
    )
    await fake.wait_until(lambda: rec.answered)
    assert recorder.commands[0].is_admin is admin


async def test_quick_private_answer_is_the_interaction_response_itself(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    rec = await fake.invoke("topics", channel_id=CHANNEL)
    await fake.wait_until(lambda: rec.answered)
    (callback,) = rec.callbacks
    assert callback["type"] == 4
    assert callback["data"]["content"] == "ok: topics"
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    assert rec.followups == [] and not rec.deleted_original


async def test_the_fake_forgets_an_interaction_answered_too_late(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    # the check every other test relies on: a response after the deadline is refused, as Discord does
    fake.interaction_deadline = 0.0
    async with connected(fake, recorder):
        rec = await fake.invoke("help", channel_id=CHANNEL)
        await fake.wait_until(lambda: bool(fake.late))
    assert fake.late == [rec] and not rec.answered


async def test_slow_handler_is_deferred_within_the_budget_and_answered_later(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    release = asyncio.Event()

    async def slow(request: CommandRequest) -> Reply:
        await release.wait()
        return Reply(text="finally")

    recorder.reply = slow
    async with connected(fake, recorder, defer_after=0.05):
        rec = await fake.invoke("why", channel_id=CHANNEL)
        await fake.wait_until(lambda: bool(rec.callbacks))
        # the core is still working, yet Discord already has its acknowledgement
        assert rec.callbacks == [{"type": 5, "data": {"flags": EPHEMERAL}}] and not rec.followups
        release.set()
        await fake.wait_until(lambda: rec.answered)
    (followup,) = rec.followups
    assert followup["content"] == "finally" and followup["flags"] & EPHEMERAL


async def test_topic_lookup_answers_privately_with_story_embeds(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    async def lookup(request: CommandRequest) -> Reply:
        return Reply(
            text="Top stories on ai",
            stories=(make_story(1), make_story(2)),
            share_hint="/news share <ref>",
        )

    recorder.reply = lookup
    rec = await fake.invoke("topic", {"query": "ai"}, channel_id=CHANNEL)
    await fake.wait_until(lambda: rec.answered)
    (callback,) = rec.callbacks
    assert callback["data"]["flags"] & EPHEMERAL
    assert callback["data"]["content"] == "Top stories on ai\n\n/news share <ref>"
    assert [e["title"] for e in callback["data"]["embeds"]] == ["Story number 1", "Story number 2"]
    assert fake.violations == [] and fake.unsuppressed == []


async def test_a_long_answer_continues_in_followups_with_the_same_visibility(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    async def many(request: CommandRequest) -> Reply:
        return Reply(text="Top stories on ai", stories=tuple(make_story(i) for i in range(23)))

    recorder.reply = many
    rec = await fake.invoke("topic", {"query": "ai"}, channel_id=CHANNEL)
    await fake.wait_until(lambda: len(rec.followups) == 2)
    (callback,) = rec.callbacks
    assert callback["type"] == 4 and len(callback["data"]["embeds"]) == 10
    assert [len(f["embeds"]) for f in rec.followups] == [10, 3]
    assert all(f["flags"] & EPHEMERAL for f in rec.followups)
    assert fake.violations == [] and fake.unsuppressed == []


@pytest.fixture
async def deferring(fake: FakeDiscord, recorder: Recorder) -> AsyncIterator[DiscordAdapter]:
    """An adapter that defers every command (as when the core is slower than the budget)."""
    async with connected(fake, recorder, defer_after=0) as bot:
        yield bot


@pytest.mark.parametrize("defer_after", [1.5, 0])
async def test_settings_change_is_answered_publicly(
    fake: FakeDiscord, recorder: Recorder, defer_after: float
) -> None:
    async def changed(request: CommandRequest) -> Reply:
        return Reply(text="Schedule set: daily 09:00", ephemeral=False)

    recorder.reply = changed
    async with connected(fake, recorder, defer_after=defer_after):
        rec = await fake.invoke(
            "schedule", {"spec": "daily 09:00"}, channel_id=CHANNEL, permissions=MANAGE_GUILD
        )
        await fake.wait_until(lambda: rec.answered)
    if defer_after:  # a quick core: the answer is the response itself, one request
        assert [c["type"] for c in rec.callbacks] == [4] and rec.followups == []
        answer = rec.callbacks[0]["data"]
    else:  # a slow core: a public "thinking…" first, then the answer
        assert rec.callbacks == [{"type": 5}]
        (answer,) = rec.followups
    assert answer["content"] == "Schedule set: daily 09:00"
    assert not answer.get("flags", 0) & EPHEMERAL
    assert not rec.deleted_original


async def test_public_command_with_a_private_error_hides_the_public_placeholder(
    fake: FakeDiscord, deferring: DiscordAdapter, recorder: Recorder
) -> None:
    async def refuse(request: CommandRequest) -> Reply:
        return Reply(
            text="Only people who can manage this channel can change its topics", error=True
        )

    recorder.reply = refuse
    rec = await fake.invoke("subscribe", {"topics": "ai"}, channel_id=CHANNEL)
    await fake.wait_until(lambda: rec.answered)
    assert rec.deleted_original
    assert rec.followups[0]["flags"] & EPHEMERAL


@pytest.mark.parametrize("defer_after", [0, 1.5])
async def test_handler_crash_gets_a_friendly_answer(
    fake: FakeDiscord, recorder: Recorder, defer_after: float
) -> None:
    async def boom(request: CommandRequest) -> Reply:
        raise RuntimeError("database is down")

    recorder.reply = boom
    async with connected(fake, recorder, defer_after=defer_after):
        rec = await fake.invoke("stats", channel_id=CHANNEL)
        await fake.wait_until(lambda: rec.answered)
    answer = rec.followups[0] if rec.followups else rec.callbacks[0]["data"]
    assert answer["content"] == FAILURE_ANSWER and answer["flags"] & EPHEMERAL


async def test_command_in_a_dm_gets_a_helpful_answer_without_calling_the_core(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    rec = await fake.invoke("subscribe", {"topics": "ai"}, channel_id=None)
    await fake.wait_until(lambda: rec.answered)
    (callback,) = rec.callbacks
    assert callback["type"] == 4
    assert callback["data"]["content"] == DM_ANSWER
    assert callback["data"]["flags"] & EPHEMERAL
    assert recorder.commands == []


async def test_topic_autocomplete_offers_known_topics(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    rec = await fake.invoke("topic", {"query": "ai"}, channel_id=CHANNEL, focused="query")
    await fake.wait_until(lambda: bool(rec.callbacks))
    (callback,) = rec.callbacks
    assert callback["type"] == 8
    assert [c["value"] for c in callback["data"]["choices"]] == ["ai", "aircraft"]
    assert recorder.commands == []


async def test_subscribe_autocomplete_completes_the_last_topic(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    rec = await fake.invoke("subscribe", {"topics": "ai, c"}, channel_id=CHANNEL, focused="topics")
    await fake.wait_until(lambda: bool(rec.callbacks))
    assert [c["value"] for c in rec.callbacks[0]["data"]["choices"]] == [
        "ai, chips",
        "ai, climate",
        "ai, aircraft",
        "ai, space",
    ]


def test_topic_choices_are_capped_at_25_and_100_characters() -> None:
    known = [f"topic{i}" for i in range(40)] + ["x" * 120]
    choices = topic_choices(known, "")
    assert len(choices) == 25
    assert all(len(c.value) <= 100 for c in topic_choices(known, "x"))


async def test_private_command_with_a_public_answer_is_shown_to_the_channel(
    fake: FakeDiscord, deferring: DiscordAdapter, recorder: Recorder
) -> None:
    async def announce(request: CommandRequest) -> Reply:
        return Reply(text="This channel follows ai", ephemeral=False)

    recorder.reply = announce
    rec = await fake.invoke("topics", channel_id=CHANNEL)
    await fake.wait_until(lambda: rec.answered)
    assert rec.callbacks[0]["data"]["flags"] & EPHEMERAL
    assert rec.deleted_original
    (followup,) = rec.followups
    assert followup["content"] == "This channel follows ai"
    assert not followup.get("flags", 0) & EPHEMERAL
