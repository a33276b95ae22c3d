"""Incremental stories: an inverted index of clustering features and a queue of changes.

``story_units`` holds one row per body (articles with the same body are one unit
for clustering) with its packed feature codes; ``unit_features`` is the inverted
index (feature → units) a new or changed article looks its candidate stories up
in; ``story_queue`` lists articles added, changed or deleted since stories were
last brought up to date (written by the storage in the same transaction as the
change). ``articles.unit_key`` says which unit an article is in.

Every existing article is queued, so the first start after this upgrade builds
the index once.

Revision ID: 0005_story_index
Revises: 0004_held_reactions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_story_index"
down_revision = "0004_held_reactions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("unit_key", sa.String(32)))
    op.create_index("ix_articles_unit_key", "articles", ["unit_key"])
    op.create_table(
        "story_units",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("rep_id", sa.String(64), nullable=False),
        sa.Column("features", sa.LargeBinary, nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("thin", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "unit_features",
        sa.Column("feature", sa.BigInteger, primary_key=True),
        sa.Column("unit", sa.String(32), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "story_queue",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("old_unit", sa.String(32)),
        sa.Column("old_story", sa.String(64)),
    )
    op.execute(
        "INSERT INTO story_queue (article_id, seq, old_unit, old_story) "
        "SELECT id, 0, NULL, story_id FROM articles"
    )


def downgrade() -> None:
    op.drop_table("story_queue")
    op.drop_table("unit_features")
    op.drop_table("story_units")
    op.drop_index("ix_articles_unit_key", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("unit_key")
