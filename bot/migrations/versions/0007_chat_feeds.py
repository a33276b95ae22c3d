"""Feeds added from chat: chat_feeds (per channel, health and conditional-request state),
chat_feed_items (what each feed has shown, so each item posts once), feed_filters.

Revision ID: 0007_chat_feeds
Revises: 0006_story_content
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_chat_feeds"
down_revision = "0006_story_content"
branch_labels = None
depends_on = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chat_feeds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False, server_default=""),
        sa.Column("workspace", sa.String(255), nullable=False, server_default=""),
        sa.Column("channel_id", sa.Integer, sa.ForeignKey("channels.id", ondelete="CASCADE")),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("topics", sa.Text, nullable=False, server_default=""),
        sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("primed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("added_by", sa.String(255), nullable=False, server_default=""),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("last_fetched", _ts()),
        sa.Column("last_ok", _ts()),
        sa.Column("last_new_item", _ts()),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failing_since", _ts()),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt", _ts()),
        sa.Column("notified", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.UniqueConstraint("channel_id", "url", name="uq_chat_feeds_channel_url"),
    )
    op.create_index("ix_chat_feeds_workspace", "chat_feeds", ["platform", "workspace"])
    op.create_table(
        "chat_feed_items",
        sa.Column(
            "feed_id",
            sa.Integer,
            sa.ForeignKey("chat_feeds.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False, server_default="new"),
        sa.Column("first_seen", _ts(), nullable=False),
    )
    op.create_index("ix_chat_feed_items_state", "chat_feed_items", ["state"])
    op.create_table(
        "feed_filters",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("chat_feeds.id", ondelete="CASCADE")),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("phrase", sa.Text, nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feed_filters")
    op.drop_index("ix_chat_feed_items_state", table_name="chat_feed_items")
    op.drop_table("chat_feed_items")
    op.drop_index("ix_chat_feeds_workspace", table_name="chat_feeds")
    op.drop_table("chat_feeds")
