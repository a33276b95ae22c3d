"""Always-on delivery as a ``NewsBot`` service: the poller, alerts, scheduled digests and
the outbox, running beside the adapters until the bot stops (see ``bot.scheduler``)."""

from __future__ import annotations

import asyncio
from typing import Any


async def run(app: Any) -> None:
    """Started by ``NewsBot.run`` after ingest and adapter start; cancelled on shutdown."""
    from bot.poller import Poller
    from bot.scheduler import DeliveryLoop

    settings = app.settings
    poller = Poller(
        settings.newsbot_sources, clock=app.ctx.clock, interval=settings.newsbot_poll_interval
    )
    # the bot has just ingested these files; watch for changes from here (a stat per file:
    # off the event loop)
    await asyncio.to_thread(poller.prime)
    loop = DeliveryLoop(app.ctx, {a.name: a for a in app.adapters}, poller=poller)
    await loop.forget_missing_files()  # and files deleted while it was down are gone
    await loop.run(asyncio.Event())  # runs until the task is cancelled
