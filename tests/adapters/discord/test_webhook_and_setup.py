"""Delivery-only webhook mode, the invite URL, endpoint overrides, config errors, sharding."""

from __future__ import annotations

import discord
import discord.http
import pytest

from adapters.base import ChannelRef, DeliveryError
from adapters.discord import (
    DiscordAdapter,
    DiscordConfig,
    DiscordConfigError,
    DiscordWebhookAdapter,
    create_adapter,
    invite_url,
)
from adapters.discord.endpoints import apply_endpoints
from tests.adapters.discord.conftest import CHANNEL, GUILD, Recorder, config_for, make_digest
from tests.fakes.discord import FakeDiscord

WEBHOOK_ID = 123456789012345678
WEBHOOK_TOKEN = "T" * 68


async def test_webhook_mode_posts_the_digest_to_the_webhook_channel(fake: FakeDiscord, recorder: Recorder) -> None:
    url = fake.add_webhook(WEBHOOK_ID, WEBHOOK_TOKEN, CHANNEL)
    config = DiscordConfig(webhook_url=url, api_url=fake.api_url)
    adapter = create_adapter(config, recorder.on_command, recorder.on_reaction)
    assert isinstance(adapter, DiscordWebhookAdapter)
    await adapter.start()
    try:
        ref = ChannelRef("discord", "webhook", str(WEBHOOK_ID))
        posted = await adapter.send(ref, make_digest(2), idempotency_key="digest:w")
    finally:
        await adapter.aclose()
    messages = fake.channels[CHANNEL].messages
    assert [p.message_id for p in posted] == [m["id"] for m in messages]
    assert posted[0].story_id is None and len(posted) == 3
    assert fake.unsuppressed == [] and fake.violations == []
    assert fake.identifies == []  # no gateway, no bot user


async def test_webhook_for_a_deleted_channel_hook_is_permanent(fake: FakeDiscord, recorder: Recorder) -> None:
    url = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"  # never registered
    adapter = DiscordWebhookAdapter(DiscordConfig(webhook_url=url, api_url=fake.api_url), recorder.on_command, recorder.on_reaction)
    try:
        with pytest.raises(DeliveryError) as info:
            await adapter.send(ChannelRef("discord", "webhook", "x"), make_digest(1), idempotency_key="k")
    finally:
        await adapter.aclose()
    assert info.value.permanent


async def test_webhook_url_that_is_not_discord_says_where_to_copy_it(recorder: Recorder) -> None:
    adapter = DiscordWebhookAdapter(DiscordConfig(webhook_url="https://example.com/hook"), recorder.on_command, recorder.on_reaction)
    with pytest.raises(ValueError, match="Copy Webhook URL"):
        await adapter.start()


def test_invite_url_has_both_scopes_and_exactly_the_needed_permissions() -> None:
    url = invite_url(1234)
    expected = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 6)  # view, send, embed, history, react
    assert f"permissions={expected}" in url
    assert "scope=bot+applications.commands" in url
    assert "client_id=1234" in url
    assert url.startswith("https://discord.com/oauth2/authorize?")


def test_endpoint_overrides_aim_discord_py_at_the_given_urls() -> None:
    try:
        apply_endpoints("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9/gw")
        assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/gw"
    finally:
        apply_endpoints(None, None)
    assert discord.http.Route("GET", "/x").url == "https://discord.com/api/v10/x"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"token": "t", "shard_ids": (1,)}, "DISCORD_SHARD_COUNT"),
        ({"token": "t", "shard_count": 2, "shard_ids": (2,)}, "out of range"),
        ({"token": "t", "api_url": "discord.com"}, "DISCORD_API_URL"),
        ({"token": "t", "gateway_url": "https://gateway"}, "DISCORD_GATEWAY_URL"),
    ],
)
def test_config_errors_name_the_setting(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DiscordConfigError, match=message):
        DiscordConfig(**kwargs)  # type: ignore[arg-type]


async def test_sharded_client_identifies_with_its_shard(fake: FakeDiscord, recorder: Recorder) -> None:
    bot = DiscordAdapter(config_for(fake, shard_count=1, shard_ids=(0,)), recorder.on_command, recorder.on_reaction)
    await bot.start()
    try:
        assert isinstance(bot.client, discord.AutoShardedClient)
        assert fake.identifies[0]["shard"] == [0, 1]
        rec = await fake.invoke("help", channel_id=CHANNEL)
        await fake.wait_until(lambda: rec.answered)
        assert recorder.commands[0].channel.workspace == str(GUILD)
    finally:
        await bot.aclose()
