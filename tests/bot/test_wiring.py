"""Which adapters ``newsbot run`` starts: console by default, configured platforms otherwise,
and a clear message — not a crash — when one cannot be built."""

from __future__ import annotations

import builtins
import logging
import sys
from typing import Any

import pytest

from adapters.base import CommandRequest, ReactionEvent, Reply
from adapters.console import ConsoleAdapter
from bot.settings import Settings
from bot.wiring import WiringError, build_adapters


async def on_command(request: CommandRequest) -> Reply:
    return Reply(text="ok")


async def on_reaction(event: ReactionEvent) -> None:
    return None


def settings(**kw: Any) -> Settings:
    return Settings(_env_file=None, **kw)  # type: ignore[call-arg]


def test_console_is_the_default_without_chat_credentials() -> None:
    (adapter,) = build_adapters(settings(), on_command, on_reaction)
    assert isinstance(adapter, ConsoleAdapter)
    assert adapter.on_command is on_command and adapter.on_reaction is on_reaction


def test_unknown_adapter_names_are_refused_at_start_up_with_the_choices() -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(
        SettingsError,
        match="unknown adapter 'telegram'; use auto or any of console, slack, discord",
    ):
        load_settings(newsbot_adapters="console,telegram")


def test_a_chosen_platform_that_is_not_configured_is_refused_before_wiring() -> None:
    from bot.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="SLACK_BOT_TOKEN"):
        load_settings(newsbot_adapters="slack,console")


@pytest.fixture
def without_discord_py(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if discord.py were not installed."""
    real_import = builtins.__import__

    def no_discord(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith(("discord", "adapters.discord")):
            raise ImportError("No module named 'discord'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "bot.wiring.discord", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_discord)


@pytest.mark.usefixtures("without_discord_py")
def test_a_missing_platform_module_is_skipped_with_a_clear_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    adapters = build_adapters(
        settings(newsbot_adapters="discord,console", discord_token="x" * 20),
        on_command,
        on_reaction,
    )
    assert [a.name for a in adapters] == ["console"]
    assert "skipping the discord adapter: not available in this install" in caplog.text


@pytest.mark.usefixtures("without_discord_py")
def test_nothing_to_start_is_an_error_saying_what_to_configure() -> None:
    with pytest.raises(WiringError, match="Set NEWSBOT_ADAPTERS=console for the terminal"):
        build_adapters(
            settings(newsbot_adapters="discord", discord_token="x" * 20), on_command, on_reaction
        )
