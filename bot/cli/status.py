"""``newsbot status``: sources (last scan, errors), channels, schedules, next runs, and
deliveries that failed or are being retried — what an operator checks when a channel
says it got nothing."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any, TextIO

import click


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


async def gather(settings: Any, now: datetime) -> dict[str, Any]:
    """Everything ``status`` shows, as plain data (also the ``--json`` output)."""
    from bot.outbox import FAILED, PENDING, Outbox
    from bot.schedule import ScheduleError, next_run, parse_schedule
    from bot.storage import Storage
    from bot.storage.delivery_store import DeliveryStore

    storage = Storage(settings.database_url.get_secret_value())
    try:
        await storage.upgrade()
        store = DeliveryStore(storage)
        outbox = Outbox(storage, clock=lambda: now)
        settings_by_channel = {cd.channel_id: cd for cd in await store.channels()}
        channels = []
        for cid, ref in await storage.channels():
            cd = settings_by_channel.get(cid)
            row: dict[str, Any] = {
                "channel": str(ref),
                "topics": await storage.topics(ref),
                "schedule": "off",
                "next_run": None,
                "last_slot": None,
                "alerts": False,
                "alert_topics": [],
            }
            if cd is not None:
                try:
                    sched = parse_schedule(
                        cd.schedule, default_tz=cd.timezone or settings.newsbot_timezone
                    )
                    row["schedule"] = sched.describe() if not sched.off else "off"
                    nxt = next_run(sched, now)
                    row["next_run"] = nxt.isoformat() if nxt else None
                except ScheduleError as exc:
                    row["schedule"] = f"unusable: {exc}"
                row["last_slot"] = cd.last_slot.isoformat() if cd.last_slot else None
                row["alerts"] = cd.alerts_on
                row["alert_topics"] = list(cd.alert_topics)
            channels.append(row)
        sources = [
            {
                "source": s.source,
                "kind": s.kind,
                "last_scan": s.last_scan.isoformat() if s.last_scan else None,
                "last_ok": s.last_ok.isoformat() if s.last_ok else None,
                "items": s.items,
                "failures": s.failures,
                "failing": s.failing,
                "last_error": s.last_error,
            }
            for s in await store.sources()
        ]
        failed = [
            {
                "channel": str(d.channel),
                "kind": d.kind,
                "key": d.key,
                "attempts": d.attempts,
                "error": d.error,
                "created_at": d.created_at.isoformat() if d.created_at else None,
            }
            for d in await outbox.list(status=FAILED, limit=20)
        ]
        retrying = [
            {
                "channel": str(d.channel),
                "kind": d.kind,
                "key": d.key,
                "attempts": d.attempts,
                "error": d.error,
                "next_attempt": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
            }
            for d in await outbox.list(status=PENDING, limit=200)
            if d.error
        ][:20]
        from bot.feeds.health import status_rows

        return {
            "now": now.isoformat(),
            "sources": sources,
            "feeds": await status_rows(storage, settings.newsbot_feed_failures),
            "channels": channels,
            "deliveries": await outbox.counts(),
            "failed": failed,
            "retrying": retrying,
        }
    finally:
        await storage.aclose()


PIPED_WIDTH = 10_000  # piped: wide enough that no path, ref or schedule is cut or wrapped


def render(data: dict[str, Any], file: TextIO | None = None) -> None:
    """Tables for a terminal; piped (a file, grep, a support ticket) the same tables at full
    width, so no path, channel or cron spec is shortened with "…" or split over rows."""
    from rich.table import Table

    from adapters.console.render import output_console

    out = file or sys.stdout
    console = output_console(out, width=None if _isatty(out) else PIPED_WIDTH, highlight=False)
    if data["sources"]:
        t = Table(title="Sources", title_justify="left")
        for col in ("source", "kind", "last scan", "items", "status"):
            t.add_column(col)
        for s in data["sources"]:
            state = (
                "ok"
                if not s["failures"]
                else f"{'FAILING' if s['failing'] else 'error'} ×{s['failures']}: {s['last_error']}"
            )
            last = datetime.fromisoformat(s["last_scan"]) if s["last_scan"] else None
            t.add_row(s["source"], s["kind"], _when(last), str(s["items"]), state)
        console.print(t)
    else:
        console.print("Sources: none polled yet (they appear once `newsbot run` has polled them).")
    if data.get("feeds"):
        t = Table(title="Feeds added from chat", title_justify="left")
        for col in ("feed", "channel", "last fetched", "last new item", "status"):
            t.add_column(col)
        for f in data["feeds"]:
            state = "paused" if f["paused"] else "ok"
            if f["failures"]:
                state = (
                    f"{'FAILING' if f['failing'] else 'error'} ×{f['failures']}: {f['last_error']}"
                )
            fetched, new = (
                datetime.fromisoformat(v) if v else None
                for v in (f["last_fetched"], f["last_new_item"])
            )
            t.add_row(f["feed"], f["channel"] or "— (global)", _when(fetched), _when(new), state)
        console.print(t)
    if data["channels"]:
        t = Table(title="Channels", title_justify="left")
        for col in ("channel", "topics", "schedule", "next run", "alerts"):
            t.add_column(col)
        for c in data["channels"]:
            nxt = datetime.fromisoformat(c["next_run"]) if c["next_run"] else None
            alerts = (
                ("on: " + ", ".join(c["alert_topics"] or c["topics"])) if c["alerts"] else "off"
            )
            t.add_row(
                c["channel"], ", ".join(c["topics"]) or "—", c["schedule"], _when(nxt), alerts
            )
        console.print(t)
    else:
        console.print("Channels: none yet (a channel appears once someone uses /news in it).")
    counts = data["deliveries"]
    console.print(
        "Deliveries: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "none yet")
    )
    for f in data["failed"]:
        console.print(
            f"  failed {f['kind']} to {f['channel']} after {f['attempts']} attempt(s): {f['error']}"
        )
    for r in data["retrying"]:
        nxt = datetime.fromisoformat(r["next_attempt"]) if r["next_attempt"] else None
        console.print(
            f"  retrying {r['kind']} to {r['channel']} (attempt {r['attempts']} failed: "
            f"{r['error']}); next try {_when(nxt)}"
        )


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(as_json: bool) -> None:
    """Sources, channels, schedules and next runs, and failed or retrying deliveries."""
    import asyncio
    from datetime import UTC

    import orjson

    from bot.storage import StorageError

    from ._common import settings_or_exit

    settings = settings_or_exit()
    try:
        data = asyncio.run(gather(settings, datetime.now(UTC)))
    except StorageError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())
    else:
        render(data)
