"""``/news why``: why this channel did or did not get something.

One short answer from everything delivery knows: the channel's topics, its
schedule with the last and next digest, alerts, the last delivery problem, and
any source that is failing — the questions people ask about news bots.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from adapters.base import CommandRequest, Reply
from bot.outbox import FAILED, PENDING, Outbox
from bot.schedule import ScheduleError, next_run, parse_schedule
from bot.storage.delivery_store import DeliveryStore

from ._common import count_of
from .context import CommandContext
from .registry import UsageError, command


def _when(instant: datetime | None, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%a %d %b %H:%M %Z") if instant else "never"


async def why_lines(ctx: CommandContext, req: CommandRequest) -> list[str]:
    store = DeliveryStore(ctx.storage)
    cd = await store.get(req.channel)
    outbox = Outbox(ctx.storage, clock=ctx.clock)
    now = ctx.now()
    topics = await ctx.storage.topics(req.channel)
    lines = [
        "Topics: "
        + (
            ", ".join(topics)
            if topics
            else "none, so digests cover every story (`/news subscribe ai` narrows them)"
        )
    ]

    tz = cd.timezone or ctx.settings.newsbot_timezone
    try:
        schedule = parse_schedule(cd.schedule, default_tz=tz)
    except ScheduleError as exc:
        schedule = None
        lines.append(f"Schedule: unusable ({exc}); set it again with `/news schedule`.")
    zone = schedule.zone if schedule else ZoneInfo(tz)
    digests = await outbox.list(channel_id=cd.channel_id, kind="digest", limit=1)
    last = digests[0] if digests else None
    if schedule is not None and schedule.off:
        lines.append(
            "Schedule: none, so no digest is posted on its own (`/news schedule daily 09:00`)."
        )
    elif schedule is not None:
        lines.append(
            f"Schedule: {schedule.describe()}; next digest {_when(next_run(schedule, now), zone)}."
        )
        if cd.last_slot and (last is None or last.slot != cd.last_slot):
            quiet = (
                "" if cd.quiet_day else " (`/news schedule quiet on` to get a note on such days)"
            )
            alerted = ", apart from stories it already got as alerts" if cd.alerts_on else ""
            lines.append(
                f"The {_when(cd.last_slot, zone)} digest was skipped: nothing new on its topics"
                f"{alerted}{quiet}."
            )
    if last is not None:
        state = {
            "sent": f"posted {_when(last.sent_at, zone)}",
            "pending": "waiting to be posted",
            "claimed": "being posted",
            "failed": "NOT posted",
        }[last.status]
        lines.append(
            f"Last digest: {_when(last.slot, zone)}, {count_of(len(last.story_ids), 'story', 'stories')}, {state}."
        )
    elif schedule is not None and not schedule.off:
        lines.append("No scheduled digest has been posted here yet.")

    if cd.alerts_on:
        alert_topics = cd.alert_topics or tuple(topics)
        lines.append("Alerts: on for " + (", ".join(alert_topics) or "no topics yet") + ".")
    else:
        lines.append("Alerts: off (`/news alerts on` posts new stories as they arrive).")

    problems = await outbox.list(channel_id=cd.channel_id, status=FAILED, limit=1)
    retrying = [
        d for d in await outbox.list(channel_id=cd.channel_id, status=PENDING, limit=20) if d.error
    ]
    if retrying:
        d = retrying[0]
        lines.append(
            f"Retrying a {d.kind} after an error: {d.error} (attempt {d.attempts}, "
            f"next try {_when(d.next_attempt_at, zone)})."
        )
    if problems:
        d = problems[0]
        lines.append(f"Last delivery error: a {d.kind} could not be posted: {d.error}.")

    sources = await store.sources()
    failing = [s for s in sources if s.failing or s.storing_failed]
    for s in failing[:3]:
        if s.storing_failed:  # read fine, but its new articles are not stored yet
            lines.append(f"Source not stored yet: {s.source} — {s.last_error}.")
            continue
        lines.append(
            f"Source failing: {s.source} — {s.last_error} ({s.failures} times in a row; "
            f"last worked {_when(s.last_ok, zone)})."
        )
    if sources and not failing:
        lines.append(f"Sources: {len(sources)} watched, all reading fine.")
    from bot.feeds.health import why_lines as feed_lines

    lines += await feed_lines(ctx.storage, req.channel, ctx.settings.newsbot_feed_failures)
    return lines


@command(
    "why",
    usage="/news why",
    summary="why this channel did or did not get something",
    examples=("/news why",),
    order=40,
)
async def why(ctx: CommandContext, req: CommandRequest, args: list[str]) -> Reply:
    if args:
        raise UsageError("`why` takes no arguments")
    return Reply(text="\n".join(await why_lines(ctx, req)))
