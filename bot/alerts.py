"""Instant alerts: a new story on a channel's alert topics is posted there once.

"New" is decided by when the bot first *had* an article (``article_seen``), not
by its publish date: every stored article without a first-seen time gets one on
the next tick, whoever stored it (the poller, the start-up ingest after downtime,
another process), and stays "alerts pending" until its alerts are queued. So a
file copied in while the bot was down alerts once after start-up, and a crash
between storing an article and queueing its alerts only delays them.

A story is new when every one of its articles is pending — nothing of it was
known before. Each alert is an outbox row keyed (channel, story), and a story
keeps its id when later rewrites from other outlets join it, so a rewrite of a
story already alerted (or already known) never alerts; it shows up under the
story's "also covered by" instead. Alerted stories are remembered per channel,
so the channel's next digest does not repeat them. Articles published more than
:data:`MAX_AGE` before they were first seen are archive, not news: a folder of
old articles added to the sources does not flood the alert channels.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from digests.models import Story

if TYPE_CHECKING:
    from .outbox import Outbox
    from .storage import Storage
    from .storage.delivery_store import ChannelDelivery, DeliveryStore

log = logging.getLogger(__name__)

MAX_AGE = timedelta(days=7)  # older than this when first seen: not news


def story_matches(story: Story, topics: Iterable[str]) -> bool:
    """True when the story is on any of ``topics`` (the engine's topic matching)."""
    from digests.topics import matches

    return any(matches(story.topics, t) for t in topics)


def is_news(story: Story, first_seen: Mapping[str, datetime]) -> bool:
    """Some article of the story was published at most :data:`MAX_AGE` before the bot
    first saw it (an undated article counts as news)."""
    for a in story.articles:
        seen = first_seen.get(a.id)
        if seen is not None and (a.published is None or a.published >= seen - MAX_AGE):
            return True
    return False


def new_stories(stories: Iterable[Story], pending: Mapping[str, datetime]) -> list[Story]:
    """Stories made only of articles whose alerts are pending, and that are news."""
    return [
        s
        for s in stories
        if s.articles and all(a.id in pending for a in s.articles) and is_news(s, pending)
    ]


def stories_to_alert(new: Iterable[Story], topics: Sequence[str], already: set[str]) -> list[Story]:
    """Of the new stories, those on ``topics`` that the channel has not had."""
    if not topics:
        return []
    return [s for s in new if s.id not in already and story_matches(s, topics)]


async def effective_topics(storage: Storage, cd: ChannelDelivery) -> tuple[str, ...]:
    """The channel's alert topics, or its subscriptions when it named none."""
    return cd.alert_topics or tuple(await storage.topics(cd.channel))


async def queue_alerts(
    store: DeliveryStore, outbox: Outbox, stories: Sequence[Story], pending: Mapping[str, datetime]
) -> int:
    """Queue an alert per (channel, new matching story), then mark the pending articles
    in ``stories`` done (only then: a crash in between re-queues, and queueing is
    idempotent). Returns how many alerts were new."""
    if not pending:
        return 0
    new = new_stories(stories, pending)
    queued = 0
    for cd in await store.channels() if new else []:
        if not cd.alerts_on:
            continue
        topics = await effective_topics(store.storage, cd)
        already = await outbox.delivered_story_ids(cd.channel_id)
        for story in stories_to_alert(new, topics, already):
            if await outbox.add_alert(cd.channel_id, story.id, title=story.title):
                queued += 1
                log.info("alert queued: %s → %s", story.ref, cd.channel)
    # an article the catalog has not built into a story yet stays pending for next time
    await store.alerts_done({a.id for s in stories for a in s.articles if a.id in pending})
    return queued
