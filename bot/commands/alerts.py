"""``/news alerts on|off [topic...]``: post new stories on these topics here as they arrive.

Without topics, alerts follow the channel's subscriptions. Each story is alerted
once per channel; rewrites of it from other outlets do not alert again, and the
channel's next digest does not repeat it.
"""

from __future__ import annotations

from adapters.base import CommandRequest, Reply
from bot.storage.delivery_store import DeliveryStore

from ._common import split_topics
from .context import CommandContext
from .registry import UsageError, command
from .schedule import settings_refused


async def describe(ctx: CommandContext, req: CommandRequest) -> str:
    cd = await DeliveryStore(ctx.storage).get(req.channel)
    if not cd.alerts_on:
        return "Instant alerts are off here. Turn them on: `/news alerts on ai climate`."
    if cd.alert_topics:
        return "Instant alerts are on for: " + ", ".join(cd.alert_topics) + "."
    subs = await ctx.storage.topics(req.channel)
    return (
        "Instant alerts are on for this channel's topics: " + (", ".join(subs) or "none yet") + "."
    )


@command(
    "alerts",
    usage="/news alerts [on [topic...] | off]",
    summary="post new stories on your topics here as soon as they arrive",
    examples=("/news alerts on ai", "/news alerts off"),
    order=31,
)
async def alerts(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if not args:
        return Reply(text=await describe(ctx, req))
    if not ctx.may_change_settings(req):
        return settings_refused("alerts")
    action = args[0].lower()
    store = DeliveryStore(ctx.storage)
    if action == "off":
        if len(args) > 1:
            raise UsageError("`alerts off` takes no topics; it turns all alerts off")
        await store.set_alerts(req.channel, False, (), since=ctx.now())
        return Reply(text="Instant alerts are off for this channel.", ephemeral=False)
    if action != "on":
        raise UsageError(f"expected `on` or `off`, not {args[0]!r}")
    topics = split_topics(args[1:])
    if not topics and not await ctx.storage.topics(req.channel):
        raise UsageError("name the topics to alert on, or `/news subscribe <topic>` first")
    await store.set_alerts(req.channel, True, topics, since=ctx.now())
    return Reply(text=await describe(ctx, req), ephemeral=False)
