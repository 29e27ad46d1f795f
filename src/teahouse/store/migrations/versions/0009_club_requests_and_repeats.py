"""join requests for clubs, and weekly events: club_join_requests, events.repeats,
notifications.join_request_id

``club_join_requests`` holds a member's requests to join a club and what became of
each (``status``: open, accepted, declined, withdrawn), kept after the answer so the
admins' notification can say so. A partial unique index allows one open request per
member and club. Deleting the member or the club deletes their requests; deleting the
admin who answered keeps the answer, by nobody.

``events.repeats`` is ``weekly`` for an event that comes back every week at the same
wall-clock time in its time zone, else null.

``notifications.join_request_id`` is what a ``club_request`` notification (and its
answers) is about; deleting the request deletes them (``ON DELETE CASCADE``).

Revision ID: 0009_club_requests_and_repeats
Revises: 0008_password_resets
Create Date: 2026-12-07 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_club_requests_and_repeats"
down_revision: str | None = "0008_password_resets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "club_join_requests",
        sa.Column("id", sa.String(length=22), nullable=False),
        sa.Column("club_id", sa.String(length=22), nullable=False),
        sa.Column("user_id", sa.String(length=22), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.String(length=22), nullable=True),
        sa.ForeignKeyConstraint(
            ["club_id"],
            ["clubs.id"],
            name="fk_club_join_requests_club_id_clubs",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_club_join_requests_user_id_users",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name="fk_club_join_requests_answered_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_club_join_requests"),
    )
    op.create_index("ix_club_join_requests_club_id", "club_join_requests", ["club_id"])
    op.create_index("ix_club_join_requests_user_id", "club_join_requests", ["user_id"])
    op.create_index(
        "uq_club_join_requests_open",
        "club_join_requests",
        ["club_id", "user_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("repeats", sa.String(length=10), nullable=True))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("join_request_id", sa.String(length=22), nullable=True))
        batch_op.create_foreign_key(
            "fk_notifications_join_request_id_club_join_requests",
            "club_join_requests",
            ["join_request_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint(
            "fk_notifications_join_request_id_club_join_requests", type_="foreignkey"
        )
        batch_op.drop_column("join_request_id")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("repeats")
    op.drop_index("uq_club_join_requests_open", table_name="club_join_requests")
    op.drop_index("ix_club_join_requests_user_id", table_name="club_join_requests")
    op.drop_index("ix_club_join_requests_club_id", table_name="club_join_requests")
    op.drop_table("club_join_requests")
