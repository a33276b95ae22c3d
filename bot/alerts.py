"""Instant alerts: a new story on a channel's alert topics is posted there once.

"New" means a story that gained an article this poll which the database did not
have before. Each alert is an outbox row keyed (channel, story), and a story keeps
its id when later rewrites from other outlets join it, so a rewrite of a story
already alerted never alerts again — it shows up under the story's "also
covered by" instead. Alerted stories are remembered per channel, so the
channel's next digest does not repeat them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from digests.models import Story

if TYPE_CHECKING:
    from .outbox import Outbox
    from .storage import Storage
    from .storage.delivery_store import ChannelDelivery, DeliveryStore

log = logging.getLogger(__name__)


def story_matches(story: Story, topics: Iterable[str]) -> bool:
    """True when the story is on any of ``topics`` (the engine's topic matching)."""
    from digests.topics import matches

    return any(matches(story.topics, t) for t in topics)


def stories_to_alert(
    stories: Iterable[Story], new_article_ids: set[str], topics: Sequence[str], already: set[str]
) -> list[Story]:
    """Stories with a newly ingested article, on ``topics``, that the channel has not had."""
    if not topics or not new_article_ids:
        return []
    return [
        s for s in stories
        if s.id not in already
        and any(a.id in new_article_ids for a in s.articles)
        and story_matches(s, topics)
    ]


async def effective_topics(storage: Storage, cd: ChannelDelivery) -> tuple[str, ...]:
    """The channel's alert topics, or its subscriptions when it named none."""
    return cd.alert_topics or tuple(await storage.topics(cd.channel))


async def queue_alerts(
    store: DeliveryStore, outbox: Outbox, stories: Sequence[Story], new_article_ids: set[str]
) -> int:
    """Queue an alert per (channel, new matching story); returns how many were new."""
    if not new_article_ids:
        return 0
    queued = 0
    for cd in await store.channels():
        if not cd.alerts_on:
            continue
        topics = await effective_topics(store.storage, cd)
        already = await outbox.delivered_story_ids(cd.channel_id)
        for story in stories_to_alert(stories, new_article_ids, topics, already):
            if await outbox.add_alert(cd.channel_id, story.id, title=story.title):
                queued += 1
                log.info("alert queued: %s → %s", story.ref, cd.channel)
    return queued
