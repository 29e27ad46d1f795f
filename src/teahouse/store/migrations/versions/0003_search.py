"""full-text search over members, clubs and rooms

SQLite: FTS5 external-content tables (the text stays in ``users``, ``clubs`` and
``rooms``; the index points at their rowids), kept in sync by triggers, with prefix
indexes for 2 and 3 characters so that prefix queries stay cheap.

PostgreSQL: GIN indexes on weighted ``tsvector`` expressions with the ``simple``
configuration (no stemming, no stop words: names are not English prose). The
expressions are the ones ``teahouse.social.search`` queries with, character for
character, or the planner could not use the indexes (a test checks it does).

Neither is in the SQLAlchemy models: tests/integration/test_migrations.py leaves them
out of its comparison by name.

Caution for later migrations: an SQLite "batch" migration of ``users``, ``clubs`` or
``rooms`` copies the table, which drops these triggers and renumbers rowids; such a
migration must re-create the triggers and run ``INSERT INTO x_fts(x_fts)
VALUES('rebuild')``.

Revision ID: 0003_search
Revises: 0002
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003_search"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> indexed columns, most important first
SQLITE_INDEXED = {
    "users": ("username", "display_name", "bio"),
    "clubs": ("name", "description"),
    "rooms": ("title",),
}

POSTGRES_INDEXES = {
    "ix_users_search": (
        "users",
        "setweight(to_tsvector('simple', username), 'A')"
        " || setweight(to_tsvector('simple', display_name), 'B')"
        " || setweight(to_tsvector('simple', bio), 'C')",
    ),
    "ix_clubs_search": (
        "clubs",
        "setweight(to_tsvector('simple', name), 'A')"
        " || setweight(to_tsvector('simple', description), 'B')",
    ),
    "ix_rooms_search": ("rooms", "to_tsvector('simple', title)"),
}


def _sqlite_ddl(table: str, columns: Sequence[str]) -> list[str]:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    add = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new});"
    remove = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='rowid', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN {remove} {add} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in SQLITE_INDEXED.items():
            for statement in _sqlite_ddl(table, columns):
                op.execute(statement)
    elif dialect == "postgresql":
        for name, (table, expression) in POSTGRES_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}))")
    else:  # pragma: no cover - Teahouse runs on these two engines only
        raise NotImplementedError(f"no full-text search for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in SQLITE_INDEXED:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    elif dialect == "postgresql":
        for name in POSTGRES_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
