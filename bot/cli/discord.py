"""``newsbot discord invite``: the OAuth2 link a server admin opens to add the bot."""

from __future__ import annotations

import click


@click.group("discord")
def command() -> None:
    """Discord helpers (invite link)."""


@command.command("invite")
@click.option(
    "--application-id",
    type=int,
    default=None,
    help="Your application's id (Developer Portal → General Information); "
    "defaults to DISCORD_APPLICATION_ID.",
)
@click.option(
    "--guild-id",
    type=int,
    default=None,
    help="Preselect this server (defaults to DISCORD_GUILD_ID when set).",
)
def invite(application_id: int | None, guild_id: int | None) -> None:
    """Print the invite URL: scopes bot + applications.commands, and only the permissions needed
    (View Channel, Send Messages, Embed Links)."""
    from adapters.discord.endpoints import invite_url, required_permissions

    from ._common import settings_or_exit

    settings = settings_or_exit()
    app_id = application_id or settings.discord_application_id
    if not app_id:
        raise click.UsageError(
            "no application id: pass --application-id or set DISCORD_APPLICATION_ID "
            "(Developer Portal → your application → General Information → Application ID)"
        )
    if app_id <= 0:
        raise click.BadParameter("must be a positive Discord id", param_hint="--application-id")
    if guild_id is not None and guild_id <= 0:
        raise click.BadParameter(
            "must be a positive Discord id (right-click the server → Copy Server ID)",
            param_hint="--guild-id",
        )
    url = invite_url(app_id, guild_id=guild_id or settings.discord_guild_id)
    click.echo(url)
    click.echo(f"permissions integer: {required_permissions().value}", err=True)
