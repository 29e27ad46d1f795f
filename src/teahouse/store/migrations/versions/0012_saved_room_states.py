"""saved room states: saved_room_states

A live room's state is saved while it lives, so that a restart or a crash of the
serving process does not end it (rooms/saved.py). One row per live room, deleted in
the transaction that ends the room; ``fence`` is its owner's fencing token
(live/ownership.py), which an older owner may not overwrite.

Revision ID: 0012_saved_room_states
Revises: 0011_room_descriptions
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_saved_room_states"
down_revision: str | None = "0011_room_descriptions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_room_states",
        sa.Column("room_id", sa.String(22), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("clean", sa.Boolean(), nullable=False),
        sa.Column("fence", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name="fk_saved_room_states_room_id_rooms",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", name="pk_saved_room_states"),
    )


def downgrade() -> None:
    op.drop_table("saved_room_states")
