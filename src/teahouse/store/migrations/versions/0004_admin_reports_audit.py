"""instance administration: the audit log, reports, suspensions, revoked invitations

``users`` and ``invites`` get their new columns with plain ``ALTER TABLE ... ADD
COLUMN`` and ``CREATE INDEX``, never an SQLite "batch" copy of the table: copying
``users`` would drop the full-text triggers of 0003_search and renumber its rowids.

Revision ID: 0004_admin_reports_audit
Revises: 0003_search
Create Date: 2026-11-27 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_admin_reports_audit"
down_revision: str | None = "0003_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_fk(table: str, column: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=f"fk_{table}_{column}_users", ondelete=ondelete
    )


def upgrade() -> None:
    op.add_column("users", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_users_suspended_at", "users", ["suspended_at"])
    op.add_column("invites", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(length=22), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=22), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.String(length=22), nullable=True),
        sa.Column("target_id", sa.String(length=22), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        _user_fk("audit_log", "actor_id", "SET NULL"),
        _user_fk("audit_log", "target_id", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name="fk_audit_log_room_id_rooms", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at", "id"])
    op.create_index("ix_audit_log_room", "audit_log", ["room_id", "at", "id"])

    op.create_table(
        "reports",
        sa.Column("id", sa.String(length=22), nullable=False),
        sa.Column("reporter_id", sa.String(length=22), nullable=False),
        sa.Column("target_user_id", sa.String(length=22), nullable=True),
        sa.Column("room_id", sa.String(length=22), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by_id", sa.String(length=22), nullable=True),
        sa.Column("resolution", sa.String(length=500), nullable=True),
        _user_fk("reports", "reporter_id", "CASCADE"),
        _user_fk("reports", "target_user_id", "SET NULL"),
        _user_fk("reports", "resolved_by_id", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name="fk_reports_room_id_rooms", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id"])
    op.create_index("ix_reports_target_user_id", "reports", ["target_user_id"])
    op.create_index("ix_reports_open", "reports", ["resolved_at", "created_at", "id"])


def downgrade() -> None:
    op.drop_table("reports")
    op.drop_table("audit_log")
    # Native ALTER TABLE ... DROP COLUMN (SQLite 3.35+), not a batch copy: see above.
    op.drop_column("invites", "revoked_at")
    op.drop_index("ix_users_suspended_at", table_name="users")
    op.drop_column("users", "suspended_at")
