"""Always-on delivery as a ``NewsBot`` service: the poller, alerts, scheduled digests and
the outbox, running beside the adapters until the bot stops (see ``bot.scheduler``)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.poller import Poller
from bot.scheduler import DeliveryLoop

from . import ServiceHost

log = logging.getLogger(__name__)

PRIME_RECENT = timedelta(minutes=10)  # longer than a start-up ingest of a large archive


async def run(app: ServiceHost) -> None:
    """Started by ``NewsBot.run`` after ingest and adapter start; cancelled on shutdown."""
    from bot.feeds.runner import ChatFeeds

    settings = app.settings
    chat_feeds = ChatFeeds(app.ctx.storage, settings, clock=app.ctx.clock)
    poller = Poller(
        settings.newsbot_sources,
        clock=app.ctx.clock,
        interval=settings.newsbot_poll_interval,
        chat_feeds=chat_feeds,
    )
    # the bot has just ingested these files; watch for changes from here (a stat per file:
    # off the event loop). Files modified in the last few minutes are read once more, in
    # case one changed while the start-up ingest was running.
    await asyncio.to_thread(poller.prime, recent=PRIME_RECENT)
    loop = DeliveryLoop(app.ctx, {a.name: a for a in app.adapters}, poller=poller)
    try:  # files deleted while the bot was down are gone (a failure here must not stop delivery)
        await loop.forget_missing_files()
    except Exception:
        log.exception("could not check for files deleted while the bot was down; delivering anyway")
    try:
        await loop.run(asyncio.Event())  # runs until the task is cancelled
    finally:
        await chat_feeds.aclose()
