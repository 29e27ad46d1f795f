"""INSERT ... ON CONFLICT for whichever engine a Database runs on.

Both dialects spell it the same way (``on_conflict_do_nothing()``,
``on_conflict_do_update(index_elements=..., set_=...)``); this picks the dialect.
Unlike a SELECT followed by an INSERT, it cannot race with a concurrent writer.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from teahouse.store.database import Database
from teahouse.store.models import Base


def insert(db: Database, model: type[Base]) -> sqlite.Insert | postgresql.Insert:
    return sqlite.insert(model) if db.is_sqlite else postgresql.insert(model)
