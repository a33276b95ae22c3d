"""Digests and stories posted to the fake channel: once, within limits, pinging nobody."""

from __future__ import annotations

import pytest

from adapters.base import ChannelRef, DeliveryError
from adapters.discord import DiscordAdapter
from adapters.discord.delivery import nonce_for
from digests.models import Digest, Quote
from tests.adapters.discord.conftest import (
    CHANNEL,
    GUILD,
    OTHER_CHANNEL,
    Recorder,
    config_for,
    make_digest,
    make_story,
)
from tests.fakes.discord import FakeDiscord

HERE = ChannelRef("discord", str(GUILD), str(CHANNEL))


def test_nonce_is_stable_short_and_distinct_per_part() -> None:
    assert nonce_for("chan:slot-1", 0) == nonce_for("chan:slot-1", 0)
    assert len(nonce_for("x" * 500, 3)) <= 25
    assert len({nonce_for("k", i) for i in range(50)} | {nonce_for("k2", 0)}) == 51


async def test_digest_lands_as_header_plus_one_message_per_story(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    digest = make_digest(3)
    posted = await adapter.send(HERE, digest, idempotency_key="digest:9001:2026-03-01T09")
    messages = fake.channels[CHANNEL].messages
    assert [p.message_id for p in posted] == [m["id"] for m in messages]
    assert [p.story_id for p in posted] == [None, *(s.id for s in digest.stories)]
    assert "Morning digest" in messages[0]["content"]
    assert [m["embeds"][0]["title"] for m in messages[1:]] == [
        "Story number 0",
        "Story number 1",
        "Story number 2",
    ]
    assert fake.violations == []


async def test_single_story_is_one_message(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    story = make_story(
        5, quotes=(Quote("This changes everything for the industry", "Grace Hopper", key=True),)
    )
    (posted,) = await adapter.send(HERE, story, idempotency_key="alert:9001:story5")
    assert posted.story_id == story.id
    (message,) = fake.channels[CHANNEL].messages
    assert message["embeds"][0]["fields"][0]["name"] == "— Grace Hopper"


def _posts(fake: FakeDiscord) -> list[dict[str, object]]:
    return [
        r.body
        for r in fake.requests
        if r.method == "POST" and r.path == f"/channels/{CHANNEL}/messages"
    ]


async def test_resend_with_the_same_key_returns_the_existing_messages(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    digest = make_digest(2)
    first = await adapter.send(HERE, digest, idempotency_key="digest:slot-7")
    again = await adapter.send(HERE, digest, idempotency_key="digest:slot-7", first_attempt=False)
    assert again == first
    assert len(fake.channels[CHANNEL].messages) == 3
    assert len(_posts(fake)) == 3  # this process remembers what it posted: no request at all
    assert all(b["enforce_nonce"] is True and len(b["nonce"]) <= 25 for b in _posts(fake))  # type: ignore[arg-type]


async def test_resend_after_a_restart_is_answered_by_discords_nonce(
    fake: FakeDiscord, adapter: DiscordAdapter, recorder: Recorder
) -> None:
    digest = make_digest(2)
    first = await adapter.send(HERE, digest, idempotency_key="digest:slot-8")
    await adapter.aclose()
    restarted = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
    await restarted.start()
    try:
        again = await restarted.send(HERE, digest, idempotency_key="digest:slot-8")
    finally:
        await restarted.aclose()
    assert again == first
    assert len(fake.channels[CHANNEL].messages) == 3
    assert fake.nonce_hits == 3


async def test_retry_after_a_crash_mid_digest_completes_without_duplicates(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    digest = make_digest(4)
    # Discord fails the third message; the delivery is retried later with the same key
    fake.force(503, when=lambda m, p: m == "POST" and len(fake.channels[CHANNEL].messages) == 2)
    with pytest.raises(DeliveryError) as info:
        await adapter.send(HERE, digest, idempotency_key="digest:crash")
    assert not info.value.permanent
    assert len(fake.channels[CHANNEL].messages) == 2
    fake.expire_nonces()  # the retry comes after Discord's nonce window
    posted = await adapter.send(HERE, digest, idempotency_key="digest:crash")
    assert len(posted) == 5
    assert [m["id"] for m in fake.channels[CHANNEL].messages] == [p.message_id for p in posted]
    assert len(_posts(fake)) == 2 + 1 + 3  # two posted, one failed, then only the three missing


async def test_a_retry_whose_digest_lost_a_story_posts_the_new_layout(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    digest = make_digest(3)
    fake.force(503, when=lambda m, p: m == "POST" and len(fake.channels[CHANNEL].messages) == 2)
    with pytest.raises(DeliveryError):
        await adapter.send(HERE, digest, idempotency_key="digest:shrunk")
    fake.expire_nonces()
    # story 0 is gone by the retry: message 1 must now carry story 1, not reuse story 0's message
    shrunk = Digest(title=digest.title, stories=digest.stories[1:])
    posted = await adapter.send(HERE, shrunk, idempotency_key="digest:shrunk")
    assert [p.story_id for p in posted] == [None, *(s.id for s in shrunk.stories)]
    titles = {
        m["id"]: (m["embeds"] or [{}])[0].get("title") for m in fake.channels[CHANNEL].messages
    }
    assert [titles[p.message_id] for p in posted[1:]] == ["Story number 1", "Story number 2"]


async def test_a_429_is_waited_out_not_reported(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    fake.force(429, times=2, retry_after=0.01)
    posted = await adapter.send(HERE, make_digest(2), idempotency_key="digest:429")
    assert len(posted) == 3
    assert len(fake.rate_limited) == 2
    assert len(fake.channels[CHANNEL].messages) == 3


async def test_a_long_429_becomes_a_retry_later_and_other_channels_go_on(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    other = ChannelRef("discord", str(GUILD), str(OTHER_CHANNEL))
    fake.force(
        429,
        retry_after=90.0,
        when=lambda m, p: m == "POST" and p == f"/channels/{OTHER_CHANNEL}/messages",
    )
    with pytest.raises(DeliveryError, match="rate limited") as info:
        await adapter.send(other, make_story(1), idempotency_key="alert:long-429")
    assert not info.value.permanent and info.value.retry_after == pytest.approx(90.0)
    (posted,) = await adapter.send(HERE, make_story(2), idempotency_key="alert:unaffected")
    assert [m["id"] for m in fake.channels[CHANNEL].messages] == [posted.message_id]


async def test_a_global_429_is_waited_out_too(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    fake.force(429, retry_after=0.01, is_global=True)
    posted = await adapter.send(HERE, make_story(1), idempotency_key="alert:global")
    assert len(posted) == 1 and fake.rate_limited[0][2] is True


async def test_channel_bucket_is_respected_without_429s(recorder: Recorder) -> None:
    async with FakeDiscord(guilds={GUILD: [CHANNEL]}, channel_limit=2, channel_window=0.05) as fake:
        bot = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
        await bot.start()
        try:
            posted = await bot.send(HERE, make_digest(4), idempotency_key="digest:bucket")
        finally:
            await bot.aclose()
    assert len(posted) == 5
    assert (
        fake.rate_limited == []
    )  # discord.py waited for the bucket to reset instead of hitting it


async def test_missing_access_is_a_permanent_error(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    fake.forbid(OTHER_CHANNEL)
    with pytest.raises(DeliveryError, match="missing access") as info:
        await adapter.send(
            ChannelRef("discord", str(GUILD), str(OTHER_CHANNEL)),
            make_story(1),
            idempotency_key="k",
        )
    assert info.value.permanent


async def test_unknown_channel_is_a_permanent_error(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    with pytest.raises(DeliveryError, match="unknown Discord channel") as info:
        await adapter.send(
            ChannelRef("discord", str(GUILD), "424242"), make_story(1), idempotency_key="k"
        )
    assert info.value.permanent


async def test_server_errors_are_retryable(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    fake.force(503)
    with pytest.raises(DeliveryError) as info:
        await adapter.send(HERE, make_story(1), idempotency_key="k")
    assert not info.value.permanent


async def test_non_numeric_channel_is_rejected_with_a_hint(adapter: DiscordAdapter) -> None:
    with pytest.raises(DeliveryError, match="Copy Channel ID") as info:
        await adapter.send(
            ChannelRef("discord", str(GUILD), "general"), make_story(1), idempotency_key="k"
        )
    assert info.value.permanent


async def test_mentions_in_articles_never_ping(fake: FakeDiscord, adapter: DiscordAdapter) -> None:
    hostile = "@everyone @here <@123> <@&456> look"
    story = make_story(
        1, title=hostile, summary=hostile, quotes=(Quote(hostile, "<@&456>", key=True),)
    )
    await adapter.send(HERE, Digest(title=hostile, stories=(story,)), idempotency_key="hostile")
    payloads = [r.body for r in fake.requests if r.method == "POST" and "/messages" in r.path]
    assert len(payloads) == 2
    assert all(p["allowed_mentions"] == {"parse": []} for p in payloads)
    assert fake.unsuppressed == []
    assert "@everyone" in fake.channels[CHANNEL].messages[0]["content"]  # shown, but pings nobody


async def test_huge_stories_are_accepted_by_discord(
    fake: FakeDiscord, adapter: DiscordAdapter
) -> None:
    long = "word " * 3000
    story = make_story(
        1,
        title=long,
        summary=long,
        others=300,
        quotes=tuple(Quote(long, long, key=True) for _ in range(40)),
    )
    await adapter.send(HERE, Digest(title=long, stories=(story,) * 3), idempotency_key="huge")
    assert fake.violations == []
    assert len(fake.channels[CHANNEL].messages) == 4


async def test_sending_before_start_is_a_retryable_error(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    bot = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
    with pytest.raises(DeliveryError, match="not connected") as info:
        await bot.send(HERE, make_story(1), idempotency_key="k")
    assert not info.value.permanent
    await bot.aclose()
    await bot.aclose()  # safe twice
