"""Delivery tables, on the core's ``Base``: the outbox, per-channel delivery settings,
stories a channel already has, when each article was first seen, and how each
configured source is doing.

Created by migrations ``0002_delivery`` and ``0004_held_reactions``; change both together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base, UTCDateTime, utcnow

PENDING, CLAIMED, SENT, FAILED = "pending", "claimed", "sent", "failed"


class DeliveryRow(Base):
    """One thing to post to one channel, exactly once.

    ``key`` is the idempotency key handed to the adapter; the unique constraints
    say what "once" means: one digest per (channel, slot), one alert per
    (channel, story). NULLs are distinct in both databases, so the two never clash.
    A row is claimed (``claimed_by`` + ``lease_until``) before it is sent; a claim
    whose lease ran out belonged to a process that died and may be taken over.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("channel_id", "slot", name="uq_deliveries_digest_slot"),
        UniqueConstraint("channel_id", "story_id", name="uq_deliveries_alert_story"),
        Index("ix_deliveries_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # digest | manual (/news digest) | alert
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    slot: Mapped[datetime | None] = mapped_column(UTCDateTime)  # digests
    story_id: Mapped[str | None] = mapped_column(String(64))  # alerts
    story_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON: what the delivery shows
    title: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_ids: Mapped[str | None] = mapped_column(Text)  # JSON list, once sent
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ChannelDeliveryRow(Base):
    """A channel's schedule and alert settings, and where its digests have got to."""

    __tablename__ = "channel_delivery"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    schedule: Mapped[str] = mapped_column(Text, default="off")  # bot.schedule spec
    schedule_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    quiet_day: Mapped[bool] = mapped_column(Boolean, default=False)
    last_slot: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last slot decided
    alerts_on: Mapped[bool] = mapped_column(Boolean, default=False)
    alert_topics: Mapped[str] = mapped_column(
        Text, default=""
    )  # one per line; empty = subscriptions
    alerts_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DeliveredStoryRow(Base):
    """A story a channel has been given (by digest or alert), so it is not given again."""

    __tablename__ = "delivered_stories"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    story_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    delivery_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SourceStatusRow(Base):
    """The poller's view of one configured source, for ``newsbot status`` and ``/news why``."""

    __tablename__ = "source_status"

    source: Mapped[str] = mapped_column(String(1024), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    last_scan: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    items: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleSeenRow(Base):
    """When the bot first had an article, and whether its alerts have been queued.

    First-seen time, not the publish date, decides what is new: an article that
    arrives late (a slow feed, a file copied in while the bot was down) still
    reaches the next digest and the alerts, once. ``alerts_done`` is set only after
    the article's alerts are queued, so a crash in between re-queues them on the
    next tick (queueing is idempotent) instead of losing them.
    """

    __tablename__ = "article_seen"
    __table_args__ = (Index("ix_article_seen_pending", "alerts_done"),)

    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    alerts_done: Mapped[bool] = mapped_column(Boolean, default=False)


class HeldReactionRow(Base):
    """A reaction on a message the bot has not recorded yet, kept until it is.

    Platforms deliver a reaction as soon as a person adds it, which can be before the
    send that posted the message has returned (discord.py waits out an exhausted rate-limit
    bucket before returning the message; Slack's event can overtake the post's answer).
    One row per (channel, message, person, emoji) holds the latest state (added or
    removed); it is applied when the message is recorded, or dropped at ``expires_at``.
    """

    __tablename__ = "held_reactions"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_id", "user_id", "emoji", name="uq_held_reactions"),
        Index("ix_held_reactions_expires", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    emoji: Mapped[str] = mapped_column(String(255))
    added: Mapped[bool] = mapped_column(Boolean, default=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
