"""Where discord.py connects, and the OAuth2 invite URL.

discord.py reads its REST base and gateway from two class attributes; setting
them here, right before connecting, is the one supported way to aim it at a
proxy or at the fake Discord our tests run. They are process-wide.
"""

from __future__ import annotations

from urllib.parse import urlencode

import discord
import discord.gateway
import discord.http
import yarl

DEFAULT_API = "https://discord.com/api/v10"
DEFAULT_GATEWAY = "wss://gateway.discord.gg/"

SCOPES = ("bot", "applications.commands")


def apply_endpoints(api_url: str | None, gateway_url: str | None) -> None:
    """Aim discord.py at ``api_url``/``gateway_url`` (or back at Discord when None)."""
    discord.http.Route.BASE = (api_url or DEFAULT_API).rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DEFAULT_GATEWAY)


def required_permissions() -> discord.Permissions:
    """Exactly what posting stories needs, nothing more.

    Reactions on the bot's messages arrive as raw gateway events with View Channel
    alone; answers to ``/news`` go through the interaction, not Send Messages; the
    nonce makes reading history unnecessary; the bot never reacts itself.
    """
    return discord.Permissions(view_channel=True, send_messages=True, embed_links=True)


def invite_url(application_id: int, *, guild_id: int | None = None) -> str:
    """The OAuth2 URL a server admin opens to add the bot with its commands."""
    if application_id <= 0:
        raise ValueError("application id must be a positive Discord snowflake")
    params: dict[str, str | int] = {
        "client_id": application_id,
        "scope": " ".join(SCOPES),
        "permissions": required_permissions().value,
    }
    if guild_id is not None:
        params["guild_id"] = guild_id
        params["disable_guild_select"] = "true"
    return "https://discord.com/oauth2/authorize?" + urlencode(params)
