"""Socket Mode end to end: the real slack_bolt client against the fake Slack websocket."""

from __future__ import annotations

import asyncio

import pytest

from adapters.base import ChannelRef, Reply
from tests.fakes.slack import BOT_USER_ID, TEAM_ID, FakeSlack

from .helpers import Recorder, adapter_for, socket_config, story


async def test_slash_command_is_acked_then_answered_ephemerally_through_response_url() -> None:
    async with FakeSlack() as fake:
        fake.add_user("U1", admin=True)
        recorder = Recorder(Reply("Subscribed this channel to *ai*", ephemeral=True))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            envelope = await fake.push(
                "slash_commands", fake.command_payload("subscribe ai", user_id="U1")
            )
            await asyncio.wait_for(envelope.acked, 5)
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    request = recorder.commands[0]
    assert request.text == "subscribe ai"
    assert request.channel == ChannelRef("slack", TEAM_ID, "C1")
    assert request.is_admin is True
    assert request.user_id == "U1"
    response = fake.responses[0]
    assert response["response_type"] == "ephemeral"
    assert "Subscribed this channel to *ai*" in response["blocks"][0]["text"]["text"]


async def test_ack_does_not_wait_for_a_slow_handler() -> None:
    release = asyncio.Event()
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("done"), block=release)
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            envelope = await fake.push("slash_commands", fake.command_payload("ai"))
            await asyncio.wait_for(envelope.acked, 2)  # acked while the handler is still blocked
            assert fake.responses == []
            release.set()
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()


async def test_public_reply_with_stories_goes_in_channel() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("Top AI news", stories=(story(1), story(2)), ephemeral=False))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            await fake.push("slash_commands", fake.command_payload("ai"))
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    response = fake.responses[0]
    assert response["response_type"] == "in_channel"
    text = str(response["blocks"])
    assert "City council approves river bridge plan 1" in text and "plan 2" in text


async def test_handler_crash_becomes_a_short_apology_not_silence() -> None:
    async with FakeSlack() as fake:

        async def broken(_request):  # type: ignore[no-untyped-def]
            raise RuntimeError("database is down")

        recorder = Recorder()
        adapter = adapter_for(socket_config(fake), recorder)
        adapter.on_command = broken
        await adapter.start()
        try:
            await fake.push("slash_commands", fake.command_payload("stats"))
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    assert "try again" in fake.responses[0]["text"]
    assert "database" not in fake.responses[0]["text"]
    assert fake.responses[0]["response_type"] == "ephemeral"


async def test_reaction_on_our_message_is_passed_once_even_when_slack_retries() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder()
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            payload = fake.reaction_payload(
                ts="1700000001.000001", reaction="+1::skin-tone-3", event_id="Ev1"
            )
            first = await fake.push("events_api", payload)
            retry = await fake.push("events_api", payload, retry_attempt=1)
            await asyncio.wait_for(asyncio.gather(first.acked, retry.acked), 5)
            await recorder.wait(lambda: len(recorder.reactions) >= 1)
            removed = await fake.push(
                "events_api", fake.reaction_payload(ts="1700000001.000001", added=False)
            )
            await asyncio.wait_for(removed.acked, 5)
            await recorder.wait(lambda: len(recorder.reactions) >= 2)
        finally:
            await adapter.aclose()
    first_event, removal = recorder.reactions
    assert (first_event.message_id, first_event.emoji, first_event.added) == (
        "1700000001.000001",
        "+1",
        True,
    )
    assert first_event.channel.channel == "C1" and first_event.event_id == "Ev1"
    assert removal.added is False
    assert len(recorder.reactions) == 2  # the retry of Ev1 was not applied


async def test_reactions_on_other_messages_and_our_own_are_ignored() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder()
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            others = fake.reaction_payload(ts="1.1", item_user="USOMEONE")
            ours = fake.reaction_payload(ts="1.2", user=BOT_USER_ID)
            counted = fake.reaction_payload(ts="1.3")
            for payload in (others, ours, counted):
                envelope = await fake.push("events_api", payload)
                await asyncio.wait_for(envelope.acked, 5)
            await recorder.wait(lambda: len(recorder.reactions) >= 1)
        finally:
            await adapter.aclose()
    assert [r.message_id for r in recorder.reactions] == ["1.3"]


async def test_redelivered_slash_command_runs_once() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("subscribed"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            payload = fake.command_payload("subscribe ai")
            first = await fake.push("slash_commands", payload)
            again = await fake.push("slash_commands", payload, retry_attempt=1)
            await asyncio.wait_for(asyncio.gather(first.acked, again.acked), 5)
            other = await fake.push("slash_commands", fake.command_payload("stats"))
            await asyncio.wait_for(other.acked, 5)
            await fake.wait_for(lambda: len(fake.responses) >= 2)
        finally:
            await adapter.aclose()
    assert sorted(c.text for c in recorder.commands) == ["stats", "subscribe ai"]


@pytest.mark.parametrize("refresh_requested", [False, True], ids=["dropped", "refresh_requested"])
async def test_commands_are_answered_again_after_slack_drops_the_websocket(
    refresh_requested: bool,
) -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("still here"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            await fake.wait_connected()
            await fake.drop_connections(refresh_requested=refresh_requested)
            # slack_sdk asks apps.connections.open for a new URL and reconnects by itself
            await fake.wait_for(lambda: fake.connections >= 2 and len(fake._sockets) == 1, within=5)
            envelope = await fake.push("slash_commands", fake.command_payload("stats"))
            await asyncio.wait_for(envelope.acked, 5)
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    assert [c.text for c in recorder.commands] == ["stats"]
    assert "still here" in fake.responses[0]["text"]
    assert len(fake.calls_to("apps.connections.open")) >= 2


async def test_a_burst_of_commands_right_after_start_costs_no_extra_auth_test_calls() -> None:
    async with FakeSlack() as fake:
        recorder = Recorder(Reply("ok"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            await asyncio.gather(
                *(fake.push("slash_commands", fake.command_payload(f"t{i}")) for i in range(20))
            )
            await fake.wait_for(lambda: len(fake.responses) == 20)
        finally:
            await adapter.aclose()
    # auth.test is rate-limited on real Slack; bolt would otherwise call it once per early event
    assert len(fake.calls_to("auth.test")) == 1
