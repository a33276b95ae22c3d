"""A digest Slack took only part of: every part is reported as soon as it is posted, parts
the bot recorded are never posted again — with a bot token and through a webhook, which
can read no history to find them itself."""

from __future__ import annotations

import pytest

from adapters.base import ChannelRef, DeliveryError, ReactionEvent
from adapters.slack import SlackConfig
from bot.feedback import apply_reaction
from bot.storage import Storage
from tests.adapters.partial_delivery import Died, recorded_parts, recording
from tests.fakes.slack import TEAM_ID, Failure, FakeSlack

from .helpers import Recorder, adapter_for, digest, socket_config

HERE = ChannelRef("slack", TEAM_ID, "C1")


async def test_webhook_retry_in_a_new_process_posts_only_the_parts_not_recorded(
    storage: Storage,
) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        config = SlackConfig(webhook_url=fake.webhook_url, min_interval=0.0, backoff_base=0.001)
        first = adapter_for(config, Recorder())
        await first.start()
        try:
            with pytest.raises(Died):
                await first.send(
                    HERE,
                    digest(3),
                    idempotency_key="d1",
                    first_attempt=True,
                    on_posted=recording(storage, "d1", die_after=2),
                )
        finally:
            await first.aclose()
        assert len(fake.webhook_posts) == 2

        second = adapter_for(config, Recorder())  # a new process: nothing in memory
        await second.start()
        try:
            posted = await second.send(
                HERE,
                digest(3),
                idempotency_key="d1",
                skip_parts=await recorded_parts(storage, "d1"),
                on_posted=recording(storage, "d1"),
            )
        finally:
            await second.aclose()
    texts = [p["text"] for p in fake.webhook_posts]
    assert len(texts) == 4 and len(set(texts)) == 4  # header and 3 stories, each once
    assert "Morning news" in texts[0]
    assert [p.part for p in posted] == [2, 3]
    assert [m.part for m in await storage.posted_parts("d1")] == [0, 1, 2, 3]


async def test_permanent_error_at_part_3_keeps_parts_0_to_2_and_a_reaction_maps_to_its_story(
    storage: Storage,
) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = adapter_for(socket_config(fake), Recorder())
        await adapter.start()
        fake.failures.append(Failure("chat.postMessage", status=200, error="is_archived", skip=3))
        try:
            with pytest.raises(DeliveryError) as failed:
                await adapter.send(
                    HERE,
                    digest(3),
                    idempotency_key="d2",
                    first_attempt=True,
                    on_posted=recording(storage, "d2"),
                )
        finally:
            await adapter.aclose()
    assert failed.value.permanent
    messages = fake.posted("C1")
    recorded = await storage.posted_parts("d2")
    assert [(m.part, m.message_id) for m in recorded] == [(i, messages[i]["ts"]) for i in range(3)]
    event = ReactionEvent(HERE, messages[1]["ts"], "U1", "thumbsup", added=True, event_id="Ev1")
    assert await apply_reaction(storage, event)
    assert [r.story_id for r in await storage.reactions(HERE)] == ["art0001abcdef"]


async def test_bot_token_retry_skips_recorded_parts_even_when_history_no_longer_shows_them(
    storage: Storage,
) -> None:
    async with FakeSlack(rate_interval=0) as fake:
        adapter = adapter_for(socket_config(fake, history_limit=1), Recorder())
        await adapter.start()
        try:
            with pytest.raises(Died):
                await adapter.send(
                    HERE,
                    digest(3),
                    idempotency_key="d3",
                    first_attempt=True,
                    on_posted=recording(storage, "d3", die_after=2),
                )
            # other messages pushed the digest's parts out of the history window Slack returns
            fake.messages["C1"].append(
                {"type": "message", "ts": "1800000000.000001", "text": "chatter"}
            )
            posted = await adapter.send(
                HERE,
                digest(3),
                idempotency_key="d3",
                skip_parts=await recorded_parts(storage, "d3"),
                on_posted=recording(storage, "d3"),
            )
            again = await adapter.send(
                HERE,
                digest(3),
                idempotency_key="d3",
                skip_parts=await recorded_parts(storage, "d3"),
            )
        finally:
            await adapter.aclose()
    parts = [m["metadata"]["event_payload"]["part"] for m in fake.posted("C1") if m.get("metadata")]
    assert parts == [0, 1, 2, 3]
    assert [p.part for p in posted] == [2, 3]
    assert again == []  # every part recorded: nothing posted, no history read
    assert fake.history_calls == 1
