"""Start-up validation: errors name the setting and the fix, and never echo a secret."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in list(__import__("os").environ):
        if name.startswith(("SLACK_", "DISCORD_", "NEWSBOT_", "DATABASE_URL")):
            monkeypatch.delenv(name)


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()
    assert settings.adapters == ["console"]
    assert settings.database_url.get_secret_value().startswith("sqlite+aiosqlite:///")
    assert settings.newsbot_sources  # bundled samples


def test_wrong_app_token_names_setting_and_fix_without_echoing_it(monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-good")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xoxb-very-secret-value")
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert "SLACK_APP_TOKEN must start with xapp-" in message
    assert "App-Level Tokens" in message
    assert "very-secret-value" not in message


def test_secrets_are_hidden_in_repr(monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-hide-me")
    monkeypatch.setenv("DISCORD_TOKEN", "discord-hide-me")
    settings = load_settings()
    assert "hide-me" not in repr(settings)
    assert "hide-me" not in str(settings.model_dump())


def test_lists_and_reaction_map_read_from_env(monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_SOURCES", "/srv/a, https://example.com/feed.xml")
    monkeypatch.setenv("NEWSBOT_REACTIONS", ":rocket:=+1, sleeping=-1, eyes=0")
    settings = load_settings()
    assert settings.newsbot_sources == ["/srv/a", "https://example.com/feed.xml"]
    assert settings.newsbot_reactions == {"rocket": 1, "sleeping": -1, "eyes": 0}


def test_configured_emoji_names_match_reactions_whatever_their_case(monkeypatch) -> None:
    from bot.feedback import emoji_weight

    monkeypatch.setenv("NEWSBOT_REACTIONS", ":Rocket:=+1, THUMBSDOWN=-1")
    weights = load_settings().newsbot_reactions
    assert emoji_weight(":rocket:", weights) == 1 and emoji_weight("thumbsdown", weights) == -1


def test_bad_reaction_weight_and_timezone_are_explained(monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_REACTIONS", "rocket=lots")
    monkeypatch.setenv("NEWSBOT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert "NEWSBOT_REACTIONS" in message and "'rocket'" in message
    assert "NEWSBOT_TIMEZONE" in message and "Europe/Berlin" in message


def test_configured_platforms_replace_console(monkeypatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    assert load_settings().adapters == ["slack"]
    monkeypatch.setenv("NEWSBOT_ADAPTERS", "console,slack")
    assert load_settings().adapters == ["console", "slack"]


def test_postgres_url_is_normalised_to_the_async_driver(monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://bot@db/news")
    assert load_settings().database_url.get_secret_value() == "postgresql+asyncpg://bot@db/news"
    monkeypatch.setenv("DATABASE_URL", "mysql://bot@db/news")
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        (
            "NEWSBOT_ADAPTERS",
            "telegram",
            "NEWSBOT_ADAPTERS: unknown adapter 'telegram'; use auto or any of console, slack, discord",
        ),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR"),
        (
            "NEWSBOT_DIGEST_SIZE",
            "0",
            "NEWSBOT_DIGEST_SIZE: must be stories per digest, a whole number from 1 to 25, e.g. 5",
        ),
        (
            "NEWSBOT_POLL_INTERVAL",
            "often",
            "NEWSBOT_POLL_INTERVAL: must be seconds between polls, a number above 0, e.g. 300",
        ),
        (
            "DISCORD_SHARD_IDS",
            "a,b",
            "DISCORD_SHARD_IDS: must be comma-separated shard numbers, e.g. 0,1",
        ),
    ],
)
def test_each_bad_value_is_named_with_what_to_write(monkeypatch, name, value, expected) -> None:
    monkeypatch.setenv(name, value)
    if name == "DISCORD_SHARD_IDS":
        monkeypatch.setenv("DISCORD_SHARD_COUNT", "2")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert expected in str(info.value).splitlines()[1].strip()


def test_log_level_is_case_insensitive(monkeypatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"


@pytest.mark.parametrize(
    ("adapters", "missing"), [("discord", "DISCORD_TOKEN"), ("console,slack", "SLACK_BOT_TOKEN")]
)
def test_a_chosen_platform_without_its_token_is_a_settings_error(
    monkeypatch, adapters: str, missing: str
) -> None:
    monkeypatch.setenv("NEWSBOT_ADAPTERS", adapters)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert missing in str(info.value)


def test_newsbot_run_exits_2_at_once_naming_the_missing_token(tmp_path) -> None:
    """No migrations, no ingest, no database file: the fix is named before any work."""
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DISCORD_", "NEWSBOT_", "DATABASE_URL"))
    }
    env["NEWSBOT_ADAPTERS"] = "discord"
    done = subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "DISCORD_TOKEN" in done.stderr
    assert not (tmp_path / "newsbot.db").exists()


def test_log_format_and_http_port_are_validated(monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_LOG_FORMAT", "JSON")
    monkeypatch.setenv("NEWSBOT_HTTP_PORT", "")
    settings = load_settings()
    assert settings.newsbot_log_format == "json"
    assert settings.newsbot_http_port is None
    monkeypatch.setenv("NEWSBOT_LOG_FORMAT", "xml")
    monkeypatch.setenv("NEWSBOT_HTTP_PORT", "70000")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "NEWSBOT_LOG_FORMAT: must be text or json" in str(info.value)
    assert "NEWSBOT_HTTP_PORT: must be a TCP port" in str(info.value)
