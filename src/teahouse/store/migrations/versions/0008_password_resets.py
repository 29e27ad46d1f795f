"""password reset links, and notifications about reports: password_resets, notifications.report_id

``password_resets`` holds the one-time links an admin makes for a member who forgot
their password: the SHA-256 of the token (never the token), the member, the admin who
made it, when it expires and when it was used. Deleting the member deletes their
links; deleting the admin keeps them, made by nobody.

``notifications.report_id`` is what an admin's ``report_filed`` notification is
about; deleting the report deletes the notification (``ON DELETE CASCADE``).

Revision ID: 0008_password_resets
Revises: 0007_name_keys
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_password_resets"
down_revision: str | None = "0007_name_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "password_resets",
        sa.Column("id", sa.String(length=22), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=22), nullable=False),
        sa.Column("created_by_id", sa.String(length=22), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_password_resets_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name="fk_password_resets_created_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_password_resets"),
        sa.UniqueConstraint("token_hash", name="uq_password_resets_token_hash"),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"])
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report_id", sa.String(length=22), nullable=True))
        batch_op.create_foreign_key(
            "fk_notifications_report_id_reports",
            "reports",
            ["report_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_constraint("fk_notifications_report_id_reports", type_="foreignkey")
        batch_op.drop_column("report_id")
    op.drop_index("ix_password_resets_user_id", table_name="password_resets")
    op.drop_table("password_resets")
