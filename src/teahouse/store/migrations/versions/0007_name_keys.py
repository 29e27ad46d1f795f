"""look-alike keys of members' names: name_keys

Each member's username and display name as hashed look-alike keys
(social/names.py), so that a new display name can be checked against every other
member's names with one indexed lookup. Existing members get theirs here, computed
by the same function the server uses; members whose names already look alike keep
them (only a new or changed display name is checked). If the way keys are made ever
changes, a later migration recomputes them the same way.

Revision ID: 0007_name_keys
Revises: 0006_passkeys
Create Date: 2026-12-04 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_name_keys"
down_revision: str | None = "0006_passkeys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from teahouse.social.names import keys_of

    name_keys = op.create_table(
        "name_keys",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=22), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_name_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "user_id", name=op.f("pk_name_keys")),
    )
    op.create_index(op.f("ix_name_keys_user_id"), "name_keys", ["user_id"], unique=False)
    users = op.get_bind().execute(sa.text("SELECT id, username, display_name FROM users"))
    rows = [
        {"key": key, "user_id": user_id}
        for user_id, username, display_name in users
        for key in keys_of(username, display_name)
    ]
    if rows:
        op.bulk_insert(name_keys, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_name_keys_user_id"), table_name="name_keys")
    op.drop_table("name_keys")
