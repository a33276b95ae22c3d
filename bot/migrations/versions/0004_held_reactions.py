"""Held reactions: a reaction on a message the bot has not recorded yet waits here
(briefly, bounded) and is applied once the message is recorded.

Revision ID: 0004_held_reactions
Revises: 0003_posted_parts
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_held_reactions"
down_revision = "0003_posted_parts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "held_reactions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "channel_id",
            sa.Integer,
            sa.ForeignKey("channels.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("emoji", sa.String(255), nullable=False),
        sa.Column("added", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "channel_id", "message_id", "user_id", "emoji", name="uq_held_reactions"
        ),
    )
    op.create_index("ix_held_reactions_expires", "held_reactions", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_held_reactions_expires", table_name="held_reactions")
    op.drop_table("held_reactions")
