"""What ``/readyz`` and ``/metrics`` report about a running bot, read from its parts.

Kept apart from the HTTP service so the checks can be tested (and reused by
``newsbot status``) without a server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select, text

from adapters.base import Adapter

from . import metrics
from .settings import Settings
from .storage import Storage
from .storage.delivery_schema import CLAIMED, PENDING, DeliveryRow, SourceStatusRow
from .storage.schema import ArticleRow

DB_TIMEOUT = 2.0  # seconds: a readiness probe must answer even when the database hangs
MIN_STALE = timedelta(minutes=2)  # never call a source stale sooner than this


class RunningBot(Protocol):
    """The parts of :class:`bot.app.NewsBot` the checks read."""

    settings: Settings
    storage: Storage
    adapters: list[Adapter]
    started_at: datetime | None

    @property
    def poll_interval(self) -> float: ...

    def now(self) -> datetime: ...

    def story_count(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Readiness:
    """``ok`` when every check passed; ``checks`` names each with ``ok`` or why not."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v == "ok" for v in self.checks.values())


async def readiness(bot: RunningBot) -> Readiness:
    """Database reachable, every adapter connected, sources polled recently."""
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(_ping(bot.storage), DB_TIMEOUT)
        checks["database"] = "ok"
    except Exception as exc:  # any failure is 'not ready', said in the body
        checks["database"] = f"unreachable: {type(exc).__name__}"
    checks["adapters"] = _adapters_state(bot.adapters)
    if checks["database"] == "ok":
        checks["sources"] = await _sources_state(bot)
    return Readiness(checks)


async def _ping(storage: Storage) -> None:
    async with storage.session() as session:
        await session.execute(text("SELECT 1"))


def _adapters_state(adapters: list[Adapter]) -> str:
    if not adapters:
        return "none started yet"
    lost = [
        f"{a.name}: {reason}"
        for a in adapters
        if (reason := getattr(a, "closed_reason", None)) is not None
    ]
    return "ok" if not lost else "disconnected: " + "; ".join(lost)


async def _sources_state(bot: RunningBot) -> str:
    """Stale when the newest poll of any source is older than three poll intervals (a
    process still in its first intervals is given the benefit of the doubt)."""
    now = bot.now()
    stale_after = max(timedelta(seconds=3 * bot.poll_interval), MIN_STALE)
    if bot.started_at is not None and now - bot.started_at < stale_after:
        return "ok"
    async with bot.storage.session() as session:
        last = await session.scalar(select(func.max(SourceStatusRow.last_scan)))
    if last is None:
        return "ok" if not bot.settings.newsbot_sources else "never polled"
    if now - last > stale_after:
        return f"last polled {int((now - last).total_seconds())} s ago"
    return "ok"


async def refresh_gauges(bot: RunningBot) -> None:
    """Read the stored-state gauges from the database, just before a scrape."""
    now = bot.now()
    async with bot.storage.session() as session:
        articles = await session.scalar(select(func.count()).select_from(ArticleRow))
        depth, oldest = (
            await session.execute(
                select(func.count(), func.min(DeliveryRow.created_at)).where(
                    DeliveryRow.status.in_((PENDING, CLAIMED))
                )
            )
        ).one()
        failing = await session.execute(
            select(SourceStatusRow.kind, func.count())
            .where(SourceStatusRow.failures > 0)
            .group_by(SourceStatusRow.kind)
        )
        by_kind: dict[str, int] = {kind: n for kind, n in failing}
    metrics.ARTICLES.set(articles or 0)
    metrics.STORIES.set(bot.story_count())
    metrics.OUTBOX_DEPTH.set(depth or 0)
    metrics.OUTBOX_OLDEST.set(_age(now, oldest))
    for kind in {"folder", "glob", "file", "feed", *by_kind}:
        metrics.SOURCES_FAILING.labels(kind=kind).set(by_kind.get(kind, 0))


def _age(now: datetime, then: Any) -> float:
    if not isinstance(then, datetime):
        return 0.0
    return max(0.0, (now - then).total_seconds())
