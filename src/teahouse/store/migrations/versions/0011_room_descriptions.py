"""room descriptions: rooms.description

A room may say in a sentence or two what it is about (at most 280 characters, kept as
longer texts are: ``domain/text.py``); empty when it says nothing. Set when the room
is started, changed by its moderators while it is live (rooms/descriptions.py).

``rooms`` gains its column with ``ADD COLUMN`` (no SQLite batch copy, so the search
triggers of 0003_search stay).

Revision ID: 0011_room_descriptions
Revises: 0010_cjk_search
Create Date: 2026-12-07 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_room_descriptions"
down_revision: str | None = "0010_cjk_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rooms",
        sa.Column("description", sa.Text(), server_default="", nullable=False),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Native since SQLite 3.35; a batch copy of ``rooms`` would drop its triggers.
        op.execute("ALTER TABLE rooms DROP COLUMN description")
    else:
        op.drop_column("rooms", "description")
