"""The one settings object, read from the environment and ``.env`` at start-up.

No other module reads ``os.environ``: they receive a :class:`Settings`. Every
validation error names the setting, says what is wrong and how to fix it, and
never echoes a secret.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SAMPLES_DIR = Path(__file__).parent / "samples"


def _default_console_history() -> str:
    """Per user, where the XDG base-directory spec keeps state: ~/.local/state/newsbot/."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return str(Path(state) / "newsbot" / "console_history")


DEFAULT_REACTIONS: dict[str, int] = {
    # positive
    "+1": 1,
    "thumbsup": 1,
    "👍": 1,
    "fire": 1,
    "🔥": 1,
    "heart": 1,
    "❤️": 1,
    "❤": 1,
    "tada": 1,
    "🎉": 1,
    "white_check_mark": 1,
    "✅": 1,
    # negative
    "-1": -1,
    "thumbsdown": -1,
    "👎": -1,
    "sleeping": -1,
    "😴": -1,
    "x": -1,
    "❌": -1,
}


KNOWN_ADAPTERS = ("auto", "console", "slack", "discord")

# What to write instead of pydantic's generic "Input should be ..." for our numbers.
HINTS: dict[str, str] = {
    "NEWSBOT_POLL_INTERVAL": "seconds between polls, a number above 0, e.g. 300",
    "NEWSBOT_DIGEST_SIZE": "stories per digest, a whole number from 1 to 25, e.g. 5",
    "NEWSBOT_SUMMARY_CHARS": "longest summary in characters, from 80 to 2000, e.g. 320",
    "NEWSBOT_MIN_SCHEDULE_MINUTES": "shortest time between a channel's digests in minutes, from 1 to 1440, e.g. 15",
    "NEWSBOT_CLAIM_LEASE_SECONDS": "seconds a delivery claim outlives its owner's last heartbeat, from 5 to 3600, e.g. 20",
    "SLACK_HTTP_PORT": "a TCP port from 1 to 65535, e.g. 3000",
    "DISCORD_GUILD_ID": "the server's numeric id (Developer Mode → right-click the server → Copy ID)",
    "DISCORD_APPLICATION_ID": "the numeric Application ID (Developer Portal → General Information)",
    "DISCORD_SHARD_COUNT": "the total number of shards, a whole number of at least 1",
    "DISCORD_SHARD_IDS": "comma-separated shard numbers, e.g. 0,1",
    "LOG_LEVEL": "one of DEBUG, INFO, WARNING, ERROR",
    "NEWSBOT_SETTINGS_BY": "admins or everyone",
    "NEWSBOT_HTTP_PORT": "a TCP port from 1 to 65535 for /healthz, /readyz and /metrics, e.g. 8080",
    "NEWSBOT_LOG_FORMAT": "text or json",
    "NEWSBOT_ALLOW_PRIVATE_URLS": "on or off",
    "NEWSBOT_FULL_TEXT": "on or off",
    "NEWSBOT_FETCH_PER_HOST": "1 or 2 requests at a time to one site",
    "NEWSBOT_FETCH_DELAY": "seconds between requests to one site, 0 to 60, e.g. 1",
    "NEWSBOT_FETCH_TIMEOUT": "seconds before a fetch gives up, above 0 and at most 120, e.g. 20",
    "NEWSBOT_PAGE_MAX_BYTES": "the largest page or feed in bytes, at least 65536, e.g. 5242880",
    "NEWSBOT_FEEDS_PER_WORKSPACE": "a whole number from 1 to 10000, e.g. 200",
    "NEWSBOT_FEED_FAILURES": "failures in a row before a channel is told, 1 to 100, e.g. 3",
}


class SettingsError(Exception):
    """Start-up configuration is wrong; the message is meant for a person."""


def _split_items(value: str) -> list[str]:
    """``a,b`` or one item per line, as people write lists in ``.env`` files."""
    return [p.strip() for p in value.replace("\n", ",").split(",") if p.strip()]


def _split_list(value: object) -> object:
    """Accept ``a,b`` or one item per line; anything else goes on to pydantic's own checks."""
    return _split_items(value) if isinstance(value, str) else value


