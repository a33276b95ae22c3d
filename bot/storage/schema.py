"""The database schema as SQLAlchemy 2 declarative models.

``Base`` is shared: other bot packages (delivery) declare their tables on it so
one metadata describes the whole database. The tables themselves are created by
Alembic migrations in ``bot/migrations`` (never ``create_all``), so a change here
needs a new migration too.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware in, timezone-aware out, on SQLite too (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base for every newsbot table (import it to add yours)."""


class ArticleRow(Base):
    """One ingested article; ``content_hash`` lets a re-ingest skip unchanged ones."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255), index=True)
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    tags: Mapped[str] = mapped_column(Text, default="")  # one tag per line
    category: Mapped[str | None] = mapped_column(Text)
    image: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[str] = mapped_column(Text, default="{}")  # JSON
    content_hash: Mapped[str] = mapped_column(String(64))
    story_id: Mapped[str | None] = mapped_column(String(64), index=True)
    unit_key: Mapped[str | None] = mapped_column(String(32), index=True)  # its clustering unit
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoryRow(Base):
    """A story as last built by the engine: enough to explain feedback without rebuilding."""

    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    primary_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(255))
    topics: Mapped[str] = mapped_column(Text, default="")  # one topic per line
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # what the engine built (JSON: summary, quotes, topics, member order); None when unknown
    content: Mapped[bytes | None] = mapped_column(LargeBinary)


class StoryUnitRow(Base):
    """Articles with one body, as clustering sees them (see ``digests.cluster.Unit``)."""

    __tablename__ = "story_units"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    rep_id: Mapped[str] = mapped_column(String(64))
    features: Mapped[bytes] = mapped_column(LargeBinary)  # signed 64-bit codes, native order
    event_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(Text)
    thin: Mapped[bool] = mapped_column(Boolean, default=False)


class UnitFeatureRow(Base):
    """The inverted index: which units hold a feature (how a change finds its stories)."""

    __tablename__ = "unit_features"
    __table_args__ = ({"sqlite_with_rowid": False},)

    feature: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    unit: Mapped[str] = mapped_column(String(32), primary_key=True)


class StoryQueueRow(Base):
    """An article added, changed or deleted since the stories were last updated.

    ``old_unit``/``old_story`` are what the article was indexed under before the change
    (the first change's, when several come before the next update); ``seq`` tells a
    change queued while an update ran from the one the update read.
    """

    __tablename__ = "story_queue"

    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    old_unit: Mapped[str | None] = mapped_column(String(32))
    old_story: Mapped[str | None] = mapped_column(String(64))


class ChannelRow(Base):
    """A chat channel the bot talks in; created on first contact."""

    __tablename__ = "channels"
    __table_args__ = (UniqueConstraint("platform", "workspace", "channel", name="uq_channels_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    workspace: Mapped[str] = mapped_column(String(255))
    channel: Mapped[str] = mapped_column(String(255))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubscriptionRow(Base):
    """A channel's interest in one normalised topic."""

    __tablename__ = "subscriptions"

    channel_id: Mapped[int] = mapped_column(
        ForeignKey("channels.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostedMessageRow(Base):
    """A message the bot posted; maps a platform message id back to the story it shows.

    ``part`` is its place in the delivery ``delivery_key``; one row per (key, part),
    so each part is recorded the moment it is posted and a retry skips it.
    """

    __tablename__ = "posted_messages"
    __table_args__ = (
        UniqueConstraint("channel_id", "message_id", name="uq_posted_messages_message"),
        Index("ix_posted_messages_story", "channel_id", "story_id"),
        Index(
            "uq_posted_messages_part",
            "delivery_key",
            "part",
            unique=True,
            sqlite_where=text("delivery_key IS NOT NULL"),
            postgresql_where=text("delivery_key IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(255))
    story_id: Mapped[str | None] = mapped_column(String(64))
    delivery_key: Mapped[str | None] = mapped_column(String(255), index=True)
    part: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReactionRow(Base):
    """One person's emoji on one story in one channel; removing the emoji deletes the row."""

    __tablename__ = "reactions"
    __table_args__ = (
        UniqueConstraint("channel_id", "story_id", "user_id", "emoji", name="uq_reactions_once"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    story_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(255))
    emoji: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedEventRow(Base):
    """A platform event id already applied, so a platform's retry changes nothing."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
