"""Slack connection settings, handed in by the bot (adapters never read the environment)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SlackMode = Literal["socket", "http", "post", "webhook"]


@dataclass(frozen=True, slots=True)
class SlackConfig:
    """Everything the Slack adapter needs; secrets are plain strings here.

    The mode follows from which credentials are present: an app token means
    Socket Mode (no public URL needed), a signing secret alone means HTTP mode
    (Events API behind a load balancer), a bot token alone posts but hears nothing
    ("post"), and a webhook URL alone means delivery to that one channel only.
    ``min_interval`` is the per-channel gap between posts (Slack allows about one
    message per second per channel); tests shrink it, production keeps 1 s.
    """

    # repr=False: a logged or printed config must not leak credentials (a webhook URL is one)
    bot_token: str | None = field(default=None, repr=False)
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    webhook_url: str | None = field(default=None, repr=False)
    api_url: str = "https://slack.com/api/"
    http_host: str = "0.0.0.0"
    http_port: int = 3000
    http_path: str = "/slack/events"
    command: str = "/news"
    min_interval: float = 1.0
    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    history_limit: int = 100
    admin_cache_seconds: float = 600.0

    def __post_init__(self) -> None:
        if not (self.bot_token or self.webhook_url):
            raise ValueError(
                "SlackConfig needs SLACK_BOT_TOKEN (commands, reactions, delivery) "
                "or SLACK_WEBHOOK_URL (delivery to one channel only)"
            )
        if self.min_interval < 0 or self.max_attempts < 1:
            raise ValueError("SlackConfig.min_interval must be >= 0 and max_attempts >= 1")

    @property
    def mode(self) -> SlackMode:
        if self.bot_token and self.app_token:
            return "socket"
        if self.bot_token and self.signing_secret:
            return "http"
        if self.bot_token:
            return "post"
        return "webhook"

    @property
    def base_url(self) -> str:
        """The Web API base with the trailing slash slack_sdk expects."""
        return self.api_url if self.api_url.endswith("/") else self.api_url + "/"
