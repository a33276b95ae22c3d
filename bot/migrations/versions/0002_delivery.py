"""Delivery: the outbox (deliveries), channel schedules and alerts, delivered stories,
articles' first-seen times, source status.

Revision ID: 0002_delivery
Revises: 0001_initial
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_delivery"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def _ts() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _channel_fk() -> sa.ForeignKey:
    return sa.ForeignKey("channels.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel_id", sa.Integer, _channel_fk(), nullable=False),
        sa.Column("slot", _ts()),
        sa.Column("story_id", sa.String(64)),
        sa.Column("story_ids", sa.Text, nullable=False, server_default="[]"),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("period_start", _ts()),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", _ts(), nullable=False),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("lease_until", _ts()),
        sa.Column("message_ids", sa.Text),
        sa.Column("error", sa.Text),
        sa.Column("created_at", _ts(), nullable=False),
        sa.Column("sent_at", _ts()),
        sa.UniqueConstraint("channel_id", "slot", name="uq_deliveries_digest_slot"),
        sa.UniqueConstraint("channel_id", "story_id", name="uq_deliveries_alert_story"),
    )
    op.create_index("ix_deliveries_due", "deliveries", ["status", "next_attempt_at"])
    op.create_table(
        "channel_delivery",
        sa.Column("channel_id", sa.Integer, _channel_fk(), primary_key=True),
        sa.Column("schedule", sa.Text, nullable=False, server_default="off"),
        sa.Column("schedule_since", _ts()),
        sa.Column("quiet_day", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("last_slot", _ts()),
        sa.Column("alerts_on", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("alert_topics", sa.Text, nullable=False, server_default=""),
        sa.Column("alerts_since", _ts()),
        sa.Column("updated_at", _ts(), nullable=False),
    )
    op.create_table(
        "delivered_stories",
        sa.Column("channel_id", sa.Integer, _channel_fk(), primary_key=True),
        sa.Column("story_id", sa.String(64), primary_key=True),
        sa.Column("delivery_id", sa.Integer),
        sa.Column("created_at", _ts(), nullable=False),
    )
    op.create_table(
        "article_seen",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("first_seen", _ts(), nullable=False),
        sa.Column("alerts_done", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_article_seen_first_seen", "article_seen", ["first_seen"])
    op.create_index("ix_article_seen_pending", "article_seen", ["alerts_done"])
    op.create_table(
        "source_status",
        sa.Column("source", sa.String(1024), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("last_scan", _ts()),
        sa.Column("last_ok", _ts()),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("next_attempt", _ts()),
        sa.Column("items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", _ts(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "source_status",
        "article_seen",
        "delivered_stories",
        "channel_delivery",
        "deliveries",
    ):
        op.drop_table(table)
