"""Delivery-only webhook mode, the invite URL, endpoint overrides, config errors, sharding."""

from __future__ import annotations

import discord
import discord.http
import pytest

from adapters.base import ChannelRef, DeliveryError
from adapters.discord import (
    DiscordConfig,
    DiscordConfigError,
    DiscordWebhookAdapter,
    create_adapter,
    invite_url,
)
from adapters.discord.endpoints import apply_endpoints
from tests.adapters.discord.conftest import (
    CHANNEL,
    GUILD,
    Recorder,
    config_for,
    connected,
    make_digest,
)
from tests.fakes.discord import TOKEN, FakeDiscord

WEBHOOK_ID = 123456789012345678
WEBHOOK_TOKEN = "T" * 68


async def test_webhook_mode_posts_the_digest_to_the_webhook_channel(
    fake: FakeDiscord, recorder: Recorder
) -> None:
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


async def test_webhook_for_a_deleted_channel_hook_is_permanent(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    url = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"  # never registered
    adapter = DiscordWebhookAdapter(
        DiscordConfig(webhook_url=url, api_url=fake.api_url),
        recorder.on_command,
        recorder.on_reaction,
    )
    try:
        with pytest.raises(DeliveryError) as info:
            await adapter.send(
                ChannelRef("discord", "webhook", "x"), make_digest(1), idempotency_key="k"
            )
    finally:
        await adapter.aclose()
    assert info.value.permanent
    assert "update DISCORD_WEBHOOK_URL" in info.value.reason


async def test_webhook_errors_never_show_the_webhook_token(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    url = fake.add_webhook(WEBHOOK_ID, WEBHOOK_TOKEN, CHANNEL)
    adapter = DiscordWebhookAdapter(
        DiscordConfig(webhook_url=url, api_url=fake.api_url),
        recorder.on_command,
        recorder.on_reaction,
    )
    # an error body that echoes the request URL, token included
    fake.force(
        400,
        when=lambda m, p: m == "POST" and p.startswith("/webhooks/"),
        message=f"bad request to {url}",
    )
    try:
        with pytest.raises(DeliveryError) as info:
            await adapter.send(
                ChannelRef("discord", "webhook", "x"), make_digest(1), idempotency_key="k"
            )
    finally:
        await adapter.aclose()
    assert "bad request to" in info.value.reason and "<webhook token>" in info.value.reason
    assert WEBHOOK_TOKEN not in info.value.reason
    assert WEBHOOK_TOKEN not in repr(adapter.config) and TOKEN not in repr(config_for(fake))


async def test_webhook_retry_posts_only_the_missing_messages(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    url = fake.add_webhook(WEBHOOK_ID, WEBHOOK_TOKEN, CHANNEL)
    adapter = DiscordWebhookAdapter(
        DiscordConfig(webhook_url=url, api_url=fake.api_url),
        recorder.on_command,
        recorder.on_reaction,
    )
    ref = ChannelRef("discord", "webhook", "x")
    # any failure on the third message (not a 5xx: discord.py retries those itself, sleeping)
    fake.force(
        400,
        when=lambda m, p: p.startswith("/webhooks/") and len(fake.channels[CHANNEL].messages) == 2,
    )
    try:
        with pytest.raises(DeliveryError):
            await adapter.send(ref, make_digest(3), idempotency_key="digest:w2")
        assert len(fake.channels[CHANNEL].messages) == 2
        posted = await adapter.send(ref, make_digest(3), idempotency_key="digest:w2")
    finally:
        await adapter.aclose()
    assert [m["id"] for m in fake.channels[CHANNEL].messages] == [p.message_id for p in posted]
    assert len(posted) == 4


@pytest.mark.parametrize(
    "url", ["https://example.com/hook", "https://discord.com/api/webhooks/123/short"]
)
def test_webhook_url_that_is_not_discord_says_where_to_copy_it(url: str) -> None:
    with pytest.raises(DiscordConfigError, match="Copy Webhook URL"):
        DiscordConfig(webhook_url=url)


def test_invite_url_has_both_scopes_and_exactly_the_needed_permissions() -> None:
    url = invite_url(1234)
    expected = (1 << 10) | (1 << 11) | (1 << 14)  # view channel, send messages, embed links
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


def test_config_refuses_an_answer_budget_past_discords_deadline() -> None:
    with pytest.raises(DiscordConfigError, match="3 seconds"):
        DiscordConfig(token="t", defer_after=3.0)


async def test_shards_follow_discords_recommendation_on_the_configured_gateway(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_identify_pause(
        self: object, shard_id: int | None, *, initial: bool = False
    ) -> None:
        return None  # discord.py waits 5 s between shard IDENTIFYs, as Discord requires

    monkeypatch.setattr(discord.AutoShardedClient, "before_identify_hook", no_identify_pause)
    # Discord recommends two shards (a bot in many guilds); one guild lives on each
    guild_on_1 = (1 << 22) | 5
    guilds = {GUILD: [CHANNEL], guild_on_1: [CHANNEL + 10]}
    async with FakeDiscord(guilds=guilds, recommended_shards=2) as fake:
        async with connected(fake, recorder):
            assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(0, 2), (1, 2)]
            rec = await fake.invoke("help", channel_id=CHANNEL + 10)
            await fake.wait_until(lambda: rec.answered)
            assert recorder.commands[0].channel.workspace == str(guild_on_1)


async def test_sharded_client_identifies_with_its_shard(
    fake: FakeDiscord, recorder: Recorder
) -> None:
    async with connected(fake, recorder, shard_count=1, shard_ids=(0,)) as bot:
        assert isinstance(bot.client, discord.AutoShardedClient)
        assert fake.identifies[0]["shard"] == [0, 1]
        rec = await fake.invoke("help", channel_id=CHANNEL)
        await fake.wait_until(lambda: rec.answered)
        assert recorder.commands[0].channel.workspace == str(GUILD)
