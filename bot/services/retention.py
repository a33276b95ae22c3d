"""``NEWSBOT_RETENTION_DAYS`` as a ``NewsBot`` service: old articles are pruned in small
batches a few times a day, and their stories shrink or go (a year of history stays a
bounded database). 0 keeps everything."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

log = logging.getLogger(__name__)

EVERY = timedelta(hours=6)


async def prune_once(app: Any) -> int:
    """Delete what is older than the retention window now; returns how many."""
    days = app.settings.newsbot_retention_days
    if not days:
        return 0
    removed = int(await app.storage.prune_articles(app.ctx.clock() - timedelta(days=days)))
    if removed:
        await app.catalog.refresh()
        log.info("pruned %d articles older than %d days (NEWSBOT_RETENTION_DAYS)", removed, days)
    return removed


async def run(app: Any) -> None:
    """Started by ``NewsBot.run``; cancelled on shutdown."""
    if not app.settings.newsbot_retention_days:
        return
    while True:
        try:
            await prune_once(app)
        except Exception:  # a failed prune is retried next time; the bot goes on
            log.exception("pruning old articles failed; trying again in %s", EVERY)
        await asyncio.sleep(EVERY.total_seconds())
