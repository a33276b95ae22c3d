"""MESSAGE_REACTION_ADD/REMOVE on the bot's messages become feedback events, once."""

from __future__ import annotations

from adapters.base import ChannelRef
from adapters.discord import DiscordAdapter
from tests.adapters.discord.conftest import CHANNEL, GUILD, Recorder, make_story
from tests.fakes.discord import BOT_USER_ID, FakeDiscord

HERE = ChannelRef("discord", str(GUILD), str(CHANNEL))


async def _posted_story_message(adapter: DiscordAdapter) -> int:
    (posted,) = await adapter.send(HERE, make_story(1), idempotency_key="story-1")
    return int(posted.message_id)


async def test_reaction_added_and_removed_on_a_story_are_recorded(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    message_id = await _posted_story_message(adapter)
    await fake.react(CHANNEL, message_id, user_id=55, emoji="🔥")
    await fake.react(CHANNEL, message_id, user_id=55, emoji="🔥", added=False)
    await recorder.wait_until(lambda: len(recorder.reactions) == 2)
    added, removed = recorder.reactions
    assert (added.channel, added.message_id, added.user_id, added.emoji, added.added) == (
        HERE,
        str(message_id),
        "55",
        "🔥",
        True,
    )
    assert removed.added is False and removed.emoji == "🔥"


async def test_custom_emoji_is_recorded_as_name_and_id(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    message_id = await _posted_story_message(adapter)
    await fake.react(CHANNEL, message_id, emoji="partyparrot", emoji_id=998877)
    await recorder.wait_until(lambda: bool(recorder.reactions))
    assert recorder.reactions[0].emoji == "partyparrot:998877"


async def test_own_reactions_and_other_peoples_messages_are_ignored(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    message_id = await _posted_story_message(adapter)
    await fake.react(CHANNEL, message_id, user_id=BOT_USER_ID)  # the bot's own
    await fake.react(CHANNEL, 123456789, user_id=55, author_id=31337)  # someone else's message
    await fake.react(CHANNEL, message_id, user_id=56, emoji="👎")  # a real one, as a marker
    await recorder.wait_until(lambda: bool(recorder.reactions))
    assert [(r.user_id, r.emoji) for r in recorder.reactions] == [("56", "👎")]


async def test_a_repeated_add_is_applied_once_but_add_remove_add_goes_through(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    message_id = await _posted_story_message(adapter)
    for added in (True, True, False, True):
        await fake.react(CHANNEL, message_id, user_id=57, added=added)
    await fake.react(CHANNEL, message_id, user_id=58, emoji="✅")  # marker: the last event
    await recorder.wait_until(lambda: any(r.user_id == "58" for r in recorder.reactions))
    assert [r.added for r in recorder.reactions if r.user_id == "57"] == [True, False, True]


async def test_a_failing_reaction_handler_does_not_stop_later_reactions(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    calls: list[str] = []

    async def flaky(event: object) -> None:
        calls.append("x")
        if len(calls) == 1:
            raise RuntimeError("db locked")
        await Recorder.on_reaction(recorder, event)  # type: ignore[arg-type]

    adapter._on_reaction = flaky
    message_id = await _posted_story_message(adapter)
    await fake.react(CHANNEL, message_id, user_id=60)
    await fake.react(CHANNEL, message_id, user_id=61)
    await recorder.wait_until(lambda: bool(recorder.reactions))
    assert [r.user_id for r in recorder.reactions] == ["61"]
