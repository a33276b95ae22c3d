"""Stories keep what the engine built (summary, quotes, topics, member order), so a restart
shows them without summarising every story again.

Revision ID: 0006_story_content
Revises: 0005_story_index
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_story_content"
down_revision = "0005_story_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("content", sa.LargeBinary))


def downgrade() -> None:
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("content")
