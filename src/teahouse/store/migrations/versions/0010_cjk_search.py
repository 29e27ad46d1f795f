"""substring search for Chinese, Japanese and Korean: each CJK character is a word

The search indexes of 0003_search see "陳威廉" as one word, so "威" finds nothing.
This migration rebuilds them over the text of ``teahouse.domain.search_text.spaced``:
full-width ASCII forms as ASCII, the ideographic space as a space, and each CJK
character between two spaces, so that each is a word of its own and a query for a run
of them is a phrase (the characters side by side): a substring search that the index
answers for any length, one character included. Latin text is indexed as before.

SQLite: a table of positions (``search_positions``, 1 to 4000) lets plain SQL walk a
text character by character, since SQLite has no regular expressions. Views
(``users_search_text``, ...) give each row's transformed text; the FTS5 tables read
them as their external content (``rebuild`` still repairs an index), and the triggers
write the same expression for each inserted, updated or deleted row. Text without any
character outside printable ASCII is indexed as it is, without the walk. Characters
after the 4000th are indexed untransformed (no column holds that many today).

PostgreSQL: each of ``users``, ``clubs`` and ``rooms`` gets a stored generated column
``search_document``, the weighted ``tsvector`` of ``to_tsvector('simple',
regexp_replace(translate(...)))``, and the GIN indexes of 0003_search are rebuilt on
that column. Stored rather than an index expression: ranking reads the document of
every match, and computing the regular expressions again for thousands of matches
of a one-letter or one-character query made search several times slower (measured,
docs/BENCHMARKS.md). No extension is needed. (``pg_trgm`` was considered: in a
database with the C locale it sees no CJK character at all, and it cannot use its
index for one- or two-character queries, which most Chinese names need.)

Both build their indexes for every existing row here. The names of the indexes and
FTS tables are those of 0003_search; tests/integration/test_migrations.py leaves them,
``search_positions`` and the ``search_document`` columns out of its comparison with
the models. Later migrations of these tables: docs/ARCHITECTURE.md, "Search", says
what an SQLite batch copy and a PostgreSQL change of a column's type must do.

Revision ID: 0010_cjk_search
Revises: 0009_club_requests_and_repeats
Create Date: 2026-12-07 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_cjk_search"
down_revision: str | None = "0009_club_requests_and_repeats"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> indexed columns, most important first (as in 0003_search)
SQLITE_INDEXED = {
    "users": ("username", "display_name", "bio"),
    "clubs": ("name", "description"),
    "rooms": ("title",),
}
POSITIONS = 4000

# The code points of teahouse.domain.search_text, written out here so that this
# migration keeps building what it built whatever that module becomes.
SPACED_RANGES = (
    (0x3040, 0x30FF),
    (0x3100, 0x312F),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
FULL_WIDTH = "".join(chr(code) for code in range(0xFF01, 0xFF5F)) + "\u3000"
NARROW = "".join(chr(code) for code in range(0x21, 0x7F)) + " "


def postgres_words(column: str) -> str:
    """The ``tsvector`` of one column's spaced text."""
    spaced_class = "".join(
        f"\\U{first:08x}-\\U{last:08x}" if last > 0xFFFF else f"\\u{first:04x}-\\u{last:04x}"
        for first, last in SPACED_RANGES
    )
    narrow = NARROW.replace("'", "''")
    return (
        f"to_tsvector('simple', regexp_replace(translate({column}, '{FULL_WIDTH}', "
        f"'{narrow}'), '([{spaced_class}])', ' \\1 ', 'g'))"
    )


POSTGRES_DOCUMENTS = {
    "ix_users_search": (
        "users",
        f"setweight({postgres_words('username')}, 'A')"
        f" || setweight({postgres_words('display_name')}, 'B')"
        f" || setweight({postgres_words('bio')}, 'C')",
    ),
    "ix_clubs_search": (
        "clubs",
        f"setweight({postgres_words('name')}, 'A')"
        f" || setweight({postgres_words('description')}, 'B')",
    ),
    "ix_rooms_search": ("rooms", postgres_words("title")),
}
OLD_POSTGRES_INDEXES = {  # 0003_search's, for the way down
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


def sqlite_spaced(value: str) -> str:
    """SQLite: ``value`` (a column of a row) as search_text.spaced() makes it."""
    spaced = " OR ".join(f"u BETWEEN {first} AND {last}" for first, last in SPACED_RANGES)
    walk = (
        "SELECT group_concat(CASE"
        " WHEN u BETWEEN 65281 AND 65374 THEN char(u - 65248)"
        " WHEN u = 12288 THEN ' '"
        f" WHEN {spaced} THEN ' ' || c || ' '"
        " ELSE c END, '')"
        f" FROM (SELECT substr({value}, n, 1) AS c, unicode(substr({value}, n, 1)) AS u"
        f" FROM search_positions WHERE n <= length({value}) ORDER BY n)"
    )
    # The subquery's ORDER BY keeps the characters in order: SQLite does not flatten a
    # subquery with ORDER BY into an aggregate query, so group_concat sees them so.
    return (
        f"CASE WHEN {value} GLOB '*[^ -~]*'"
        f" THEN coalesce(({walk}), '') || substr({value}, {POSITIONS + 1})"
        f" ELSE {value} END"
    )


def _sqlite_ddl(table: str, columns: Sequence[str]) -> list[str]:
    fts, view = f"{table}_fts", f"{table}_search_text"
    cols = ", ".join(columns)
    new = ", ".join(sqlite_spaced(f"new.{c}") for c in columns)
    old = ", ".join(sqlite_spaced(f"old.{c}") for c in columns)
    add = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new});"
    remove = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    texts = ", ".join(f"{sqlite_spaced(f'{table}.{c}')} AS {c}" for c in columns)
    return [
        f"CREATE VIEW {view} AS SELECT {table}.rowid AS doc_id, {texts} FROM {table}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{view}', "
        "content_rowid='doc_id', tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {cols} ON {table} BEGIN {remove} {add} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _sqlite_old_ddl(table: str, columns: Sequence[str]) -> list[str]:
    """0003_search's FTS table and triggers, for the way down."""
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


def _sqlite_drop(table: str) -> None:
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{trigger}")
    op.execute(f"DROP TABLE IF EXISTS {table}_fts")
    op.execute(f"DROP VIEW IF EXISTS {table}_search_text")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE TABLE search_positions (n INTEGER PRIMARY KEY)")
        op.execute(
            "WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p"
            f" WHERE n < {POSITIONS}) INSERT INTO search_positions SELECT n FROM p"
        )
        for table, columns in SQLITE_INDEXED.items():
            _sqlite_drop(table)
            for statement in _sqlite_ddl(table, columns):
                op.execute(statement)
    elif dialect == "postgresql":
        for name, (table, expression) in POSTGRES_DOCUMENTS.items():
            op.execute(f"DROP INDEX IF EXISTS {name}")
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN search_document tsvector"
                f" GENERATED ALWAYS AS ({expression}) STORED"
            )
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (search_document)")
    else:  # pragma: no cover - Teahouse runs on these two engines only
        raise NotImplementedError(f"no full-text search for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table, columns in SQLITE_INDEXED.items():
            _sqlite_drop(table)
            for statement in _sqlite_old_ddl(table, columns):
                op.execute(statement)
        op.execute("DROP TABLE IF EXISTS search_positions")
    elif dialect == "postgresql":
        for name, (table, expression) in OLD_POSTGRES_INDEXES.items():
            op.execute(f"DROP INDEX IF EXISTS {name}")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (({expression}))")
