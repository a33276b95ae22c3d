"""Discord adapter configuration: a frozen value the bot builds from its settings.

Kept here (not in ``bot``) so the adapter never imports the bot; the bot maps its
``DISCORD_*`` settings onto this in ``bot/wiring/discord.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

TopicsProvider = Callable[[], Iterable[str]]

# what discord.py's Webhook.from_url accepts
WEBHOOK_URL = re.compile(r"discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9.\-_]{60,}")


class DiscordConfigError(ValueError):
    """The Discord configuration cannot work; the message says which field and what to do."""


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    """What the Discord adapter needs to connect.

    ``token`` runs the full bot (commands, reactions, delivery); ``webhook_url``
    alone gives delivery-only mode. ``api_url``/``gateway_url`` point discord.py
    at a proxy or a fake (``https://host/api/v10``, ``wss://host/``).
    ``topics_provider`` feeds topic autocomplete; it is called on every keystroke,
    so it should return a cached list. ``defer_after``: a command the core answers
    within this many seconds gets its answer as the interaction response itself
    (one request); a slower one is deferred first, so Discord's 3-second deadline
    is always met; 0 acknowledges every command first. The token and webhook URL never appear in the repr (logs).
    """

    token: str | None = field(default=None, repr=False)
    webhook_url: str | None = field(default=None, repr=False)
    api_url: str | None = None
    gateway_url: str | None = None
    guild_id: int | None = None
    application_id: int | None = None
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()
    sync_commands: bool = True
    topics_provider: TopicsProvider | None = field(default=None, compare=False)
    # discord.py waits this long after the last GUILD_CREATE before "ready"
    guild_ready_timeout: float = 2.0
    connect_timeout: float = 60.0
    defer_after: float = 1.5

    def __post_init__(self) -> None:
        if not self.token and not self.webhook_url:
            raise DiscordConfigError(
                "Discord needs DISCORD_TOKEN (bot) or DISCORD_WEBHOOK_URL (delivery only); "
                "see `newsbot discord invite` and the README"
            )
        if self.shard_ids and not self.shard_count:
            raise DiscordConfigError(
                "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT (the total number of shards)"
            )
        bad = [s for s in self.shard_ids if self.shard_count and not 0 <= s < self.shard_count]
        if bad:
            raise DiscordConfigError(
                f"DISCORD_SHARD_IDS {bad} out of range; ids run from 0 to DISCORD_SHARD_COUNT-1"
            )
        if self.webhook_url and not WEBHOOK_URL.search(self.webhook_url):
            raise DiscordConfigError(
                "DISCORD_WEBHOOK_URL is not a Discord webhook URL; copy it from Channel settings → "
                "Integrations → Webhooks → Copy Webhook URL (https://discord.com/api/webhooks/<id>/<token>)"
            )
        if not 0 <= self.defer_after <= 2.5:
            raise DiscordConfigError(
                f"defer_after {self.defer_after} must be between 0 and 2.5 seconds: Discord drops "
                "an interaction that is not answered within 3 seconds"
            )
        if self.api_url and not self.api_url.startswith(("http://", "https://")):
            raise DiscordConfigError(
                "DISCORD_API_URL must be an http(s) URL such as https://discord.com/api/v10"
            )
        if self.gateway_url and not self.gateway_url.startswith(("ws://", "wss://")):
            raise DiscordConfigError(
                "DISCORD_GATEWAY_URL must be a ws(s) URL such as wss://gateway.discord.gg/"
            )
