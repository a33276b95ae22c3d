"""End to end with the real bot core: wiring from settings, a scheduled digest landing in the
fake channel, /news answered by the core's handler, a reaction changing /news stats."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from adapters.base import ChannelRef, ReactionEvent
from adapters.discord import DiscordAdapter, DiscordConfig, DiscordWebhookAdapter
from bot.app import NewsBot
from bot.cli import cli
from bot.scheduler import DeliveryLoop
from bot.settings import Settings
from bot.storage.delivery_store import DeliveryStore
from bot.wiring import build_adapters
from bot.wiring.discord import config_from
from tests.adapters.discord.conftest import CHANNEL, GUILD
from tests.fakes.discord import EPHEMERAL, MANAGE_GUILD, TOKEN, FakeDiscord

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def _settings(tmp_path: Path, fake: FakeDiscord | None = None, **extra: object) -> Settings:
    values: dict[str, object] = {"database_url": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    if fake is not None:
        values.update(
            discord_token=TOKEN, discord_api_url=fake.api_url, discord_gateway_url=fake.gateway_url
        )
    values.update(extra)
    if "discord_token" in values:  # choosing Discord without a token is a settings error
        values["newsbot_adapters"] = ["discord"]
    return Settings(**values)  # type: ignore[arg-type]


async def _unused(_: object) -> None:
    raise AssertionError("not used")


def test_settings_map_onto_the_discord_config(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        discord_token="abc",
        discord_guild_id=5,
        discord_application_id=6,
        discord_shard_count=2,
        discord_shard_ids="1",
        discord_api_url="http://127.0.0.1:9/api/v10",
    )
    (adapter,) = build_adapters(settings, _unused, _unused)  # type: ignore[arg-type]
    assert isinstance(adapter, DiscordAdapter)
    assert adapter.config == DiscordConfig(
        token="abc",
        guild_id=5,
        application_id=6,
        shard_count=2,
        shard_ids=(1,),
        api_url="http://127.0.0.1:9/api/v10",
    )
    hook = _settings(
        tmp_path,
        discord_webhook_url="https://discord.com/api/webhooks/123456789012345678/" + "t" * 68,
    )
    (webhook,) = build_adapters(hook, _unused, _unused)  # type: ignore[arg-type]
    assert isinstance(webhook, DiscordWebhookAdapter)
    assert config_from(_settings(tmp_path)) is None


def test_an_unusable_discord_setting_stops_wiring_with_its_name(tmp_path: Path) -> None:
    from bot.wiring import WiringError

    bad = _settings(tmp_path, discord_webhook_url="https://example.com/hook")
    with pytest.raises(WiringError, match="DISCORD_WEBHOOK_URL is not a Discord webhook URL"):
        build_adapters(bad, _unused, _unused)  # type: ignore[arg-type]


def test_invite_command_prints_the_oauth_url() -> None:
    result = CliRunner().invoke(
        cli, ["discord", "invite", "--application-id", "4321"], env={"DISCORD_APPLICATION_ID": None}
    )
    assert result.exit_code == 0, result.output
    assert "client_id=4321" in result.output and "permissions=19456" in result.output
    missing = CliRunner().invoke(cli, ["discord", "invite"], env={"DISCORD_APPLICATION_ID": None})
    assert missing.exit_code != 0 and "DISCORD_APPLICATION_ID" in missing.output
    server = CliRunner().invoke(
        cli, ["discord", "invite", "--application-id", "4321", "--guild-id", "99"]
    )
    assert "guild_id=99" in server.output and "disable_guild_select=true" in server.output
    bad = CliRunner().invoke(
        cli, ["discord", "invite", "--application-id", "4321", "--guild-id", "0"]
    )
    assert bad.exit_code == 2 and "--guild-id" in bad.output


async def test_scheduled_digest_commands_and_reactions_with_the_real_core(tmp_path: Path) -> None:
    async with FakeDiscord(guilds={GUILD: [CHANNEL]}, channel_window=0.1) as fake:
        settings = _settings(tmp_path, fake)
        bot = NewsBot(settings, clock=lambda: NOW)
        await bot.open()
        await bot.ingest()
        recorded = asyncio.Event()

        async def on_reaction(event: ReactionEvent) -> None:
            await bot.handle_reaction(event)
            recorded.set()

        config = config_from(settings)
        assert config is not None
        adapter = DiscordAdapter(
            DiscordConfig(
                token=TOKEN,
                api_url=fake.api_url,
                gateway_url=fake.gateway_url,
                guild_ready_timeout=0.01,
            ),
            bot.handle_command,
            on_reaction,
            topics_provider=lambda: sorted({t for s in bot.catalog.stories for t in s.topics}),
        )
        await adapter.start()
        bot.publisher.add(adapter)
        channel = ChannelRef("discord", str(GUILD), str(CHANNEL))

        async def ask(
            sub: str, options: dict[str, str] | None = None, **kw: object
        ) -> dict[str, Any]:
            rec = await fake.invoke(sub, options, channel_id=CHANNEL, user_id=71, **kw)  # type: ignore[arg-type]
            await fake.wait_until(lambda: rec.answered)
            return rec.followups[-1] if rec.followups else rec.callbacks[-1]["data"]

        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=datetime(2026, 11, 19, tzinfo=UTC)
            )
            await DeliveryLoop(bot.ctx, {"discord": adapter}, clock=lambda: NOW).tick()
            messages = fake.channels[CHANNEL].messages
            assert (
                len(messages) >= 2
                and "stories" in messages[0]["content"]
                and not messages[0]["embeds"]
            )
            assert all(len(m["embeds"]) == 1 for m in messages[1:])
            assert fake.violations == [] and fake.unsuppressed == []

            help_answer = await ask("help")
            assert (
                "subscribe" in str(help_answer["content"]) and int(help_answer["flags"]) & EPHEMERAL
            )

            refused = await ask("subscribe", {"topics": "climate"}, permissions=0)
            assert (
                "Only channel admins" in str(refused["content"])
                and int(refused["flags"]) & EPHEMERAL
            )
            sub = await ask("subscribe", {"topics": "climate"}, permissions=MANAGE_GUILD)
            assert "climate" in str(sub["content"]).lower()
            assert not int(sub.get("flags", 0)) & EPHEMERAL  # the channel sees the change

            assert "No reactions" in str((await ask("stats"))["content"])
            await fake.react(CHANNEL, int(messages[1]["id"]), user_id=71, emoji="👍")
            await asyncio.wait_for(recorded.wait(), 5)
            after = str((await ask("stats"))["content"])
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    assert re.search(r"1 reactions? from 1 (person|people)", after)


async def test_autocomplete_topics_come_from_the_bots_catalog(tmp_path: Path) -> None:
    from bot.wiring.discord import catalog_topics

    bot = NewsBot(_settings(tmp_path), clock=lambda: NOW)
    try:
        await bot.open()
        await bot.ingest()
        provider = catalog_topics(bot.handle_command)
        assert provider is not None
        topics = list(provider())
        assert topics == sorted({t for s in bot.catalog.stories for t in s.topics}) and topics
        assert catalog_topics(_unused) is None  # type: ignore[arg-type]
    finally:
        await bot.storage.aclose()


async def test_a_channel_the_bot_cannot_post_to_is_explained_by_why_and_status(
    tmp_path: Path,
) -> None:
    from bot.cli.status import gather

    async with FakeDiscord(guilds={GUILD: [CHANNEL]}, channel_window=0.1) as fake:
        fake.forbid(CHANNEL)  # the bot lost Send Messages there
        settings = _settings(tmp_path, fake)
        bot = NewsBot(settings, clock=lambda: NOW)
        await bot.open()
        await bot.ingest()
        adapter = DiscordAdapter(
            DiscordConfig(
                token=TOKEN,
                api_url=fake.api_url,
                gateway_url=fake.gateway_url,
                guild_ready_timeout=0.01,
            ),
            bot.handle_command,
            _unused,  # type: ignore[arg-type]
        )
        await adapter.start()
        channel = ChannelRef("discord", str(GUILD), str(CHANNEL))
        try:
            await DeliveryStore(bot.storage).set_schedule(
                channel, "daily 09:00", since=datetime(2026, 11, 19, tzinfo=UTC)
            )
            await DeliveryLoop(bot.ctx, {"discord": adapter}, clock=lambda: NOW).tick()
            rec = await fake.invoke("why", channel_id=CHANNEL, user_id=71)
            await fake.wait_until(lambda: rec.answered)
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
        status = await gather(settings, NOW)
    why = rec.followups[-1]["content"] if rec.followups else rec.callbacks[-1]["data"]["content"]
    assert fake.channels[CHANNEL].messages == []
    assert "missing access" in why and "Send Messages" in why
    (failed,) = status["failed"]
    assert failed["channel"] == str(channel) and "missing access" in failed["error"]


async def test_news_digest_posts_to_the_channel_and_tells_only_the_asker(tmp_path: Path) -> None:
    async with FakeDiscord(guilds={GUILD: [CHANNEL]}, channel_window=0.1) as fake:
        bot = NewsBot(_settings(tmp_path, fake), clock=lambda: NOW)
        await bot.open()
        await bot.ingest()
        adapter = DiscordAdapter(
            DiscordConfig(
                token=TOKEN,
                api_url=fake.api_url,
                gateway_url=fake.gateway_url,
                guild_ready_timeout=0.01,
            ),
            bot.handle_command,
            _unused,  # type: ignore[arg-type]
        )
        await adapter.start()
        bot.publisher.add(adapter)
        try:
            rec = await fake.invoke("digest", channel_id=CHANNEL, user_id=71)
            await fake.wait_until(lambda: rec.answered)
        finally:
            await adapter.aclose()
            await bot.storage.aclose()
    answer = rec.followups[-1] if rec.followups else rec.callbacks[-1]["data"]
    header, *stories = fake.channels[CHANNEL].messages
    assert (
        f"Posted a digest of {len(stories)} stories" in answer["content"]
        and answer["flags"] & EPHEMERAL
    )
    assert (
        "stories" in header["content"] and stories and all(len(m["embeds"]) == 1 for m in stories)
    )
    assert fake.late == [] and fake.violations == [] and fake.unsuppressed == []
