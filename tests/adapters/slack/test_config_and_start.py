"""Choosing the mode, failing loudly on bad credentials, admin lookups, and the app manifest."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
import yaml

from adapters.base import ChannelRef, DeliveryError, Reply
from adapters.slack import SlackConfig, SlackStartError
from tests.fakes.slack import Failure, FakeSlack

from .helpers import Recorder, adapter_for, http_config, socket_config, story

REPO = Path(__file__).resolve().parents[3]


def test_mode_follows_the_credentials() -> None:
    assert SlackConfig(bot_token="xoxb-1", app_token="xapp-1").mode == "socket"
    assert SlackConfig(bot_token="xoxb-1", signing_secret="s").mode == "http"
    assert SlackConfig(bot_token="xoxb-1").mode == "post"
    assert SlackConfig(webhook_url="https://hooks.slack.com/services/x").mode == "webhook"
    with pytest.raises(ValueError, match="SLACK_BOT_TOKEN"):
        SlackConfig()


async def test_rejected_bot_token_stops_start_with_a_fixable_message() -> None:
    async with FakeSlack() as fake:
        adapter = adapter_for(socket_config(fake, bot_token="xoxb-wrong"), Recorder())
        with pytest.raises(
            SlackStartError, match=r"SLACK_BOT_TOKEN.*invalid_auth.*OAuth & Permissions"
        ):
            await adapter.start()
        await adapter.aclose()


async def test_rejected_app_token_stops_start_instead_of_reconnecting_forever() -> None:
    async with FakeSlack() as fake:
        adapter = adapter_for(socket_config(fake, app_token="xapp-wrong"), Recorder())
        with pytest.raises(SlackStartError, match="SLACK_APP_TOKEN"):
            await adapter.start()
        await adapter.aclose()


async def test_admin_flag_comes_from_users_info_and_is_cached() -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADMIN", owner=True)
        fake.add_user("UPLAIN")
        recorder = Recorder(Reply("ok"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            for done, user in enumerate(("UADMIN", "UPLAIN", "UADMIN", "UGHOST"), start=1):
                envelope = await fake.push(
                    "slash_commands", fake.command_payload("subscribe ai", user_id=user)
                )
                await asyncio.wait_for(envelope.acked, 5)
                await fake.wait_for(lambda n=done: len(fake.responses) >= n)
        finally:
            await adapter.aclose()
    assert [c.is_admin for c in recorder.commands] == [True, False, True, False]
    assert [a["user"] for a in fake.calls_to("users.info")] == ["UADMIN", "UPLAIN", "UGHOST"]


async def test_users_info_outage_means_not_admin_and_the_command_still_runs() -> None:
    async with FakeSlack() as fake:
        fake.add_user("UADMIN", admin=True)
        fake.failures.append(Failure("users.info", status=500))
        recorder = Recorder(Reply("ok"))
        adapter = adapter_for(socket_config(fake), recorder)
        await adapter.start()
        try:
            await fake.push(
                "slash_commands", fake.command_payload("subscribe ai", user_id="UADMIN")
            )
            await fake.wait_for(lambda: len(fake.responses) == 1)
        finally:
            await adapter.aclose()
    assert recorder.commands[0].is_admin is False


def test_manifest_matches_what_the_adapter_listens_for() -> None:
    manifest = yaml.safe_load((REPO / "slack-manifest.yml").read_text(encoding="utf-8"))
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [SlackConfig(bot_token="x", app_token="y").command]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {
        "reaction_added",
        "reaction_removed",
    }
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "channels:history", "reactions:read", "users:read"} <= scopes
    # posting where the bot is not a member would work, but the history check could not
    assert "chat:write.public" not in scopes
    assert manifest["settings"]["socket_mode_enabled"] is True


async def test_http_port_in_use_is_a_clear_start_error_and_leaves_nothing_half_started() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        async with FakeSlack() as fake:
            adapter = adapter_for(http_config(fake, http_port=taken.getsockname()[1]), Recorder())
            with pytest.raises(SlackStartError, match="SLACK_HTTP_PORT"):
                await adapter.start()
            with pytest.raises(DeliveryError, match="not started"):
                await adapter.send(ChannelRef("slack", "T", "C1"), story(1), idempotency_key="k")
            await adapter.aclose()
    finally:
        taken.close()
