"""Tables for feeds added from chat, on the core's ``Base``. Created by migration
``0007_chat_feeds``; change both together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.schema import Base, UTCDateTime, utcnow


class ChatFeedRow(Base):
    """One feed a channel added (or an operator imported), with its health and the state
    of conditional requests. ``channel_id`` NULL: imported without a channel, read into
    the catalog but posted nowhere."""

    __tablename__ = "chat_feeds"
    __table_args__ = (
        UniqueConstraint("channel_id", "url", name="uq_chat_feeds_channel_url"),
        Index("ix_chat_feeds_workspace", "platform", "workspace"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32), default="")
    workspace: Mapped[str] = mapped_column(String(255), default="")
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[str] = mapped_column(Text, default="")  # one per line
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    primed: Mapped[bool] = mapped_column(Boolean, default=False)  # current items recorded
    added_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_fetched: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_new_item: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)  # told about this streak
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)


class ChatFeedItemRow(Base):
    """An item a feed has shown, so each is posted once: ``state`` is ``seen`` (there when
    the feed was added: not posted), ``new`` (stored, waiting to be posted), ``posted``
    or ``filtered``."""

    __tablename__ = "chat_feed_items"
    __table_args__ = (Index("ix_chat_feed_items_state", "state"),)

    feed_id: Mapped[int] = mapped_column(
        ForeignKey("chat_feeds.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="new")
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedFilterRow(Base):
    """An include/exclude word filter on a channel's feeds (``feed_id`` NULL: all of them)."""

    __tablename__ = "feed_filters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"))
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("chat_feeds.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(16))  # include | exclude
    phrase: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
