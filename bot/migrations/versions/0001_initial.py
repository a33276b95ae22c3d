"""Bot core tables: articles (+ full-text index), stories, channels, subscriptions,
posted messages, reactions, processed platform events.

Revision ID: 0001_initial
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.String(255)),
        sa.Column("author", sa.Text),
        sa.Column("published", _ts()),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("category", sa.Text),
        sa.Column("image", sa.Text),
        sa.Column("path", sa.Text),
        sa.Column("extra", sa.Text, nullable=False, server_default="{}"),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("story_id", sa.String(64)),
        sa.Column("updated_at", _ts(), nullable=False),
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_story_id", "articles", ["story_id"])

    if dialect == "postgresql":
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(tags, '')), 'A') || "
            "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")
    elif dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "id UNINDEXED, title, tags, text, tokenize = 'porter unicode61')"
        )

    op.create_table(
        "stories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("primary_id", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("source", sa.String(255)),
        sa.Column("topics", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", _ts(), nullable=False),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("timezone", sa.String(64)),
        sa.Column("created_at", _ts(), nullable=False),
        sa.UniqueConstraint("platform", "workspace", "channel", name="uq_channels_ref"),
    )
    op.create_table(
        "subscriptions",
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("topic", sa.String(255), primary_key=True),
        sa.Column("created_at", _ts(), nullable=False),
    )
    op.create_table(
        "posted_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("story_id", sa.String(64)),
        sa.Column("delivery_key", sa.String(255)),
        sa.Column("posted_at", _ts(), nullable=False),
        sa.UniqueConstraint("channel_id", "message_id", name="uq_posted_messages_message"),
    )
    op.create_index("ix_posted_messages_story", "posted_messages", ["channel_id", "story_id"])
    op.create_index("ix_posted_messages_delivery_key", "posted_messages", ["delivery_key"])
    op.create_table(
        "reactions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("story_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("emoji", sa.String(255), nullable=False),
        sa.Column("created_at", _ts(), nullable=False),
        sa.UniqueConstraint("channel_id", "story_id", "user_id", "emoji", name="uq_reactions_once"),
    )
    op.create_index("ix_reactions_story_id", "reactions", ["story_id"])
    op.create_table(
        "processed_events",
        sa.Column("platform", sa.String(32), primary_key=True),
        sa.Column("event_id", sa.String(255), primary_key=True),
        sa.Column("processed_at", _ts(), nullable=False),
    )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in (
        "processed_events",
        "reactions",
        "posted_messages",
        "subscriptions",
        "channels",
        "stories",
    ):
        op.drop_table(table)
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    op.drop_table("articles")
