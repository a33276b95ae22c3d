"""``/news schedule``: when this channel gets its digest, in its own timezone.

``/news schedule`` shows the schedule and the next run; ``daily 09:00 [tz]``,
``weekdays 08:30``, ``weekly mon 09:00``, ``cron "0 9 * * 1-5"`` or ``off`` set
it; ``quiet on|off`` chooses whether a day with nothing new gets a one-line note.
"""

from __future__ import annotations

import shlex
from datetime import timedelta

from adapters.base import CommandRequest, Reply
from bot.schedule import ScheduleError, next_run, parse_schedule, too_frequent
from bot.storage.delivery_store import DeliveryStore

from .context import CommandContext
from .registry import UsageError, command

USAGE = (
    "/news schedule [daily 09:00 [Europe/Berlin] | weekdays 08:30 | weekly mon 09:00 | "
    'cron "0 9 * * 1-5" | off | quiet on|off]'
)


def settings_refused(name: str) -> Reply:
    return Reply(
        text=(
            f"Only channel admins can change `/news {name}` here (or people listed in "
            f"NEWSBOT_ADMINS); anyone can see it with `/news {name}`."
        ),
        error=True,
    )


async def describe(ctx: CommandContext, req: CommandRequest) -> str:
    cd = await DeliveryStore(ctx.storage).get(req.channel)
    schedule = parse_schedule(cd.schedule, default_tz=cd.timezone or ctx.settings.newsbot_timezone)
    if schedule.off:
        return "This channel has no scheduled digest. Set one: `/news schedule daily 09:00`."
    nxt = next_run(schedule, ctx.now())
    when = nxt.astimezone(schedule.zone).strftime("%a %d %b %H:%M %Z") if nxt else "never"
    quiet = "a one-line note" if cd.quiet_day else "nothing (`/news schedule quiet on` for a note)"
    return (
        f"This channel's digest: {schedule.describe()}. Next: {when}. "
        f"On a day with nothing new it gets {quiet}."
    )


@command(
    "schedule",
    usage=USAGE,
    summary="when this channel gets its digest (shows the next run)",
    examples=("/news schedule daily 09:00 Europe/Berlin", '/news schedule cron "0 9 * * 1-5"'),
    order=30,
)
async def schedule(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if not args:
        return Reply(text=await describe(ctx, req))
    if not ctx.may_change_settings(req):
        return settings_refused("schedule")
    store = DeliveryStore(ctx.storage)
    if args[0].lower() == "quiet":
        if len(args) != 2 or args[1].lower() not in ("on", "off"):
            raise UsageError("write `quiet on` or `quiet off`")
        await store.set_quiet_day(req.channel, args[1].lower() == "on")
        return Reply(text=await describe(ctx, req), ephemeral=False)
    cd = await store.get(req.channel)
    tz = cd.timezone or ctx.settings.newsbot_timezone
    try:  # a channel that chose a timezone keeps it when it changes only the time
        previous = parse_schedule(cd.schedule, default_tz=tz)
        tz = tz if previous.off else previous.tz
    except ScheduleError:
        pass
    try:
        parsed = parse_schedule(shlex.join(args), default_tz=tz)
    except ScheduleError as exc:
        # the parser's message ends with its own usage; the dispatcher adds ours, so show one
        raise UsageError(str(exc).split("; usage:", 1)[0]) from None
    floor = timedelta(minutes=ctx.settings.newsbot_min_schedule_minutes)
    refused = too_frequent(parsed, floor)
    if refused is not None:
        raise UsageError(refused)
    await store.set_schedule(req.channel, parsed.spec(), since=ctx.now())
    if parsed.off:
        return Reply(text="Scheduled digests are off for this channel.", ephemeral=False)
    return Reply(text="Schedule set. " + await describe(ctx, req), ephemeral=False)
