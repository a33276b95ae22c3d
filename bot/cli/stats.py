"""``newsbot stats``: reactions and feedback scores per story, topic and outlet."""

from __future__ import annotations

import click


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--channel", default=None, help="Only this channel (name or platform:workspace:channel)."
)
def command(as_json: bool, channel: str | None) -> None:
    """What each channel liked and how that weighs its digests."""
    import asyncio

    import orjson

    from bot.commands.stats import stats_text
    from bot.feedback import FeedbackScores, score_reactions
    from bot.storage import Storage, StorageError

    from ._common import settings_or_exit

    settings = settings_or_exit()

    async def go() -> list[tuple[str, FeedbackScores]]:
        storage = Storage(settings.database_url.get_secret_value())
        try:
            await storage.upgrade()
            channels = await (storage.find_channel(channel) if channel else storage.channels())
            if channel and not channels:
                raise click.ClickException(
                    f"no channel named {channel!r}; `newsbot stats` without --channel lists them all"
                )
            out = []
            for _cid, ref in channels:
                scores = score_reactions(await storage.reactions(ref), settings.newsbot_reactions)
                out.append((str(ref), scores))
            return out
        finally:
            await storage.aclose()

    try:
        results = asyncio.run(go())
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        payload = {"channels": [{"channel": name, **scores.to_dict()} for name, scores in results]}
        click.echo(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())
        return
    if not results:
        click.echo("No channels yet: the bot has not been used in any channel.")
    for name, scores in results:
        click.echo(f"== {name}")
        click.echo(stats_text(scores, settings.newsbot_reactions))
