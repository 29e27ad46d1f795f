"""demo rooms: rooms.demo and the residents who sit in them

``teahouse demo seed`` marks the rooms it makes (``rooms.demo``) and names who sits
in each (``demo_residents``); at every start the Stage re-opens them with those
members seated (demo/rooms.py).

``rooms`` gains its column with ``ADD COLUMN`` (no SQLite batch copy, so the search
triggers of 0003_search stay).

Revision ID: 0005_demo_rooms
Revises: 0004_admin_reports_audit
Create Date: 2026-11-24 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_demo_rooms"
down_revision: str | None = "0004_admin_reports_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "rooms", sa.Column("demo", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "demo_residents",
        sa.Column("room_id", sa.String(length=22), nullable=False),
        sa.Column("user_id", sa.String(length=22), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["rooms.id"],
            name=op.f("fk_demo_residents_room_id_rooms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_demo_residents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("room_id", "user_id", name=op.f("pk_demo_residents")),
    )
    with op.batch_alter_table("demo_residents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demo_residents_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("demo_residents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demo_residents_user_id"))
    op.drop_table("demo_residents")
    if op.get_bind().dialect.name == "sqlite":
        # Native since SQLite 3.35; a batch copy of ``rooms`` would drop its triggers.
        op.execute("ALTER TABLE rooms DROP COLUMN demo")
    else:
        op.drop_column("rooms", "demo")
