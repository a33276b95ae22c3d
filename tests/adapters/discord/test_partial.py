"""A digest Discord took only part of: each part is reported the moment Discord accepted it,
and the parts the bot recorded are never posted again — even by a new process long after
Discord's nonce window, and through a webhook, which takes no nonce at all."""

from __future__ import annotations

import pytest

from adapters.base import ChannelRef, DeliveryError
from adapters.discord import DiscordAdapter, DiscordConfig, DiscordWebhookAdapter
from bot.feedback import apply_reaction
from bot.storage import Storage
from tests.adapters.discord.conftest import CHANNEL, GUILD, Recorder, config_for, make_digest
from tests.adapters.partial_delivery import Died, recorded_parts, recording
from tests.fakes.discord import FakeDiscord

HERE = ChannelRef("discord", str(GUILD), str(CHANNEL))
WEBHOOK_ID = 223456789012345678
WEBHOOK_TOKEN = "W" * 68


def _posts(fake: FakeDiscord, path: str) -> int:
    return sum(1 for r in fake.requests if r.method == "POST" and r.path.startswith(path))


async def test_takeover_after_the_nonce_window_posts_only_the_parts_not_recorded(
    fake: FakeDiscord, recorder: Recorder, storage: Storage
) -> None:
    digest = make_digest(3)
    first = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
    await first.start()
    try:
        with pytest.raises(Died):
            await first.send(
                HERE,
                digest,
                idempotency_key="digest:late",
                first_attempt=True,
                on_posted=recording(storage, "digest:late", die_after=2),
            )
    finally:
        await first.aclose()
    fake.expire_nonces()  # the other process takes over long after Discord forgot the nonces

    second = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
    await second.start()
    try:
        posted = await second.send(
            HERE,
            digest,
            idempotency_key="digest:late",
            skip_parts=await recorded_parts(storage, "digest:late"),
            on_posted=recording(storage, "digest:late"),
        )
    finally:
        await second.aclose()
    messages = fake.channels[CHANNEL].messages
    assert len(messages) == 4 and _posts(fake, f"/channels/{CHANNEL}/messages") == 4
    assert [m["embeds"][0]["title"] for m in messages[1:]] == [
        "Story number 0",
        "Story number 1",
        "Story number 2",
    ]
    assert [p.part for p in posted] == [2, 3]
    assert [m.message_id for m in await storage.posted_parts("digest:late")] == [
        m["id"] for m in messages
    ]


async def test_permanent_error_at_part_3_keeps_parts_0_to_2_and_a_reaction_maps_to_its_story(
    fake: FakeDiscord, recorder: Recorder, storage: Storage
) -> None:
    digest = make_digest(3)
    fake.force(403, when=lambda m, p: m == "POST" and len(fake.channels[CHANNEL].messages) == 3)
    bot = DiscordAdapter(config_for(fake), recorder.on_command, recorder.on_reaction)
    await bot.start()
    try:
        with pytest.raises(DeliveryError) as failed:
            await bot.send(
                HERE,
                digest,
                idempotency_key="digest:403",
                first_attempt=True,
                on_posted=recording(storage, "digest:403"),
            )
        assert failed.value.permanent
        recorded = await storage.posted_parts("digest:403")
        assert [(m.part, m.story_id) for m in recorded] == [
            (0, None),
            *((i + 1, digest.stories[i].id) for i in range(2)),
        ]

        await fake.react(CHANNEL, int(recorded[1].message_id), user_id=55, emoji="👍")
        await recorder.wait_until(lambda: len(recorder.reactions) == 1)
    finally:
        await bot.aclose()
    assert await apply_reaction(storage, recorder.reactions[0])
    assert [r.story_id for r in await storage.reactions(HERE)] == [digest.stories[0].id]


async def test_webhook_retry_in_a_new_process_posts_only_the_parts_not_recorded(
    fake: FakeDiscord, recorder: Recorder, storage: Storage
) -> None:
    url = fake.add_webhook(WEBHOOK_ID, WEBHOOK_TOKEN, CHANNEL)
    config = DiscordConfig(webhook_url=url, api_url=fake.api_url)
    where = ChannelRef("discord", "webhook", "x")
    digest = make_digest(3)
    first = DiscordWebhookAdapter(config, recorder.on_command, recorder.on_reaction)
    try:
        with pytest.raises(Died):
            await first.send(
                where,
                digest,
                idempotency_key="digest:wh",
                first_attempt=True,
                on_posted=recording(storage, "digest:wh", die_after=2),
            )
    finally:
        await first.aclose()
    second = DiscordWebhookAdapter(config, recorder.on_command, recorder.on_reaction)
    try:
        posted = await second.send(
            where,
            digest,
            idempotency_key="digest:wh",
            skip_parts=await recorded_parts(storage, "digest:wh"),
            on_posted=recording(storage, "digest:wh"),
        )
    finally:
        await second.aclose()
    messages = fake.channels[CHANNEL].messages
    assert len(messages) == 4 and _posts(fake, f"/webhooks/{WEBHOOK_ID}") == 4
    assert [p.part for p in posted] == [2, 3]
    assert [m.message_id for m in await storage.posted_parts("digest:wh")] == [
        m["id"] for m in messages
    ]