class Settings(BaseSettings):
    """Everything configurable. ``.env.example`` documents each field."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    # storage and sources
    database_url: SecretStr = Field(default=SecretStr("sqlite+aiosqlite:///newsbot.db"))
    newsbot_sources: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: [str(SAMPLES_DIR)]
    )
    newsbot_poll_interval: float = Field(default=300.0, gt=0)
    # articles older than this many days (by their own date) are pruned and not stored; 0 = keep
    newsbot_retention_days: int = Field(default=730, ge=0)

    # feeds added from chat, and fetching other people's pages
    newsbot_allow_private_urls: bool = False
    newsbot_full_text: bool = True
    newsbot_bot_url: str = "https://github.com/newsbot/newsbot"
    newsbot_robots_ignore: Annotated[list[str], NoDecode] = Field(default_factory=list)
    newsbot_fetch_per_host: int = Field(default=2, ge=1, le=2)
    newsbot_fetch_delay: float = Field(default=1.0, ge=0, le=60)
    newsbot_fetch_timeout: float = Field(default=20.0, gt=0, le=120)
    newsbot_page_max_bytes: int = Field(default=5 * 1024 * 1024, ge=64 * 1024)
    newsbot_feeds_per_workspace: int = Field(default=200, ge=1, le=10000)
    newsbot_feed_failures: int = Field(default=3, ge=1, le=100)

    # digests
    newsbot_timezone: str = "UTC"
    newsbot_digest_size: int = Field(default=5, ge=1, le=25)
    newsbot_summary_chars: int = Field(default=320, ge=80, le=2000)
    newsbot_min_schedule_minutes: int = Field(default=15, ge=1, le=1440)

    # delivery: how long a worker's claim on a delivery outlives its last heartbeat
    newsbot_claim_lease_seconds: float = Field(default=20.0, ge=5, le=3600)

    # feedback and permissions
    newsbot_reactions: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_REACTIONS)
    )
    newsbot_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    newsbot_settings_by: Literal["admins", "everyone"] = "admins"

    # which adapters to run: auto = Slack/Discord when configured, else the console
    newsbot_adapters: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["auto"])
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    newsbot_log_format: Literal["text", "json"] = "text"
    # the console's line history file; empty: keep none
    newsbot_console_history: str = Field(default_factory=_default_console_history)

    # operations: health, readiness and Prometheus metrics over HTTP (off unless a port is set)
    newsbot_http_port: int | None = Field(default=None, ge=1, le=65535)
    newsbot_http_host: str = "127.0.0.1"

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_webhook_url: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_http_port: int = Field(default=3000, ge=1, le=65535)

    # Discord
    discord_token: SecretStr | None = None
    discord_webhook_url: SecretStr | None = None
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    discord_guild_id: int | None = None
    discord_application_id: int | None = None
    discord_shard_count: int | None = Field(default=None, ge=1)
    discord_shard_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    @field_validator("newsbot_allow_private_urls", "newsbot_full_text", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        """``on``/``off`` as well as pydantic's true/false/1/0/yes/no."""
        if isinstance(value, str) and value.strip().lower() in ("on", "off"):
            return value.strip().lower() == "on"
        return value

    @field_validator("newsbot_bot_url")
    @classmethod
    def _bot_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
            raise ValueError(
                "must be an http(s) URL saying who runs this bot (it goes in the User-Agent "
                "of every fetch), e.g. https://example.com/newsbot"
            )
        return value

    @field_validator("newsbot_robots_ignore", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        value = _split_list(value)
        if isinstance(value, list):
            return [
                str(v).lower().removeprefix("https://").removeprefix("http://").strip("/")
                for v in value
            ]
        return value

    @field_validator("newsbot_sources", "newsbot_admins", "newsbot_adapters", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("newsbot_adapters")
    @classmethod
    def _known_adapters(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a.lower() not in KNOWN_ADAPTERS]
        if unknown:
            raise ValueError(
                f"unknown adapter {unknown[0]!r}; use auto or any of console, slack, discord"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("newsbot_log_format", mode="before")
    @classmethod
    def _log_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("newsbot_http_port", mode="before")
    @classmethod
    def _optional_port(cls, value: object) -> object:
        """An empty ``NEWSBOT_HTTP_PORT=`` (as in ``.env.example``) means off."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("discord_shard_ids", mode="before")
    @classmethod
    def _int_list(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("newsbot_reactions", mode="before")
    @classmethod
    def _reactions(cls, value: object) -> object:
        """``thumbsup=+1, fire=+1, sleeping=-1``; unknown emoji are kept but neutral."""
        if not isinstance(value, str):
            return value
        mapping: dict[str, int] = {}
        for item in _split_items(value):
            name, sep, weight = item.partition("=")
            name = name.strip().strip(":")
            name = (
                name.lower() if name.isascii() else name
            )  # reactions arrive as :thumbsup:, lower-case
            if not sep or not name:
                raise ValueError(
                    f"{item!r} is not emoji=weight; write e.g. NEWSBOT_REACTIONS=thumbsup=+1,sleeping=-1"
                )
            try:
                mapping[name] = max(-1, min(1, int(weight)))
            except ValueError:
                raise ValueError(
                    f"weight of {name!r} must be +1, 0 or -1, not {weight.strip()!r}"
                ) from None
        return mapping

    @field_validator("newsbot_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r}; use an IANA name such as Europe/Berlin or UTC"
            ) from None
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if url.startswith("postgres://") or url.startswith("postgresql://"):
            url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        elif url.startswith("sqlite:///"):
            url = "sqlite+aiosqlite:///" + url[len("sqlite:///") :]
        if not (url.startswith("sqlite+aiosqlite://") or url.startswith("postgresql+asyncpg://")):
            raise ValueError(
                "must be a SQLite or PostgreSQL URL, e.g. sqlite+aiosqlite:///newsbot.db "
                "or postgresql+asyncpg://user@host/dbname"
            )
        return SecretStr(url)

    @model_validator(mode="after")
    def _tokens(self) -> Settings:
        checks = [
            (
                "slack_bot_token",
                "xoxb-",
                "install the app and copy the Bot User OAuth Token under OAuth & Permissions",
            ),
            (
                "slack_app_token",
                "xapp-",
                "create one under Basic Information → App-Level Tokens with the connections:write scope",
            ),
        ]
        for name, prefix, how in checks:
            secret: SecretStr | None = getattr(self, name)
            if secret is not None and not secret.get_secret_value().startswith(prefix):
                raise ValueError(f"{name.upper()} must start with {prefix}; {how}")
        if self.slack_app_token and not self.slack_bot_token:
            raise ValueError(
                "SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not; Socket Mode needs both "
                "(OAuth & Permissions → Bot User OAuth Token)"
            )
        if self.slack_signing_secret and not self.slack_bot_token:
            raise ValueError(
                "SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not; HTTP mode needs both"
            )
        for name in ("slack_webhook_url", "discord_webhook_url"):
            secret = getattr(self, name)
            if secret is not None and not secret.get_secret_value().startswith(
                ("https://", "http://")
            ):
                raise ValueError(f"{name.upper()} must be an https:// webhook URL")
        self._chosen_adapters_configured()
        if self.discord_shard_ids and not self.discord_shard_count:
            raise ValueError(
                "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)"
            )
        return self

    def _chosen_adapters_configured(self) -> None:
        """``NEWSBOT_ADAPTERS=discord`` without a token must fail here, before migrations and
        ingest, naming the setting to add — not minutes later as 'could not start'."""
        chosen = {a.lower() for a in self.newsbot_adapters}
        if "slack" in chosen and not self.slack_configured:
            raise ValueError(
                "NEWSBOT_ADAPTERS includes slack but SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or "
                "SLACK_SIGNING_SECRET) or SLACK_WEBHOOK_URL is not set; see README → Slack"
            )
        if "discord" in chosen and not self.discord_configured:
            raise ValueError(
                "NEWSBOT_ADAPTERS includes discord but DISCORD_TOKEN (or DISCORD_WEBHOOK_URL) is "
                "not set; Developer Portal → Bot → Reset Token, see README → Discord"
            )

    # derived views -----------------------------------------------------------------

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token or self.slack_webhook_url)

    @property
    def discord_configured(self) -> bool:
        return bool(self.discord_token or self.discord_webhook_url)

    @property
    def adapters(self) -> list[str]:
        """The adapters to start: explicit list, or auto-detected from credentials."""
        chosen = [a.lower() for a in self.newsbot_adapters if a.lower() != "auto"]
        if chosen:
            return chosen
        auto = [
            n
            for n, ok in (("slack", self.slack_configured), ("discord", self.discord_configured))
            if ok
        ]
        return auto or ["console"]

    @property
    def console_history(self) -> Path | None:
        """The console's history file, ``~`` expanded; None when turned off."""
        value = self.newsbot_console_history.strip()
        return Path(value).expanduser() if value else None

    @property
    def user_agent(self) -> str:
        """What every fetch says it is: the bot, its version and who runs it."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            ours = version("newsbot")
        except PackageNotFoundError:
            ours = "dev"
        return f"newsbot/{ours} (+{self.newsbot_bot_url})"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.newsbot_timezone)


def load_settings(**overrides: object) -> Settings:
    """Build settings or raise :class:`SettingsError` with one line per problem.

    Pydantic's own message can include the rejected input; we rebuild it from
    the field name and reason only so a mistyped token never reaches a log.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_input=False, include_url=False):
            name = str(err["loc"][0]).upper() if err["loc"] else ""
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] != "value_error" and name in HINTS:
                msg = f"must be {HINTS[name]}"
            line = f"{name}: {msg}" if name else msg
            if line not in lines:
                lines.append(line)
        raise SettingsError("invalid configuration:\n  " + "\n  ".join(lines)) from None
