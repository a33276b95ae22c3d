"""Posted messages remember their part of a delivery, one row per (delivery, part).

A digest is several messages; recording each part the moment it is posted lets a
retry (or another process taking the delivery over) skip what is already in the
channel, and keeps the ids of parts posted before a permanent error.

Existing rows are numbered in the order they were recorded within their delivery.

Revision ID: 0003_posted_parts
Revises: 0002_delivery
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_posted_parts"
down_revision = "0002_delivery"
branch_labels = None
depends_on = None

_KEYED = "delivery_key IS NOT NULL"


def upgrade() -> None:
    op.add_column(
        "posted_messages", sa.Column("part", sa.Integer, nullable=False, server_default="0")
    )
    op.execute(
        "UPDATE posted_messages SET part = (SELECT count(*) FROM posted_messages AS earlier "
        "WHERE earlier.delivery_key = posted_messages.delivery_key AND earlier.id < posted_messages.id) "
        f"WHERE {_KEYED}"
    )
    op.create_index(
        "uq_posted_messages_part",
        "posted_messages",
        ["delivery_key", "part"],
        unique=True,
        sqlite_where=sa.text(_KEYED),
        postgresql_where=sa.text(_KEYED),
    )


def downgrade() -> None:
    op.drop_index("uq_posted_messages_part", table_name="posted_messages")
    with op.batch_alter_table("posted_messages") as batch:
        batch.drop_column("part")
